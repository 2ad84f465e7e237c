"""The ELM shape check: it passes what the exporter writes and rejects each kind of broken document."""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal

import pytest

from registry.languages import ISO_639_1
from warehouse import elm
from warehouse.elm import validate_learning_opportunities
from warehouse.export import dataset, dump_json

INSTITUTION = {
    "institution_id": "ugent",
    "name": "Ghent University",
    "country": "BE",
    "website": "https://studiekiezer.ugent.be",
}
ROW = {
    "registry_id": "ugent:BCPPOL",
    "institution_id": "ugent",
    "academic_year": 2024,
    "title": "Politiek en beleid",
    "title_language": "nl",
    "url": "https://studiekiezer.ugent.be/2024/BCPPOL",
    "credits_ects": 7.5,
    "study_hours": 200,
    "study_hours_derived": False,
    "languages": ["nl", "en"],
    "delivery_mode": "blended",
    "eqf_level": 6,
    "fee_eur": Decimal("265.70"),
    "fee_covers": None,
    "start_date": date(2024, 9, 23),
    "end_date": date(2025, 1, 31),
    "learning_outcomes": ["Je analyseert beleid."],
    "prerequisites": "Geen.",
}


@pytest.fixture
def doc() -> dict:
    built, skipped = dataset(INSTITUTION, [ROW], "urn:microcred-registry:")
    assert skipped == []
    return built


def lo(doc: dict) -> dict:
    return doc["@graph"][1]


def spec(doc: dict) -> dict:
    return lo(doc)["learningAchievementSpecification"]


