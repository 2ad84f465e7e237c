"""The institutions the registry covers, with the national rules that apply to each.

Reference data, not harvested: country, region, qualification framework, the hours-per-credit band and the
micro-credential size rule come from the national regulations cited in ``quality.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Institution:
    institution_id: str
    name: str
    country: str
    region: str
    qualification_framework: str
    hours_per_credit_min: float
    hours_per_credit_max: float
    credits_min: float
    credits_max: float
    domains: tuple[str, ...]
    website: str

    @property
    def hours_per_credit(self) -> float:
        """The factor used to derive study hours from credits (the middle of the national band)."""
        return (self.hours_per_credit_min + self.hours_per_credit_max) / 2


INSTITUTIONS: dict[str, Institution] = {
    "ugent": Institution(
        "ugent",
        "Ghent University",
        "BE",
        "Flanders",
        "VKS",
        25,
        30,
        3,
        20,
        ("studiekiezer.ugent.be", "ugent.be"),
        "https://studiekiezer.ugent.be",
    ),
    "uantwerpen": Institution(
        "uantwerpen",
        "University of Antwerp",
        "BE",
        "Flanders",
        "VKS",
        25,
        30,
        3,
        20,
        ("uantwerpen.be",),
        "https://www.uantwerpen.be",
    ),
    "rug": Institution(
        "rug",
        "University of Groningen",
        "NL",
        "Netherlands",
        "NLQF",
        28,
        28,
        3,
        30,
        ("rug.nl",),
        "https://www.rug.nl",
    ),
}

# Sources with a spider (one Dagster partition each).
HARVESTED_SOURCES: tuple[str, ...] = ("ugent", "uantwerpen", "rug")
