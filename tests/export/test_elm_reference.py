"""The EU's artefacts as our validators use them: offline contexts, the LOQ SHACL shapes, the LOQ XML schema.

Outside facts checked here come from the EU's own files in ``warehouse/elm_reference`` (copied from the
European-Learning-Model repository): its code lists (``xsd/loq/cv``), its official example documents and its
shapes. The sample documents are built by the exporter from a row defined in ``test_elm.py`` (our fixture).
"""

from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path

import pytest
import rdflib
from lxml import etree
from rdflib.namespace import RDF, SH

from warehouse import elm, elm_rdf, elm_xml
from warehouse.export import dataset

from .test_elm import INSTITUTION, ROW

REFERENCE = Path(str(elm_rdf.REFERENCE))
CV = REFERENCE / "xsd" / "loq" / "cv"
BASE = "urn:microcred-registry:"


def code_list(name: str) -> dict[str, str]:
    """The enumeration of an EU code-list schema: concept URI -> its English documentation."""
    tree = etree.parse(str(CV / name))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    return {
        e.get("value"): " ".join("".join(e.itertext()).split())
        for e in tree.iterfind(".//xs:enumeration", ns)
    }


@pytest.fixture
def doc() -> dict:
    built, _ = dataset(INSTITUTION, [ROW], BASE)
    return built


# -- contexts, offline ----------------------------------------------------------------------------------------
def test_the_dataset_expands_offline_with_typed_nodes(doc, monkeypatch):
    import rdflib.plugins.shared.jsonld.context as jsonld_context

    def no_fetch(*args, **kwargs):
        raise AssertionError(f"rdflib tried to fetch {args}")

    monkeypatch.setattr(jsonld_context, "source_to_json", no_fetch)
    graph = elm_rdf.to_graph(doc)
    lo = rdflib.URIRef("urn:microcred-registry:learning-opportunity/ugent:BCPPOL/2024")
    assert elm_rdf.learning_opportunities(graph) == {lo}
    elm_ns = elm_rdf.ELM
    spec = graph.value(lo, elm_ns.learningAchievementSpecification)
    assert (spec, RDF.type, elm_ns.LearningAchievementSpecification) in graph
    point = graph.value(graph.value(spec, elm_ns.creditPoint), elm_ns.point)
    assert point == rdflib.Literal("7.5", datatype=rdflib.XSD.string)
    org = graph.value(lo, elm_ns.providedBy)
    assert (org, RDF.type, elm_ns.Organisation) in graph
    rdf_value = graph.value(graph.value(graph.value(lo, elm_ns.priceDetail), elm_ns.amount), RDF.value)
    assert rdf_value == rdflib.Literal("265.70", datatype=rdflib.XSD.decimal)
    languages = set(graph.objects(spec, rdflib.DCTERMS.language))
    assert languages == {
        rdflib.URIRef(f"{elm.LANGUAGE_AUTHORITY}/NLD"),
        rdflib.URIRef(f"{elm.LANGUAGE_AUTHORITY}/ENG"),
    }


def test_the_edc_ap_context_alone_loses_every_class(doc):
    """The issue's finding, reproduced: the edc-ap context does not alias id/type, so nothing stays typed."""
    alone = copy.deepcopy(doc)
    alone["@context"] = [elm.EDC_CONTEXT, elm.EXTRA_CONTEXT]
    assert elm_rdf.learning_opportunities(elm_rdf.to_graph(alone)) == set()
    assert elm_rdf.shacl_violations(alone) == []  # the shapes have nothing to check: why typing matters


def test_an_unknown_context_is_refused_not_fetched(doc):
    doc["@context"] = ["https://example.org/context.jsonld", elm.EDC_CONTEXT]
    with pytest.raises(elm_rdf.UnknownContextError, match="example.org"):
        elm_rdf.to_graph(doc)
    assert any("not readable as JSON-LD" in p for p in elm_rdf.shacl_violations(doc))


