"""The Europass Learning Model (ELM v3) vocabulary the registry's exports use, and a fast structural check.

The authoritative checks are the EU's own artefacts, run by the export: pySHACL with the LOQ shapes over the
expanded JSON-LD (``warehouse.elm_rdf``) and the LOQ XML schema (``warehouse.elm_xml``). The structural check
here reads the JSON as JSON and still earns its place for what SHACL cannot see: ids that are stable in form
(never a run id or a time), no null or empty values, dates in order, references to the dataset's own
organisation, and the exact context list; it also names the JSON path of a problem.

Sources (read, not copied), all in github.com/european-commission-empl/European-Learning-Model:

- ``rdf/ap/loq/LOQ-constraints.ttl`` (LOQ SHACL v1.1.0, 2023-05-17): the properties and cardinalities of
  LearningOpportunity (title, homepage, providedBy, learningAchievementSpecification and defaultLanguage
  required), Organisation (legalName, location required), CreditPoint (framework, point as xsd:string),
  PeriodOfTime (startDate/endDate xsd:dateTime), PriceDetail/Amount, Note, WebResource (contentURL required).
- ``rdf/ap/loq/LOQ-constraints-mdr.ttl``: the controlled vocabulary schemes (language authority, EQF scheme
  ``http://data.europa.eu/snb/eqf/25831c2``, currency and country authorities).
- ``rdf/ap/edc/edc-ap-context.jsonld``: the JSON property names (``dcType`` = dc:type, ``homepage`` =
  foaf:homepage, ``contentURL`` = elm:contentUrl, ``language`` = dc:language, ``value`` = elm:value ...).
- ``Credentials/JSON-LD Examples (ELM v3)/Sample-MC-Annex1-unsigned.jsonld``: the concept URIs used in the
  EC's own micro-credential example: ECTS ``education-credit/6fcec5c5af``, EQF ``eqf/6``, mode Blended
  ``learning-assessment/e92d221e4d`` and Online ``920fbb3cbe``, language ``.../language/ENG``, learning
  opportunity type "Short learning programme" ``learning-opportunity/74a4a268e8``, country ``.../country/BEL``.

Confirmed against the EU's LOQ XML schema code lists (``elm_reference/xsd/loq/cv``, tested): every mode
concept (Presential ``9191af2ed9`` is there; "Hybrid" ``c_3a90b26d`` is not, so hybrid is not mapped), every
language, country, currency, EQF and credit framework concept we send. The LOQ profile requires
``defaultLanguage`` but the edc-ap context does not define that term, so documents carry it in an extra
inline context entry; the Amount value is ``rdf:value`` (the SHACL's path; the context's ``value`` term is
elm:value, which the closed AmountShape refuses). Deliberately not required here: the LearningAchievementSpecification shape of
LOQ v1.1.0 lists ``thematicArea`` (ISCED-F), ``language`` and ``learningOutcome`` as required but is
``sh:deactivated``; the registry has no ISCED-F code, and sends language and outcomes only when it has them.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

# As the official ELM v3 examples list them: the W3C credentials context first (it aliases "id"/"type" to
# "@id"/"@type", which the edc-ap context does not), then the ELM context.
CREDENTIALS_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
ELM_NS = "http://data.europa.eu/snb/model/elm/"
# The LOQ profile requires elm:defaultLanguage; the edc-ap context has no term for it.
EXTRA_CONTEXT = {"defaultLanguage": {"@id": ELM_NS + "defaultLanguage", "@type": "@id"}}
CONTEXT: list[Any] = [CREDENTIALS_CONTEXT, EDC_CONTEXT, EXTRA_CONTEXT]
# The Amount's number: rdf:value as an xsd:decimal (the LOQ AmountShape's path and datatype).
AMOUNT_VALUE = "rdf:value"

LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language"
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country"
CURRENCY_AUTHORITY = "http://publications.europa.eu/resource/authority/currency"
ECTS_SCHEME = "http://data.europa.eu/snb/education-credit/25831c2"
ECTS_CONCEPT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
EQF_PREFIX = "http://data.europa.eu/snb/eqf/"
MODE_SCHEME = "http://data.europa.eu/snb/learning-assessment/25831c2"
LEARNING_OPPORTUNITY_TYPE_SCHEME = "http://data.europa.eu/snb/learning-opportunity/25831c2"
SHORT_LEARNING_PROGRAMME = "http://data.europa.eu/snb/learning-opportunity/74a4a268e8"

# The "Mode of learning and assessment" vocabulary (learning-assessment/25831c2), concept -> English label.
MODE_VOCABULARY: dict[str, str] = {
    "http://data.europa.eu/snb/learning-assessment/9191af2ed9": "Presential",
    "http://data.europa.eu/snb/learning-assessment/920fbb3cbe": "Online",
    "http://data.europa.eu/snb/learning-assessment/e92d221e4d": "Blended",
    "http://data.europa.eu/snb/learning-assessment/729f3bed4b": "Workbased",
    "http://data.europa.eu/snb/learning-assessment/7813801c77": "Project based",
    "http://data.europa.eu/snb/learning-assessment/ed4c557045": "Research-Lab based",
}
# The registry's delivery_mode -> mode concept. "distance" and "hybrid" have no concept in the EU vocabulary
# (cv/europass-modes.xsd): no mode is sent for them.
DELIVERY_MODE_CONCEPT: dict[str, str] = {
    "on_site": "http://data.europa.eu/snb/learning-assessment/9191af2ed9",
    "online": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
    "blended": "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
}

# ISO 639-1 -> the EU language authority code (ISO 639-2/T, upper case: nl -> NLD, el -> ELL, zh -> ZHO).
_ISO_639_2T = (
    "aa aar ab abk ae ave af afr ak aka am amh an arg ar ara as asm av ava ay aym az aze ba bak be bel bg bul "
    "bi bis bm bam bn ben bo bod br bre bs bos ca cat ce che ch cha co cos cr cre cs ces cu chu cv chv cy cym "
    "da dan de deu dv div dz dzo ee ewe el ell en eng eo epo es spa et est eu eus fa fas ff ful fi fin fj fij "
    "fo fao fr fra fy fry ga gle gd gla gl glg gn grn gu guj gv glv ha hau he heb hi hin ho hmo hr hrv ht hat "
    "hu hun hy hye hz her ia ina id ind ie ile ig ibo ii iii ik ipk io ido is isl it ita iu iku ja jpn jv jav "
    "ka kat kg kon ki kik kj kua kk kaz kl kal km khm kn kan ko kor kr kau ks kas ku kur kv kom kw cor ky kir "
    "la lat lb ltz lg lug li lim ln lin lo lao lt lit lu lub lv lav mg mlg mh mah mi mri mk mkd ml mal mn mon "
    "mr mar ms msa mt mlt my mya na nau nb nob nd nde ne nep ng ndo nl nld nn nno no nor nr nbl nv nav ny nya "
    "oc oci oj oji om orm or ori os oss pa pan pi pli pl pol ps pus pt por qu que rm roh rn run ro ron ru rus "
    "rw kin sa san sc srd sd snd se sme sg sag si sin sk slk sl slv sm smo sn sna so som sq sqi sr srp ss ssw "
    "st sot su sun sv swe sw swa ta tam te tel tg tgk th tha ti tir tk tuk tl tgl tn tsn to ton tr tur ts tso "
    "tt tat tw twi ty tah ug uig uk ukr ur urd uz uzb ve ven vi vie vo vol wa wln wo wol xh xho yi yid yo yor "
    "za zha zh zho zu zul"
).split()
ISO_639_1_TO_EU: dict[str, str] = {
    _ISO_639_2T[i]: _ISO_639_2T[i + 1].upper() for i in range(0, len(_ISO_639_2T), 2)
}
EU_LANGUAGE_CODES: frozenset[str] = frozenset(ISO_639_1_TO_EU.values())

# ISO 3166-1 alpha-2 -> the EU country authority code (alpha-3): EU/EEA members and neighbours.
COUNTRY_ALPHA3: dict[str, str] = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CH": "CHE", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA", "GB": "GBR", "GR": "GRC", "HR": "HRV", "HU": "HUN",
    "IE": "IRL", "IS": "ISL", "IT": "ITA", "LI": "LIE", "LT": "LTU", "LU": "LUX", "LV": "LVA", "MT": "MLT",
    "NL": "NLD", "NO": "NOR", "PL": "POL", "PT": "PRT", "RO": "ROU", "SE": "SWE", "SI": "SVN", "SK": "SVK",
}  # fmt: skip
COUNTRY_NAMES: dict[str, str] = {"BE": "Belgium", "NL": "Netherlands"}


def concept(concept_id: str, scheme: str, label: str | None = None) -> dict[str, Any]:
    """A skos:Concept node as the ELM examples write it: id, type, inScheme, and an English prefLabel."""
    node: dict[str, Any] = {
        "id": concept_id,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
    }
    if label:
        node["prefLabel"] = {"en": label}
    return node


def language_concept(iso_639_1: str, label: str | None = None) -> dict[str, Any] | None:
    """The EU language-authority concept for an ISO 639-1 code; None for a code the authority lacks."""
    code = ISO_639_1_TO_EU.get(iso_639_1.lower())
    return None if code is None else concept(f"{LANGUAGE_AUTHORITY}/{code}", LANGUAGE_AUTHORITY, label)


def country_concept(alpha2: str) -> dict[str, Any] | None:
    code = COUNTRY_ALPHA3.get(alpha2.upper())
    if code is None:
        return None
    return concept(f"{COUNTRY_AUTHORITY}/{code}", COUNTRY_AUTHORITY, COUNTRY_NAMES.get(alpha2.upper()))


def eqf_concept(level: int) -> dict[str, Any]:
    return concept(f"{EQF_PREFIX}{level}", EQF_SCHEME, f"Level {level}")


def ects_concept() -> dict[str, Any]:
    return concept(ECTS_CONCEPT, ECTS_SCHEME, "European Credit Transfer System")


def mode_concept(delivery_mode: str) -> dict[str, Any] | None:
    concept_id = DELIVERY_MODE_CONCEPT.get(delivery_mode)
    return None if concept_id is None else concept(concept_id, MODE_SCHEME, MODE_VOCABULARY[concept_id])


def currency_concept(code: str = "EUR") -> dict[str, Any]:
    return concept(f"{CURRENCY_AUTHORITY}/{code}", CURRENCY_AUTHORITY, "Euro" if code == "EUR" else None)


# -- the check --------------------------------------------------------------------------------------------
LANGUAGE_MAPS = frozenset(
    {
        "title",
        "legalName",
        "noteLiteral",
        "prefLabel",
        "altLabel",
        "description",
        "geographicName",
        "definition",
    }
)
REFERENCES = frozenset({"providedBy", "publisher"})  # may be an IRI string naming a node of the dataset
LITERALS = frozenset(
    {"volumeOfLearning", "duration", "maximumDuration", "startDate", "endDate", "point", "value", "contentURL",
     "notation", "schemeName", "schemeVersion", "schemeId", "applicationDeadline", "dateModified", "status"}
)  # fmt: skip
SINGLE = frozenset(
    {"learningAchievementSpecification", "defaultLanguage", "temporal", "volumeOfLearning", "point", "framework",
     "unit", "value", AMOUNT_VALUE, "contentURL", "countryCode", "entryRequirement", "learningSetting", "amount", "duration",
     "learningSchedule", "learningOutcomeSummary", "maximumDuration", "startDate", "endDate", "inScheme"}
)  # fmt: skip

_COMMON = {"id", "type"}
ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(_COMMON | set(props.split()))
    for name, props in {
        "LearningOpportunity": "identifier title description dcType additionalNote homepage supplementaryDocument "
        "temporal duration mode learningSchedule scheduleInformation admissionProcedure applicationDeadline "
        "priceDetail providedBy location learningAchievementSpecification learningActivitySpecification hasPart "
        "isPartOf bannerImage defaultLanguage grant dateModified publisher status",
        "LearningAchievementSpecification": "identifier title altLabel description additionalNote homepage "
        "supplementaryDocument category dateModified dcType thematicArea learningOutcomeSummary educationSubject "
        "volumeOfLearning creditPoint educationLevel language mode learningSetting maximumDuration targetGroup "
        "entryRequirement learningOutcome influencedBy provenBy entitlesTo hasPart isPartOf specialisationOf "
        "generalisationOf awardingOpportunity publisher status",
        "Organisation": "altLabel legalName identifier dcType eIDASIdentifier registration vatIdentifier "
        "taxIdentifier homepage additionalNote location accreditation contactPoint hasSubOrganization "
        "subOrganizationOf groupMemberOf logo dateModified publisher status",
        "Location": "identifier geographicName spatialCode description address geometry",
        "Address": "identifier fullAddress countryCode",
        "WebResource": "title language contentURL",
        "CreditPoint": "framework point",
        "PriceDetail": "identifier amount prefLabel description additionalNote",
        "Amount": "unit rdf:value",
        "Note": "noteLiteral subject noteFormat",
        "LearningOutcome": "identifier title dcType additionalNote reusabilityLevel relatedSkill relatedESCOSkill",
        "PeriodOfTime": "prefLabel startDate endDate",
        "Identifier": "notation schemeAgency creator dateIssued schemeName schemeVersion dcType schemeId",
        "Concept": "prefLabel altLabel notation inScheme definition",
        "ConceptScheme": "",
    }.items()
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "LearningOpportunity": (
        "title", "homepage", "providedBy", "learningAchievementSpecification", "defaultLanguage",
    ),
    "LearningAchievementSpecification": ("title",),
    "Organisation": ("legalName", "location"),
    "Location": ("address",),
    "Address": ("countryCode",),
    "WebResource": ("contentURL",),
    "CreditPoint": ("framework", "point"),
    "Amount": ("unit", AMOUNT_VALUE),
    "Note": ("noteLiteral",),
    "LearningOutcome": ("title",),
    "Identifier": ("notation",),
    "Concept": ("inScheme",),
}  # fmt: skip
# The node type each property must hold (where the profile fixes one).
RANGE: dict[str, tuple[str, ...]] = {
    "learningAchievementSpecification": ("LearningAchievementSpecification", "Qualification"),
    "creditPoint": ("CreditPoint",),
    "homepage": ("WebResource",),
    "supplementaryDocument": ("WebResource",),
    "temporal": ("PeriodOfTime",),
    "priceDetail": ("PriceDetail",),
    "amount": ("Amount",),
    "providedBy": ("Organisation",),
    "publisher": ("Organisation",),
    "location": ("Location",),
    "address": ("Address",),
    "learningOutcome": ("LearningOutcome",),
    "entryRequirement": ("Note",),
    "additionalNote": ("Note",),
    "identifier": ("Identifier",),
    "inScheme": ("ConceptScheme",),
    **{p: ("Concept",) for p in ("framework", "language", "defaultLanguage", "mode", "educationLevel", "dcType",
                                 "countryCode", "unit", "learningSetting", "learningSchedule", "thematicArea")},
}  # fmt: skip

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:\.\d+)?S)?)?$")
_DATE_TIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$")
_IRI = re.compile(r"^(?:urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:|https?://)[^\s<>\"{}|\\^`]+$")
_HTTP_URL = re.compile(r"^(?i:https?)://[^\s/?#]+[^\s]*$")
# A learning opportunity's id names only the registry id and the year: ".../learning-opportunity/X/2024".
_LO_ID = re.compile(r"^\S+[:/]learning-opportunity/[^\s/]+/\d{4}$")
# What must never be part of a stable id: run ids ("20261123T093403Z-e241a2"), timestamps, UUIDs.
_UNSTABLE = re.compile(
    r"\d{8}T\d{6}Z?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
)
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")


def validate_learning_opportunities(doc: Any) -> list[str]:
    """The problems with a dataset of ELM learning opportunities; an empty list means the shape holds.

    Checked: the JSON-LD envelope (``@context``, ``@graph``), no null or empty value anywhere, the required
    properties and the allowed (closed) properties of every node type we emit, the node type each property
    holds, language maps, the ECTS credit framework and a positive numeric point, language concepts from the
    EU language authority, mode concepts from the ELM mode vocabulary, EQF levels 1-8, ISO 8601 durations,
    xsd:dateTime dates in order, references to organisations of the dataset, and ids that are unique,
    absolute and stable in form (built from the registry id and academic year, never a run id or time).
    """
    problems: list[str] = []
    _nulls(doc, "$", problems)
    if not isinstance(doc, dict):
        return problems + ["the document is not a JSON object"]
    context = doc.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if EDC_CONTEXT not in contexts:
        problems.append(f"@context does not name the ELM context {EDC_CONTEXT}")
    elif context != CONTEXT:
        problems.append(f"@context is not the ELM v3 context list {CONTEXT}")
    graph = doc.get("@graph")
    if not isinstance(graph, list):
        return problems + ["@graph is missing or not a list"]
    organisations = {n.get("id") for n in graph if isinstance(n, dict) and n.get("type") == "Organisation"}
    seen: dict[str, str] = {}
    for index, node in enumerate(graph):
        path = f"@graph[{index}]"
        if not isinstance(node, dict) or node.get("type") not in ("LearningOpportunity", "Organisation"):
            problems.append(f"{path}: top-level nodes must be LearningOpportunity or Organisation")
            continue
        _node(node, path, problems, seen, organisations)
    return problems


def _nulls(value: Any, path: str, problems: list[str]) -> None:
    if value is None:
        problems.append(f"{path}: null value (absent values must be omitted)")
    elif isinstance(value, dict):
        if not value:
            problems.append(f"{path}: empty object")
        for key, item in value.items():
            _nulls(item, f"{path}.{key}", problems)
    elif isinstance(value, list):
        if not value:
            problems.append(f"{path}: empty list")
        for i, item in enumerate(value):
            _nulls(item, f"{path}[{i}]", problems)
    elif isinstance(value, str) and not value.strip():
        problems.append(f"{path}: empty string")
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{path}: not a finite number")


def _node(node: dict, path: str, problems: list[str], seen: dict[str, str], orgs: set) -> None:
    kind = node.get("type")
    node_id = node.get("id")
    label = f"{path} ({kind} {node_id})"
    if not isinstance(kind, str) or kind not in ALLOWED:
        problems.append(f"{path}: unknown node type {kind!r}")
        return
    if not isinstance(node_id, str) or not _IRI.match(node_id):
        problems.append(f"{label}: id must be an absolute IRI (urn: or http(s)://)")
    elif kind not in ("Concept", "ConceptScheme"):
        if node_id in seen:
            problems.append(f"{label}: id already used at {seen[node_id]}")
        seen[node_id] = path
        if _UNSTABLE.search(node_id):
            problems.append(f"{label}: id contains a run id, timestamp or UUID; ids must be stable")
        if kind == "LearningOpportunity" and not _LO_ID.match(node_id):
            problems.append(
                f"{label}: id is not of the stable form .../learning-opportunity/<registry id>/<year>"
            )
    for prop in REQUIRED.get(kind, ()):
        if prop not in node:
            problems.append(f"{label}: required property {prop} is missing")
    for prop, value in node.items():
        if prop in ("id", "type"):
            continue
        if prop not in ALLOWED[kind]:
            problems.append(f"{label}: {prop} is not a property of {kind} in the ELM LOQ profile")
            continue
        _property(node, prop, value, f"{path}.{prop}", label, problems, seen, orgs)
    _semantics(node, kind, label, problems)


def _property(
    node: dict,
    prop: str,
    value: Any,
    path: str,
    label: str,
    problems: list[str],
    seen: dict[str, str],
    orgs: set,
) -> None:
    if value is None:
        return  # reported by _nulls
    if prop in SINGLE and isinstance(value, list):
        problems.append(f"{label}: {prop} takes one value, not a list")
        return
    if prop == AMOUNT_VALUE:
        return  # a JSON-LD value object, checked in _semantics
    if prop in LANGUAGE_MAPS:
        if not isinstance(value, dict) or not value:
            problems.append(f"{label}: {prop} must be a language map {{tag: text}}")
            return
        for tag, text in value.items():
            if not _LANGUAGE_TAG.match(tag):
                problems.append(f"{label}: {prop} has an invalid language tag {tag!r}")
            if not isinstance(text, str):
                problems.append(f"{label}: {prop}[{tag}] must be text")
        return
    if prop in LITERALS:
        if prop == "point" and isinstance(value, int | float) and not isinstance(value, bool):
            return
        if not isinstance(value, str):
            problems.append(f"{label}: {prop} must be a string literal")
        return
    for i, item in enumerate(value if isinstance(value, list) else [value]):
        item_path = f"{path}[{i}]" if isinstance(value, list) else path
        if isinstance(item, str) and prop in REFERENCES:
            if item not in orgs:
                problems.append(f"{label}: {prop} names {item}, which is no Organisation of this dataset")
            continue
        if not isinstance(item, dict):
            problems.append(f"{label}: {prop} must hold nodes (objects with id and type)")
            continue
        expected = RANGE.get(prop)
        if expected and item.get("type") not in expected:
            problems.append(f"{label}: {prop} must hold {' or '.join(expected)}, not {item.get('type')!r}")
            continue
        _node(item, item_path, problems, seen, orgs)


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item.get("id") for item in items if isinstance(item, dict)]


def _scheme(value: Any) -> list[str | None]:
    items = value if isinstance(value, list) else [value]
    return [(item.get("inScheme") or {}).get("id") for item in items if isinstance(item, dict)]


def _semantics(node: dict, kind: str, label: str, problems: list[str]) -> None:
    """The controlled-vocabulary and value rules of the properties we emit."""
    if kind == "CreditPoint":
        if "framework" in node and _ids(node["framework"]) != [ECTS_CONCEPT]:
            problems.append(f"{label}: credit framework must be the ECTS concept {ECTS_CONCEPT}")
        if "point" in node and not _positive_number(node["point"]):
            problems.append(f"{label}: point {node['point']!r} is not a number greater than 0")
    for prop in ("language", "defaultLanguage"):
        if prop in node:
            for cid, scheme in zip(_ids(node[prop]), _scheme(node[prop]), strict=True):
                code = (cid or "").removeprefix(LANGUAGE_AUTHORITY + "/")
                if not (cid or "").startswith(LANGUAGE_AUTHORITY + "/") or code not in EU_LANGUAGE_CODES:
                    problems.append(f"{label}: {prop} {cid} is not an EU language-authority concept")
                if scheme != LANGUAGE_AUTHORITY:
                    problems.append(f"{label}: {prop} {cid} is not in the scheme {LANGUAGE_AUTHORITY}")
    if "mode" in node:
        for cid, scheme in zip(_ids(node["mode"]), _scheme(node["mode"]), strict=True):
            if cid not in MODE_VOCABULARY or scheme != MODE_SCHEME:
                problems.append(f"{label}: mode {cid} is not in the ELM mode vocabulary {MODE_SCHEME}")
    if "educationLevel" in node:
        for cid, scheme in zip(_ids(node["educationLevel"]), _scheme(node["educationLevel"]), strict=True):
            if not re.fullmatch(re.escape(EQF_PREFIX) + r"[1-8]", cid or "") or scheme != EQF_SCHEME:
                problems.append(f"{label}: education level {cid} is not an EQF level 1-8 concept")
    if kind == "LearningOpportunity" and "dcType" in node:
        if any(s != LEARNING_OPPORTUNITY_TYPE_SCHEME for s in _scheme(node["dcType"])):
            problems.append(f"{label}: dcType is not from the learning opportunity type vocabulary")
    for prop in ("volumeOfLearning", "duration", "maximumDuration"):
        value = node.get(prop)
        if isinstance(value, str) and not _DURATION.match(value):
            problems.append(f"{label}: {prop} {value!r} is not an ISO 8601 duration")
    if kind == "PeriodOfTime":
        _dates(node, label, problems)
    if kind == "WebResource" and isinstance(node.get("contentURL"), str):
        if not _HTTP_URL.match(node["contentURL"]):
            problems.append(f"{label}: contentURL {node['contentURL']!r} is not an http(s) URL")
    if kind == "Amount" and AMOUNT_VALUE in node:
        value = node[AMOUNT_VALUE]
        number = value.get("@value") if isinstance(value, dict) else None
        if not isinstance(number, str) or not _DECIMAL.match(number) or value.get("@type") != "xsd:decimal":
            problems.append(f"{label}: amount value {value!r} is not a non-negative xsd:decimal")
        if "unit" in node and any(
            not (c or "").startswith(CURRENCY_AUTHORITY + "/") for c in _ids(node["unit"])
        ):
            problems.append(f"{label}: amount unit is not a currency-authority concept")
    if kind == "Address" and "countryCode" in node:
        codes = [(c or "").removeprefix(COUNTRY_AUTHORITY + "/") for c in _ids(node["countryCode"])]
        if any(code not in COUNTRY_ALPHA3.values() for code in codes):
            problems.append(f"{label}: countryCode is not a country-authority concept")


def _positive_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return math.isfinite(value) and value > 0
    if not isinstance(value, str) or not re.fullmatch(r"\d+(?:\.\d+)?", value):
        return False
    try:
        return Decimal(value) > 0
    except InvalidOperation:
        return False


def _dates(node: dict, label: str, problems: list[str]) -> None:
    parsed: dict[str, datetime] = {}
    for prop in ("startDate", "endDate"):
        value = node.get(prop)
        if value is None:
            continue
        if not isinstance(value, str) or not _DATE_TIME.match(value):
            problems.append(f"{label}: {prop} {value!r} is not an xsd:dateTime")
            continue
        try:
            parsed[prop] = datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{label}: {prop} {value!r} is not a valid date and time")
    if "startDate" not in node and "endDate" not in node:
        problems.append(f"{label}: a period needs a startDate or an endDate")
    if len(parsed) == 2:
        start, end = parsed["startDate"], parsed["endDate"]
        if (start.tzinfo is None) == (end.tzinfo is None) and start > end:
            problems.append(f"{label}: startDate is after endDate")
