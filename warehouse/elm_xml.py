"""The LOQ XML export: an institution's learning opportunities as the document QDR's LOQ upload describes,
and its validation against the EU's schema ``elm_reference/xsd/loq/loq.xsd``.

What belongs here: the mapping of ``programme_current`` rows to LOQ XML elements (in the order the schema's
sequences fix), why a row cannot be written (left out with the reason, never filled in), and the schema
check the export runs before anything is moved into place.

The XML differs from the JSON-LD where the schema demands more than the SHACL shapes do: a
learningAchievementSpecification must hold at least one ISCED-F field, one language and one learning outcome.
The registry has no ISCED-F classification, so every specification states the ISCED-F vocabulary's own
"Field unknown" concept (``isced-f/99``), never a field guessed from the faculty; rows with no learning
outcome or no teaching language are left out of the XML and listed. Validation uses lxml's XMLSchema
(libxml2: the schema with its code lists builds in well under a second, ``xmlschema`` needs ~4 s; the tests
check the documents with ``xmlschema`` too).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from lxml import etree

from warehouse import elm
from warehouse.elm_rdf import REFERENCE

LOQ_NS = "http://data.europa.eu/snb/model/ap/loq-constraints/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
NSMAP = {None: LOQ_NS, "skos": SKOS_NS}
SCHEMA = "xsd/loq/loq.xsd"
XSD_VERSION = "3.1.0"
# ISCED-F 2013 "Field unknown" (the broad field 99): required by the schema, unknown to the registry.
ISCED_F_UNKNOWN = "http://data.europa.eu/snb/isced-f/99"
# Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _q(name: str, ns: str = LOQ_NS) -> str:
    return f"{{{ns}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, ns: str = LOQ_NS, **attrs: str):
    element = etree.SubElement(parent, _q(name, ns), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _texts(row: dict[str, Any]) -> list[str]:
    values = [row.get(k) for k in ("title", "url", "prerequisites", "fee_covers", "registry_id")]
    values += list(row.get("learning_outcomes") or [])
    return [v for v in values if isinstance(v, str)]


def _outcomes(row: dict[str, Any]) -> list[tuple[int, str]]:
    """The learning outcomes with their position (1-based, as in the JSON-LD ids); empty ones left out."""
    items = enumerate(row.get("learning_outcomes") or [], start=1)
    return [(i, text) for i, text in items if text is not None and text.strip()]


def _languages(row: dict[str, Any]) -> list[str]:
    codes = [elm.ISO_639_1_TO_EU.get(str(code).lower()) for code in row.get("languages") or []]
    return [f"{elm.LANGUAGE_AUTHORITY}/{code}" for code in codes if code]


def _default_language(row: dict[str, Any]) -> str | None:
    for code in [row.get("title_language"), *(row.get("languages") or [])]:
        eu = elm.ISO_639_1_TO_EU.get(str(code).lower()) if code else None
        if eu:
            return f"{elm.LANGUAGE_AUTHORITY}/{eu}"
    return None


def skip_reason(row: dict[str, Any]) -> str | None:
    """Why a row cannot be an LOQ XML learning opportunity without inventing something, or None."""
    if not row.get("title") or not str(row["title"]).strip():
        return "no title (LOQ requires one)"
    if not row.get("url") or not str(row["url"]).strip():
        return "no page URL (LOQ requires a homepage)"
    if _default_language(row) is None:
        return "no page or instruction language for LOQ defaultLanguage"
    if not _languages(row):
        return "no teaching language (loq.xsd requires a language on the learning achievement specification)"
    if not _outcomes(row):
        return "no learning outcome (loq.xsd requires one on the learning achievement specification)"
    if any(_NOT_XML.search(text) for text in _texts(row)):
        return "text holds characters XML 1.0 cannot carry"
    return None


def _tag(row: dict[str, Any]) -> str:
    tag = row.get("title_language")
    return tag if isinstance(tag, str) and re.fullmatch(r"[a-z]{2,3}", tag) else "und"


def _date_time(value: Any) -> str | None:
    return None if value is None else f"{value.isoformat()}T00:00:00"


def _credit_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def document(
    institution: dict[str, Any], rows: list[dict[str, Any]], base_iri: str
) -> tuple[bytes, list[dict[str, Any]]]:
    """The institution's LOQ XML document (UTF-8 bytes) and the rows left out (with why)."""
    from warehouse.export import learning_opportunity_id, organisation_id

    root = etree.Element(_q("Courses"), nsmap=NSMAP, xsdVersion=XSD_VERSION)
    opportunities = _sub(root, "learningOpportunityReferences")
    specifications = _sub(root, "learningAchievementSpecificationReferences")
    outcomes = _sub(root, "learningOutcomeReferences")
    org_id = organisation_id(base_iri, institution["institution_id"])
    skipped: list[dict[str, Any]] = []
    for row in rows:
        reason = skip_reason(row)
        if reason is not None:
            skipped.append(
                {"registry_id": row["registry_id"], "academic_year": row["academic_year"], "reason": reason}
            )
            continue
        lo_id = learning_opportunity_id(base_iri, row["registry_id"], row["academic_year"])
        _opportunity(opportunities, row, lo_id, org_id)
        _specification(specifications, outcomes, row, lo_id)
    agents = _sub(root, "agentReferences")
    organisation = _sub(agents, "organisation", id=org_id)
    _sub(organisation, "legalName", institution["name"], language="en")
    if institution.get("website"):
        _sub(_sub(organisation, "homepage"), "contentUrl", institution["website"])
    _sub(organisation, "location", idref=f"{org_id}/location")
    locations = _sub(root, "locationReferences")
    location = _sub(locations, "location", id=f"{org_id}/location")
    country = elm.COUNTRY_ALPHA3.get(str(institution.get("country") or "").upper())
    address = _sub(location, "address")
    if country is not None:  # without it the schema check fails the export, naming this organisation
        _sub(address, "countryCode", uri=f"{elm.COUNTRY_AUTHORITY}/{country}")
    for section in (opportunities, specifications, outcomes):
        if len(section) == 0:
            root.remove(section)  # an empty list of references says nothing
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return text, skipped