# -- the shapes ---------------------------------------------------------------------------------------------
def test_the_java_patterns_are_rewritten_for_python():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # the Java class unions also warn in Python
        for java in elm_rdf.JAVA_TO_PYTHON_PATTERNS:
            with pytest.raises(re.error):
                re.compile(java)
    http_url, uri = (re.compile(p) for p in elm_rdf.JAVA_TO_PYTHON_PATTERNS.values())
    for url in ("https://studiekiezer.ugent.be/2024/BCPPOL", "HTTP://X.EXAMPLE/a?b#c", "http://[::1]:8080/x"):
        assert http_url.fullmatch(url), url
    for not_http in ("javascript:alert(1)", "ftp://x.example/", "mailto:a@b.c"):
        assert not http_url.match(not_http), not_http
    assert uri.fullmatch("urn:microcred-registry:organisation/ugent")
    shapes = elm_rdf.shapes_graph()
    patterns = {str(p) for p in shapes.objects(None, SH.pattern)}
    assert not patterns & set(elm_rdf.JAVA_TO_PYTHON_PATTERNS)
    assert set(elm_rdf.JAVA_TO_PYTHON_PATTERNS.values()) <= patterns


def test_the_shapes_cover_every_class_we_send(doc):
    shapes = elm_rdf.shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    sent = {o for o in elm_rdf.to_graph(doc).objects(None, RDF.type)}
    assert sent - targeted == set()


def test_the_mapped_document_conforms_to_the_loq_shapes(doc):
    assert elm_rdf.shacl_violations(doc) == []


def _lo(doc: dict) -> dict:
    return doc["@graph"][1]


BROKEN = {
    # the export's bug of record: the context's "value" term is elm:value, which the closed AmountShape refuses
    "amount as elm:value": (
        lambda d: (
            _lo(d)["priceDetail"]["amount"].__setitem__("value", "265.70")
            or _lo(d)["priceDetail"]["amount"].pop("rdf:value")
        ),
        r"price/amount.*(closed|rdf:value)",
    ),
    # the shapes want the ECTS point as xsd:string; a JSON number is an xsd:double
    "credit point as a number": (
        lambda d: _lo(d)["learningAchievementSpecification"]["creditPoint"].__setitem__("point", 7.5),
        r"credit-point \(path elm:point\):.*datatype",
    ),
    "homepage not http": (
        lambda d: _lo(d)["homepage"].__setitem__("contentURL", "javascript:alert(1)"),
        r"/homepage.*contentUrl",
    ),
    "language outside the language authority": (
        lambda d: _lo(d).__setitem__(
            "defaultLanguage", elm.concept("http://example.org/nl", "http://example.org/l")
        ),
        r"ugent:BCPPOL/2024 \(path elm:defaultLanguage\)",
    ),
    "no default language": (
        lambda d: _lo(d).pop("defaultLanguage"),
        r"defaultLanguage.*(Less than 1|minCount)",
    ),
    "two periods": (
        lambda d: _lo(d).__setitem__(
            "temporal", [_lo(d)["temporal"], {**_lo(d)["temporal"], "id": "urn:x:p"}]
        ),
        r"path dc:temporal.*(More than 1|maxCount)",
    ),
}


@pytest.mark.parametrize("breaks, message", BROKEN.values(), ids=BROKEN.keys())
def test_the_shapes_refuse_a_broken_document(doc, breaks, message):
    broken = copy.deepcopy(doc)
    breaks(broken)
    violations = elm_rdf.shacl_violations(broken)
    assert violations, "pySHACL accepted the broken document"
    assert any(re.search(message, v) for v in violations), violations


# -- the XML schema -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", ["loq.xml", "loq_withLearningAchievementSpecification.xml"])
def test_the_official_examples_are_valid_and_a_broken_one_is_not(example):
    data = (REFERENCE / "xsd" / "loq" / example).read_bytes()
    assert elm_xml.schema_problems(data) == []
    broken = data.replace(b"<defaultLanguage", b"<defaultTongue", 1).replace(
        b"</defaultLanguage", b"</defaultTongue", 1
    )
    assert any("defaultTongue" in p for p in elm_xml.schema_problems(broken))


def test_the_mapped_xml_is_valid_for_both_validators():
    import xmlschema

    data, skipped = elm_xml.document(INSTITUTION, [ROW], BASE)
    assert skipped == []
    assert elm_xml.schema_problems(data) == []
    xmlschema_validator = xmlschema.XMLSchema(str(REFERENCE / "xsd" / "loq" / "loq.xsd"))
    assert list(xmlschema_validator.iter_errors(data.decode("utf-8"))) == []


