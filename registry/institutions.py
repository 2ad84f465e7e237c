"""The institutions the registry covers and the national rules that apply to each: reference data, not harvested.

What belongs here: each jurisdiction's micro-credential size rule and hours-per-credit band with the public
source that sets them, and each institution (country, region, framework, web domains) under its jurisdiction.
The quality rules, the hours derived from credits and the warehouse's ``institution`` table (which the SQL views
read) all take their numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# The public sources of the national rules below.
EURYDICE_FLANDERS = (
    "Eurydice, Belgium - Flemish Community: national reforms in higher education (updated 3 Feb 2025): "
    "micro-credentials are generally 3-20 credits, more than 20 in exceptional cases"
)
BE_CREDIT = "University of Antwerp, rules and regulations: 1 study credit = 25-30 hours of study"
NL_CREDIT = "WHW art. 7.4(1): 60 EC = 1680 hours, so 1 EC = 28 hours (Inspectie van het Onderwijs)"
NL_PILOT = "Npuls, pilot microcredentials (npuls.nl/pilot-microcredentials): 3-30 EC, aimed at professionals"


@dataclass(frozen=True)
class NationalRules:
    """One jurisdiction's rules for a micro-credential: its size in credits and the study hours per credit."""

    region: str  # whose rules: Flanders, Netherlands
    country: str  # ISO 3166-1 alpha-2
    qualification_framework: str
    credits_min: float  # smallest size of a micro-credential (an error below it)
    credits_max: float  # largest size (above it: a warning in Flanders, an error in the Netherlands)
    hours_per_credit_min: float
    hours_per_credit_max: float
    size_source: str
    credit_source: str

    @property
    def hours_per_credit(self) -> float:
        """The factor used to derive study hours from credits: the middle of the national band (an estimate
        where the band is wider than one figure, and marked as derived wherever it is used)."""
        return (self.hours_per_credit_min + self.hours_per_credit_max) / 2

    @property
    def hours_band(self) -> str:
        """The band as it is written in explanations: ``25-30``, or ``28`` when it is one figure."""
        low, high = self.hours_per_credit_min, self.hours_per_credit_max
        return f"{low:g}" if low == high else f"{low:g}-{high:g}"


# Flanders: micro-credentials of 3-20 credits (more in exceptional cases), 25-30 hours of study per credit.
FLANDERS = NationalRules("Flanders", "BE", "VKS", 3, 20, 25, 30, EURYDICE_FLANDERS, BE_CREDIT)
# The Netherlands: microcredentials of 3-30 EC (the Npuls pilot), 28 hours per EC (WHW art. 7.4).
NETHERLANDS = NationalRules("Netherlands", "NL", "NLQF", 3, 30, 28, 28, NL_PILOT, NL_CREDIT)
NATIONAL_RULES: dict[str, NationalRules] = {rules.country: rules for rules in (FLANDERS, NETHERLANDS)}


@dataclass(frozen=True)
class Institution:
    institution_id: str
    name: str
    rules: NationalRules
    domains: tuple[str, ...]  # the institution's own web domains: the only ones its spider follows
    website: str

    @property
    def country(self) -> str:
        return self.rules.country

    @property
    def region(self) -> str:
        return self.rules.region

    @property
    def qualification_framework(self) -> str:
        return self.rules.qualification_framework

    @property
    def credits_min(self) -> float:
        return self.rules.credits_min

    @property
    def credits_max(self) -> float:
        return self.rules.credits_max

    @property
    def hours_per_credit_min(self) -> float:
        return self.rules.hours_per_credit_min

    @property
    def hours_per_credit_max(self) -> float:
        return self.rules.hours_per_credit_max

    @property
    def hours_per_credit(self) -> float:
        """The factor used to derive study hours from credits (the middle of the national band)."""
        return self.rules.hours_per_credit


INSTITUTIONS: dict[str, Institution] = {
    institution.institution_id: institution
    for institution in (
        Institution(
            "ugent",
            "Ghent University",
            FLANDERS,
            ("studiekiezer.ugent.be", "ugent.be"),
            "https://studiekiezer.ugent.be",
        ),
        Institution(
            "uantwerpen", "University of Antwerp", FLANDERS, ("uantwerpen.be",), "https://www.uantwerpen.be"
        ),
        Institution("rug", "University of Groningen", NETHERLANDS, ("rug.nl",), "https://www.rug.nl"),
    )
}

# Sources with a spider (one Dagster partition each).
HARVESTED_SOURCES: tuple[str, ...] = ("ugent", "uantwerpen", "rug")
