"""The rule catalogue: every registry rule in one place, with its severity, source and explanation.

Checks (``quality.checks``), the Dagster asset checks and the warehouse ``rule`` table are all generated
from this catalogue, so a rule's wording and severity are written once. The national thresholds, their legal
sources and the Annex I elements come from the core (``registry``).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.annex_i import ANNEX_I, EU_RECOMMENDATION
from registry.institutions import (
    BE_CREDIT,
    EURYDICE_FLANDERS,
    FLANDERS,
    NETHERLANDS,
    NL_CREDIT,
    NL_PILOT,
)

__all__ = ["EU_RECOMMENDATION", "EURYDICE_FLANDERS", "BE_CREDIT", "NL_CREDIT", "NL_PILOT", "RULES", "Rule"]

# The national bands as the explanations write them: "Belgium 25-30, the Netherlands 28".
_BANDS = f"Belgium {FLANDERS.hours_band}, the Netherlands {NETHERLANDS.hours_band}"
# The registry's own policies, stated where a rule comes from no outside standard.
VOLUME_POLICY = (
    "Registry policy: a source whose programme count or field fill rate falls sharply against the last "
    "published run is treated as a broken harvest (site layout changed), not as withdrawn programmes"
)
VOCABULARY_POLICY = (
    "Registry vocabularies: semester S1, S2, YEAR, SUMMER, WINTER; academic year as its start year"
)
IDENTITY_POLICY = (
    "Registry identity: one record per registry id and academic year, ids stable across runs, pages on the "
    "institution's own domain"
)


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
    # A column-level rule is a Great Expectations expectation: (class name in great_expectations.expectations,
    # its arguments; "{domains}" is replaced by the institution's domains as a regex alternation).
    expectation: tuple[str, dict] | None = None
    field: str | None = None  # the normalised field the rule reads
    value_column: str | None = None  # the raw text reported as the offending value

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
            f"A Flemish micro-credential carries at least {FLANDERS.credits_min:g} credits; this one has fewer.",
            expectation=(
                "ExpectColumnValuesToBeBetween",
                {"column": "credits_ects", "min_value": FLANDERS.credits_min},
            ),
            field="credits_ects",
            value_column="credits_raw",
        ),
        Rule(
            "flanders_size_max",
            "warning",
            f"Flemish micro-credential above {FLANDERS.credits_max:g} credits",
            "Flemish micro-credential framework",
            EURYDICE_FLANDERS,
            ("ugent", "uantwerpen"),
            f"Flemish micro-credentials are generally at most {FLANDERS.credits_max:g} credits; more is allowed only in "
            "exceptional cases, so this one should be justified.",
            expectation=(
                "ExpectColumnValuesToBeBetween",
                {"column": "credits_ects", "max_value": FLANDERS.credits_max},
            ),
            field="credits_ects",
            value_column="credits_raw",
        ),
        Rule(
            "netherlands_size_min",
            "error",
            "Dutch microcredential too small",
            "Dutch microcredentials pilot (Npuls)",
            NL_PILOT,
            ("rug",),
            f"A Dutch microcredential carries {NETHERLANDS.credits_min:g} to {NETHERLANDS.credits_max:g} EC; this one has "
            f"fewer than {NETHERLANDS.credits_min:g}.",
            expectation=(
                "ExpectColumnValuesToBeBetween",
                {"column": "credits_ects", "min_value": NETHERLANDS.credits_min},
            ),
            field="credits_ects",
            value_column="credits_raw",
        ),
        Rule(
            "netherlands_size_max",
            "error",
            "Dutch microcredential too large",
            "Dutch microcredentials pilot (Npuls)",
            NL_PILOT,
            ("rug",),
            f"A Dutch microcredential carries {NETHERLANDS.credits_min:g} to {NETHERLANDS.credits_max:g} EC; this one has "
            f"more than {NETHERLANDS.credits_max:g}.",
            expectation=(
                "ExpectColumnValuesToBeBetween",
                {"column": "credits_ects", "max_value": NETHERLANDS.credits_max},
            ),
            field="credits_ects",
            value_column="credits_raw",
        ),
        Rule(
            "programme_hours_band",
            "warning",
            "Published study hours per credit outside the national band",
            "National credit definitions",
            f"{BE_CREDIT}; {NL_CREDIT}",
            ("*",),
            "The study hours the page publishes, divided by its credits, fall outside the national band of hours "
            f"per credit ({_BANDS}). Hours derived by the registry are not checked.",
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
            "credits_range",
            "info",
            "Credits published as a range",
            "EU Annex I: notional workload (ECTS)",
            EU_RECOMMENDATION,
            ("*",),
            "The page gives the workload as a range or in tiers (more credits for more deliverables), not as "
            "one size. The registry keeps both ends (credits_min, credits_max) and leaves credits_ects empty; "
            "the size rules are not applied to a range.",
            field="credits_ects",
            value_column="credits_raw",
        ),
        Rule(
            "course_hours_band",
            "warning",
            "Study hours per credit outside the national band",
            "National credit definitions",
            BE_CREDIT,
            ("ugent", "uantwerpen", "rug"),
            "The published study hours divided by the credits fall outside the national band of hours per credit "
            f"({_BANDS}).",
            record="course_unit",
        ),
        Rule(
            "harvest_page",
            "warning",
            "A page could not be harvested completely",
            "Registry completeness",
            "Registry policy: nothing is silently dropped; every page that fails is recorded",
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
            f"{VOLUME_POLICY} (blocking)",
            ("*",),
            "This harvest found far fewer programmes than the last published run. That usually means the site "
            "changed its layout, not that programmes were withdrawn, so the previous data is kept.",
            blocking=True,
            record="harvest",
        ),
        Rule(
            "annex_i_completeness",
            "warning",
            "EU Annex I mandatory element missing",
            "EU Council Recommendation on micro-credentials, Annex I (mandatory elements)",
            EU_RECOMMENDATION,
            ("*",),
            "A micro-credential's description must give each mandatory element of Annex I ("
            + ", ".join(element.label for element in ANNEX_I if element.mandatory)
            + "); this one does not publish the element named.",
        ),
        Rule(
            "language_iso",
            "error",
            "Language not an ISO 639-1 language",
            "Registry vocabulary: languages as ISO 639-1 codes",
            "ISO 639-1:2002 Codes for the representation of names of languages",
            ("*",),
            "The language of instruction could not be read as ISO 639-1 languages; the registry cannot say in "
            "which language this is taught.",
            expectation=(
                "ExpectColumnValuesToNotBeInSet",
                {"column": "languages_reason", "value_set": ["unknown_language"]},
            ),
            field="languages",
            value_column="languages_raw",
        ),
        Rule(
            "course_language_iso",
            "error",
            "Course unit language not an ISO 639-1 language",
            "Registry vocabulary: languages as ISO 639-1 codes",
            "ISO 639-1:2002 Codes for the representation of names of languages",
            ("*",),
            "The course unit's language of instruction could not be read as ISO 639-1 languages.",
            record="course_unit",
            expectation=(
                "ExpectColumnValuesToNotBeInSet",
                {"column": "languages_reason", "value_set": ["unknown_language"]},
            ),
            field="languages",
            value_column="languages_raw",
        ),
        Rule(
            "semester_parses",
            "warning",
            "Semester not readable",
            "Registry vocabulary: semester S1, S2, YEAR, SUMMER, WINTER",
            VOCABULARY_POLICY,
            ("*",),
            "The page gives a teaching period the registry cannot place in a semester, a year or a school season.",
            expectation=(
                "ExpectColumnValuesToNotBeInSet",
                {
                    "column": "semester_reason",
                    "value_set": ["unparseable", "ambiguous", "mixed_or_unparseable"],
                },
            ),
            field="semester",
            value_column="semester_raw",
        ),
        Rule(
            "academic_year_plausible",
            "error",
            "Academic year missing or implausible",
            "Registry vocabulary: academic year as its start year",
            VOCABULARY_POLICY,
            ("*",),
            "The academic year could not be read, or is outside 2000-2100; the record cannot be placed in time.",
            expectation=(
                "ExpectColumnValuesToBeBetween",
                {"column": "academic_year", "min_value": 2000, "max_value": 2100},
            ),
            field="academic_year",
            value_column="academic_year_raw",
        ),
        Rule(
            "registry_id_unique",
            "error",
            "Two records share one registry id",
            "Registry identity: one record per micro-credential per academic year",
            f"{IDENTITY_POLICY}; Credential Engine duplicate-CTID issues (CredentialRegistry #428, #674)",
            ("*",),
            "Two pages of the institution give the same micro-credential code for the same academic year; the "
            "registry keeps the first and flags both, so the institution can say which is right.",
            expectation=(
                "ExpectCompoundColumnsToBeUnique",
                {"column_list": ["registry_id", "academic_year"]},
            ),
            field="registry_id",
            value_column="url",
        ),
        Rule(
            "url_own_domain",
            "error",
            "Page not on the institution's own domain",
            "Registry identity: records come from the awarding institution",
            f"{IDENTITY_POLICY}; EU Annex II principle 'Authentic'",
            ("*",),
            "The micro-credential's page is not on the institution's own web domain, so the registry cannot "
            "vouch that the awarding body publishes it.",
            expectation=(
                "ExpectColumnValuesToMatchRegex",
                {"column": "url", "regex": r"^https?://(?:[a-z0-9-]+\.)*(?:{domains})(?:/|$|\?)"},
            ),
            field="url",
            value_column="url",
        ),
        Rule(
            "registry_id_stable",
            "warning",
            "Registry id changed since the last published run",
            "Registry identity: stable ids across runs",
            f"{IDENTITY_POLICY}; Credential Engine lineage (CredentialRegistry #145)",
            ("*",),
            "The same page was published under another registry id last time; links and history that use the "
            "old id no longer find this micro-credential.",
        ),
        Rule(
            "fill_rate_drift",
            "error",
            "Field fill rate collapsed against the last published run",
            "Registry volume/drift check",
            f"{VOLUME_POLICY} (blocking)",
            ("*",),
            "A field that most records had in the last published run is now mostly empty. That usually means the "
            "site changed its layout, so this harvest is not published and the previous data is kept.",
            blocking=True,
            record="harvest",
        ),
    )
}

# A harvest with fewer than this share of the last published programme count is not published.
VOLUME_MIN_RATIO = 0.5
# A field filled in at least FILL_RATE_BASE of last published records may not drop by more than FILL_RATE_DROP.
FILL_RATE_FIELDS = ("title", "credits_ects", "languages", "semester", "learning_outcomes")
FILL_RATE_BASE = 0.5
FILL_RATE_DROP = 0.3