def test_an_xml_error_names_its_line_and_node():
    data, _ = elm_xml.document(INSTITUTION, [ROW], BASE)
    broken = data.replace(b"education-credit/6fcec5c5af", b"education-credit/unknown")
    problems = elm_xml.schema_problems(broken)
    assert problems and all(
        re.match(r"line \d+ \(urn:microcred-registry:learning-opportunity/", p) for p in problems
    )
    assert any("education-credit/unknown" in p for p in problems)
    assert elm_xml.schema_problems(b"<Courses") == [elm_xml.schema_problems(b"<Courses")[0]]
    assert elm_xml.schema_problems(b"<Courses")[0].startswith("not well-formed XML")


def test_an_xml_document_cannot_pull_in_files():
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><Courses>&x;</Courses>'
    )
    problems = elm_xml.schema_problems(entity)
    assert problems and not any("root:" in p for p in problems)


def test_rows_the_xml_cannot_hold_are_left_out_with_the_reason():
    rows = [
        {**ROW, "registry_id": "ugent:NOOUT", "learning_outcomes": [None, " "]},
        {**ROW, "registry_id": "ugent:NOLANG", "languages": []},
        {**ROW, "registry_id": "ugent:CTRL", "title": "Bad\x0bbyte"},
        {**ROW, "registry_id": "ugent:OK"},
    ]
    data, skipped = elm_xml.document(INSTITUTION, rows, BASE)
    assert [(s["registry_id"], s["reason"].split(" (")[0]) for s in skipped] == [
        ("ugent:NOOUT", "no learning outcome"),
        ("ugent:NOLANG", "no teaching language"),
        ("ugent:CTRL", "text holds characters XML 1.0 cannot carry"),
    ]
    tree = etree.fromstring(data)
    ns = {"loq": elm_xml.LOQ_NS, "skos": elm_xml.SKOS_NS}
    assert tree.xpath("//loq:learningOpportunity/loq:identifier/skos:notation/text()", namespaces=ns) == [
        "ugent:OK"
    ]
    assert elm_xml.schema_problems(data) == []


# -- the concepts we send, against the EU's code lists --------------------------------------------------------
def test_every_concept_we_send_is_in_the_eu_code_lists():
    modes = code_list("europass-modes.xsd")
    assert set(elm.DELIVERY_MODE_CONCEPT.values()) <= set(modes)
    assert {modes[c] for c in elm.DELIVERY_MODE_CONCEPT.values()} == {"Presential", "Online", "Blended"}
    assert set(elm.MODE_VOCABULARY) <= set(modes)
    assert "http://data.europa.eu/snb/learning-assessment/c_3a90b26d" not in modes  # no "Hybrid" concept
    languages = code_list("language.xsd")
    sent = {f"{elm.LANGUAGE_AUTHORITY}/{code}" for code in elm.ISO_639_1_TO_EU.values()}
    assert sent <= set(languages), sorted(sent - set(languages))
    assert languages[f"{elm.LANGUAGE_AUTHORITY}/NLD"] == "Dutch"
    countries = code_list("country.xsd")
    assert {f"{elm.COUNTRY_AUTHORITY}/{c}" for c in elm.COUNTRY_ALPHA3.values()} <= set(countries)
    assert f"{elm.CURRENCY_AUTHORITY}/EUR" in code_list("currency.xsd")
    assert code_list("credit-points.xsd")[elm.ECTS_CONCEPT] == "European Credit Transfer System"
    assert set(code_list("eqf.xsd")) >= {f"{elm.EQF_PREFIX}{level}" for level in range(1, 9)}
    lo_types = code_list("europass-learning-opportunity-types.xsd")
    assert lo_types[elm.SHORT_LEARNING_PROGRAMME] == "Short learning programme"
    assert code_list("isced-f.xsd")[elm_xml.ISCED_F_UNKNOWN] == "Field unknown"


def test_an_organisation_without_an_eu_country_fails_the_schema_check():
    data, _ = elm_xml.document({**INSTITUTION, "country": "XX"}, [ROW], BASE)
    problems = elm_xml.schema_problems(data)
    assert any(
        "urn:microcred-registry:organisation/ugent/location" in p and "countryCode" in p for p in problems
    )
