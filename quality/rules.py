"""The rule catalogue: every registry rule in one place, with its severity, source and explanation.

Checks (``quality.checks``), the Dagster asset checks and the warehouse ``rule`` table are all generated
from this catalogue, so a rule's wording and severity are written once.
"""

from __future__ import annotations

from dataclasses import dataclass

EU_RECOMMENDATION = (
    "Council Recommendation of 16 June 2022 on a European approach to micro-credentials for lifelong learning "
    "and employability (2022/C 243/02), OJ C 243, 27.6.2022, pp. 10-25"
)
EURYDICE_FLANDERS = (
    "Eurydice, Belgium - Flemish Community: national reforms in higher education (updated 3 Feb 2025): "
    "micro-credentials are generally 3-20 credits, more than 20 in exceptional cases"
)
BE_CREDIT = "University of Antwerp, rules and regulations: 1 study credit = 25-30 hours of study"
NL_CREDIT = "WHW art. 7.4(1): 60 EC = 1680 hours, so 1 EC = 28 hours (Inspectie van het Onderwijs)"
NL_PILOT = "Npuls, pilot microcredentials (npuls.nl/pilot-microcredentials): 3-30 EC, aimed at professionals"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str  # error / warning / info
    title: str
    standard: str
    citation: str
    applies_to: tuple[str, ...]  # institution ids, or ("*",) for all
    explanation: str
    blocking: bool = False
    record: str = "programme"  # what the rule is checked on: programme, course_unit, harvest

    def applies(self, institution_id: str) -> bool:
        return "*" in self.applies_to or institution_id in self.applies_to


RULES: dict[str, Rule] = {
    rule.rule_id: rule
    for rule in (
        Rule(
            "flanders_size_min",
            "error",
            "Flemish micro-credential too small",
            "Flemish micro-credential framework",
            EURYDICE_FLANDERS,
            ("ugent", "uantwerpen"),
            "A Flemish micro-credential carries at least 3 credits; this one has fewer.",
        ),
        Rule(
            "flanders_size_max",
            "warning",
            "Flemish micro-credential above 20 credits",
            "Flemish micro-credential framework",
            EURYDICE_FLANDERS,
            ("ugent", "uantwerpen"),
            "Flemish micro-credentials are generally at most 20 credits; more is allowed only in exceptional "
            "cases, so this one should be justified.",
        ),
        Rule(
            "netherlands_size_min",
            "error",
            "Dutch microcredential too small",
            "Dutch microcredentials pilot (Npuls)",
            NL_PILOT,
            ("rug",),
            "A Dutch microcredential carries 3 to 30 EC; this one has fewer than 3.",
        ),
        Rule(
            "netherlands_size_max",
            "error",
            "Dutch microcredential too large",
            "Dutch microcredentials pilot (Npuls)",
            NL_PILOT,
            ("rug",),
            "A Dutch microcredential carries 3 to 30 EC; this one has more than 30.",
        ),
        Rule(
            "programme_hours_band",
            "warning",
            "Published study hours per credit outside the national band",
            "National credit definitions",
            f"{BE_CREDIT}; {NL_CREDIT}",
            ("*",),
            "The study hours the page publishes, divided by its credits, fall outside the national band of hours "
            "per credit (Belgium 25-30, the Netherlands 28). Hours derived by the registry are not checked.",
        ),
        Rule(
            "course_unit_sum",
            "error",
            "Credits differ from the sum of the course units",
            "Flemish micro-credential types 1-2 (Nova Academy framework)",
            "yerun.eu 2023/11: micro-credentials built from existing course units",
            ("*",),
            "The micro-credential's published credits should equal the sum of the credits of the course units "
            "offered in it this year; they differ, so one of the two is wrong.",
        ),
        Rule(
            "credits_present",
            "warning",
            "Credits missing or unreadable",
            "EU Annex I: notional workload (ECTS)",
            EU_RECOMMENDATION,
            ("*",),
            "The notional workload in ECTS credits is a mandatory element of a micro-credential; it is missing or "
            "could not be read.",
        ),
        Rule(
            "course_hours_band",
            "warning",
            "Study hours per credit outside the national band",
            "National credit definitions",
            BE_CREDIT,
            ("ugent", "uantwerpen", "rug"),
            "The published study hours divided by the credits fall outside the national band of hours per credit "
            "(Belgium 25-30, the Netherlands 28).",
            record="course_unit",
        ),
        Rule(
            "harvest_page",
            "warning",
            "A page could not be harvested completely",
            "Registry completeness",
            "DESIGN §5 Volume/drift; registry policy: nothing is silently dropped",
            ("*",),
            "A page on the institution's site answered with an error or lacked the expected structure; the "
            "records it should have given may be incomplete.",
            record="harvest",
        ),
        Rule(
            "volume_drop",
            "error",
            "Harvest much smaller than the last published one",
            "Registry volume/drift check",
            "DESIGN §5 Volume/drift (blocking)",
            ("*",),
            "This harvest found far fewer programmes than the last published run. That usually means the site "
            "changed its layout, not that programmes were withdrawn, so the previous data is kept.",
            blocking=True,
        ),
    )
}

# A harvest with fewer than this share of the last published programme count is not published.
VOLUME_MIN_RATIO = 0.5