def test_the_mapped_document_is_valid(doc):
    assert validate_learning_opportunities(doc) == []
    # The official ELM v3 examples' context list: the W3C credentials context first, then edc-ap.
    assert doc["@context"][:2] == [elm.CREDENTIALS_CONTEXT, elm.EDC_CONTEXT]
    assert spec(doc)["creditPoint"]["point"] == "7.5"
    assert spec(doc)["mode"]["id"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"


def test_a_point_may_be_a_json_number(doc):
    spec(doc)["creditPoint"]["point"] = 7.5
    assert validate_learning_opportunities(doc) == []


def _set(path: str, value):
    def apply(doc: dict) -> None:
        *parents, last = path.split(".")
        node = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value

    return apply


def _delete(path: str):
    def apply(doc: dict) -> None:
        *parents, last = path.split(".")
        node = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return apply


LO = "@graph.1"
SPEC = f"{LO}.learningAchievementSpecification"
BROKEN = {
    "missing title": (_delete(f"{LO}.title"), r"required property title is missing"),
    "missing specification title": (_delete(f"{SPEC}.title"), r"required property title is missing"),
    "missing homepage": (_delete(f"{LO}.homepage"), r"required property homepage is missing"),
    "missing provider": (_delete(f"{LO}.providedBy"), r"required property providedBy is missing"),
    "wrong credit framework": (
        _set(f"{SPEC}.creditPoint.framework.id", "http://data.europa.eu/snb/education-credit/other"),
        r"credit framework must be the ECTS concept",
    ),
    "zero credit points": (_set(f"{SPEC}.creditPoint.point", "0"), r"is not a number greater than 0"),
    "text credit points": (_set(f"{SPEC}.creditPoint.point", "five"), r"is not a number greater than 0"),
    "bad language code": (
        _set(f"{SPEC}.language.0.id", f"{elm.LANGUAGE_AUTHORITY}/XXX"),
        r"is not an EU language-authority concept",
    ),
    "two-letter language code": (
        _set(f"{LO}.defaultLanguage.id", f"{elm.LANGUAGE_AUTHORITY}/nl"),
        r"defaultLanguage .* is not an EU language-authority concept",
    ),
    "bad mode": (
        _set(f"{SPEC}.mode.id", "http://data.europa.eu/snb/learning-assessment/distance"),
        r"is not in the ELM mode vocabulary",
    ),
    "null value": (_set(f"{LO}.temporal.endDate", None), r"null value"),
    "empty string": (_set(f"{SPEC}.entryRequirement.noteLiteral.nl", " "), r"empty string"),
    "empty list": (_set(f"{SPEC}.learningOutcome", []), r"empty list"),
    "bad duration": (_set(f"{SPEC}.volumeOfLearning", "200 hours"), r"is not an ISO 8601 duration"),
    "empty duration": (_set(f"{SPEC}.volumeOfLearning", "PT"), r"is not an ISO 8601 duration"),
    "EQF level 9": (
        _set(f"{SPEC}.educationLevel.id", "http://data.europa.eu/snb/eqf/9"),
        r"is not an EQF level 1-8 concept",
    ),
    "date not a dateTime": (_set(f"{LO}.temporal.startDate", "23/09/2024"), r"is not an xsd:dateTime"),
    "start after end": (
        _set(f"{LO}.temporal.startDate", "2025-09-23T00:00:00"),
        r"startDate is after endDate",
    ),
    "duplicate id": (
        _set(f"{SPEC}.id", "urn:microcred-registry:learning-opportunity/ugent:BCPPOL/2024"),
        r"id already used",
    ),
    "run id in an id": (
        _set(f"{LO}.id", "urn:microcred-registry:learning-opportunity/ugent:BCPPOL-20261123T093403Z/2024"),
        r"contains a run id",
    ),
    "id not of the stable form": (
        _set(f"{LO}.id", "urn:microcred-registry:lo-17"),
        r"not of the stable form",
    ),
    "relative id": (_set(f"{SPEC}.id", "specification-1"), r"must be an absolute IRI"),
    "unknown provider": (
        _set(f"{LO}.providedBy", "urn:microcred-registry:organisation/kuleuven"),
        r"no Organisation of this dataset",
    ),
    "older property name": (
        lambda d: d["@graph"][1].__setitem__(
            "specifiedBy", d["@graph"][1].pop("learningAchievementSpecification")
        ),
        r"specifiedBy is not a property of LearningOpportunity",
    ),
    "title not a language map": (_set(f"{LO}.title", "Politiek"), r"must be a language map"),
    "bad language tag": (_set(f"{LO}.title", {"dutch language": "Politiek"}), r"invalid language tag"),
    "homepage not http": (
        _set(f"{LO}.homepage.contentURL", "javascript:alert(1)"),
        r"is not an http\(s\) URL",
    ),
    "two specifications": (
        lambda d: d["@graph"][1].__setitem__(
            "learningAchievementSpecification", [d["@graph"][1]["learningAchievementSpecification"]] * 2
        ),
        r"takes one value, not a list",
    ),
    "wrong node type": (_set(f"{SPEC}.creditPoint.type", "Note"), r"creditPoint must hold CreditPoint"),
    "fee not a decimal": (
        _set(f"{LO}.priceDetail.amount.rdf:value", {"@value": "€ 265", "@type": "xsd:decimal"}),
        r"is not a non-negative xsd:decimal",
    ),
    "fee as elm:value": (
        lambda d: d["@graph"][1]["priceDetail"]["amount"].__setitem__(
            "value", d["@graph"][1]["priceDetail"]["amount"].pop("rdf:value")["@value"]
        ),
        r"value is not a property of Amount",
    ),
    "no context": (_delete("@context"), r"@context does not name the ELM context"),
    "edc-ap context alone": (_set("@context", [elm.EDC_CONTEXT]), r"is not the ELM v3 context list"),
}


@pytest.mark.parametrize("breaks, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_document_is_rejected(doc, breaks, message):
    broken = copy.deepcopy(doc)
    breaks(broken)
    problems = validate_learning_opportunities(broken)
    assert problems, "the broken document passed"
    assert any(re.search(message, p) for p in problems), problems


def test_a_document_that_is_not_a_dataset_is_rejected():
    assert validate_learning_opportunities([]) != []
    assert validate_learning_opportunities({"@context": elm.CONTEXT}) == ["@graph is missing or not a list"]
    assert validate_learning_opportunities({"@context": elm.CONTEXT, "@graph": [{"type": "Note"}]}) != []


def test_rows_missing_what_elm_requires_are_left_out_not_invented():
    no_title = {**ROW, "registry_id": "ugent:X", "title": None}
    no_language = {**ROW, "registry_id": "ugent:Y", "title_language": None, "languages": None}
    no_url = {**ROW, "registry_id": "ugent:U", "url": None}
    page_language_only = {**ROW, "registry_id": "ugent:Z", "title_language": None, "languages": ["en"]}
    built, skipped = dataset(
        INSTITUTION, [no_title, no_language, no_url, page_language_only], "urn:microcred-registry:"
    )
    assert [s["registry_id"] for s in skipped] == ["ugent:X", "ugent:Y", "ugent:U"]
    assert [n["identifier"]["notation"] for n in built["@graph"][1:]] == ["ugent:Z"]
    assert built["@graph"][1]["defaultLanguage"]["id"].endswith("/ENG")
    assert built["@graph"][1]["title"] == {"und": "Politiek en beleid"}  # language unknown, not guessed
    assert validate_learning_opportunities(built) == []


def test_every_iso_639_1_code_has_an_eu_language_concept():
    assert set(elm.ISO_639_1_TO_EU) == set(ISO_639_1)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in elm.ISO_639_1_TO_EU.values())
    assert len(set(elm.ISO_639_1_TO_EU.values())) == len(elm.ISO_639_1_TO_EU)
    # The EU language authority uses ISO 639-2/T ("bibliographic" codes such as DUT or GER are not used).
    assert {k: elm.ISO_639_1_TO_EU[k] for k in ("nl", "en", "fr", "de", "el", "ga", "ln", "zh")} == {
        "nl": "NLD", "en": "ENG", "fr": "FRA", "de": "DEU", "el": "ELL", "ga": "GLE", "ln": "LIN", "zh": "ZHO",
    }  # fmt: skip


def test_every_delivery_mode_but_distance_and_hybrid_has_a_mode_concept():
    from normalise.mode import VALUES

    # Neither has a concept in the EU mode vocabulary (checked against its code list in test_elm_reference).
    assert set(elm.DELIVERY_MODE_CONCEPT) == set(VALUES) - {"distance", "hybrid"}
    assert set(elm.DELIVERY_MODE_CONCEPT.values()) <= set(elm.MODE_VOCABULARY)


def test_dumped_json_escapes_markup_and_round_trips(doc):
    import json

    lo(doc)["title"] = {"en": "</script><script>alert('&')</script>"}
    text = dump_json(doc)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == doc
    assert validate_learning_opportunities(json.loads(text)) == []
