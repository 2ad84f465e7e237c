"""The EU's list of the elements that describe a micro-credential: Council Recommendation of 16 June 2022 on a
European approach to micro-credentials for lifelong learning and employability (2022/C 243/02), Annex I.

What belongs here: the elements a catalogue entry can carry, whether Annex I makes them mandatory, and where
the registry reads each one. The learner, the date of issue and the grade belong to an award, not to a
catalogue entry, and are left out. The completeness rule (``quality``) and the ``annex_i_coverage`` view check
these elements.
"""

from __future__ import annotations

from dataclasses import dataclass

EU_RECOMMENDATION = (
    "Council Recommendation of 16 June 2022 on a European approach to micro-credentials for lifelong learning "
    "and employability (2022/C 243/02), OJ C 243, 27.6.2022, pp. 10-25"
)


@dataclass(frozen=True)
class Element:
    name: str  # as the registry names it (flags' field, the coverage view's element)
    label: str  # as Annex I words it
    mandatory: bool
    table: str  # where the registry reads it: programme, or institution (always known)
    columns: tuple[str, ...]  # published when any of these is filled in (a list: not empty)


ANNEX_I: tuple[Element, ...] = (
    Element("title", "title", True, "programme", ("title",)),
    Element("issuer_country", "issuer country", True, "institution", ("country",)),
    Element("awarding_body", "awarding body", True, "institution", ("name",)),
    Element("learning_outcomes", "learning outcomes", True, "programme", ("learning_outcomes",)),
    # A credit range (credits_min, credits_max) publishes the workload too.
    Element(
        "notional_workload_ects",
        "notional workload in ECTS",
        True,
        "programme",
        ("credits_ects", "credits_min"),
    ),
    Element("level", "level", True, "programme", ("eqf_level",)),
    Element("type_of_assessment", "type of assessment", True, "programme", ("assessment",)),
    Element("form_of_participation", "form of participation", True, "programme", ("participation_form",)),
    Element(
        "type_of_quality_assurance",
        "type of quality assurance",
        True,
        "programme",
        ("quality_assurance",),
    ),
    Element("prerequisites", "prerequisites needed to enrol", False, "programme", ("prerequisites",)),
    Element("stackability", "integration and stackability options", False, "programme", ("stackability",)),
)

# The mandatory elements a programme record itself must publish (the completeness rule's elements).
PROGRAMME_MANDATORY: tuple[Element, ...] = tuple(e for e in ANNEX_I if e.mandatory and e.table == "programme")