def _opportunity(parent: etree._Element, row: dict[str, Any], lo_id: str, org_id: str) -> None:
    tag = _tag(row)
    node = _sub(parent, "learningOpportunity", id=lo_id)
    identifier = _sub(node, "identifier")
    _sub(identifier, "notation", row["registry_id"], ns=SKOS_NS)
    _sub(identifier, "schemeName", "microcred registry id")
    _sub(node, "title", row["title"], language=tag)
    _sub(node, "type", uri=elm.SHORT_LEARNING_PROGRAMME)
    _sub(_sub(node, "homepage"), "contentUrl", row["url"])
    start, end = _date_time(row.get("start_date")), _date_time(row.get("end_date"))
    if start or end:
        temporal = _sub(node, "temporal")
        if start:
            _sub(temporal, "startDate", start)
        if end:
            _sub(temporal, "endDate", end)
    if row.get("fee_eur") is not None:
        price = _sub(node, "priceDetail")
        amount = _sub(price, "amount")
        _sub(amount, "unit", uri=f"{elm.CURRENCY_AUTHORITY}/EUR")
        _sub(amount, "value", str(Decimal(row["fee_eur"])))
        covers = row.get("fee_covers")
        if covers and covers.strip():
            _sub(price, "description", covers, language=tag)
    _sub(node, "providedBy", idref=org_id)
    _sub(node, "learningAchievementSpecification", idref=f"{lo_id}/specification")
    _sub(node, "defaultLanguage", uri=_default_language(row))
    _sub(node, "publisher", idref=org_id)


def _specification(parent: etree._Element, outcomes: etree._Element, row: dict[str, Any], lo_id: str) -> None:
    tag = _tag(row)
    spec_id = f"{lo_id}/specification"
    spec = _sub(parent, "learningAchievementSpecification", id=spec_id)
    _sub(spec, "title", row["title"], language=tag)
    _sub(spec, "ISCEDFCode", uri=ISCED_F_UNKNOWN)
    hours = row.get("study_hours")
    if hours is not None and hours > 0 and row.get("study_hours_derived") is not True:
        _sub(spec, "volumeOfLearning", f"PT{int(hours)}H")
    credits = row.get("credits_ects")
    if credits is not None and credits > 0:
        credit = _sub(spec, "creditPoint")
        _sub(credit, "framework", uri=elm.ECTS_CONCEPT)
        _sub(credit, "point", _credit_text(credits))
    eqf = row.get("eqf_level")
    if eqf is not None and 1 <= eqf <= 8:
        _sub(spec, "educationLevel", uri=f"{elm.EQF_PREFIX}{eqf}")
    for language in _languages(row):
        _sub(spec, "language", uri=language)
    mode = elm.DELIVERY_MODE_CONCEPT.get(row.get("delivery_mode") or "")
    if mode:
        _sub(spec, "mode", uri=mode)
    prerequisites = row.get("prerequisites")
    if prerequisites and prerequisites.strip():
        _sub(_sub(spec, "entryRequirement"), "noteLiteral", prerequisites, language=tag)
    for position, text in _outcomes(row):
        outcome_id = f"{spec_id}/learning-outcome/{position}"
        _sub(spec, "learningOutcome", idref=outcome_id)
        _sub(_sub(outcomes, "learningOutcome", id=outcome_id), "title", text, language=tag)


def _safe_parser() -> etree.XMLParser:
    """No DTDs, no entities, no network: a document is data, whatever it holds."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def schema() -> etree.XMLSchema:
    """loq.xsd with its code lists and imported schemas, all read from the package's local copies."""
    path = str(REFERENCE / SCHEMA)
    return etree.XMLSchema(etree.parse(path, _safe_parser()))


def schema_problems(data: bytes) -> list[str]:
    """The schema errors of an LOQ XML document, each with its line and the id of the node it is in."""
    try:
        tree = etree.fromstring(data, _safe_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    validator = schema()
    if validator.validate(tree):
        return []
    by_line: dict[int, etree._Element] = {}
    for element in tree.iter():
        by_line.setdefault(element.sourceline or 0, element)
    problems = []
    for error in validator.error_log:
        node = by_line.get(error.line)
        owner = next(
            (e.get("id") for e in ([node, *node.iterancestors()] if node is not None else []) if e.get("id")),
            None,
        )
        where = f" ({owner})" if owner else ""
        problems.append(f"line {error.line}{where}: {error.message}")
    return problems
