"""The ELM JSON-LD datasets read as RDF, offline, and validated with the EU's own SHACL shapes (pySHACL).

What belongs here: the local copies of the JSON-LD contexts the datasets name and the document loader that
serves them (and refuses every other URL, so nothing is ever fetched), the expansion of a dataset to an
rdflib graph, and the LOQ SHACL validation the export runs before anything is moved into place.

Why it is done this way (the facts are in ``elm_reference/README.md``):

- rdflib has no document-loader hook: given a context URL it would fetch it. :func:`inline_contexts`
  therefore replaces every context URL in a document with the local copy before rdflib sees it, and raises
  :class:`UnknownContextError` for a URL that has no local copy. Nothing is downloaded, ever.
- The data graph is validated alone, without RDFS inference: adding ``ELM.ttl`` makes the closed shapes of
  superclasses (``AgentShape``) target every ``Organisation`` and reject what its own shape allows.
- Three ``sh:pattern`` values (two distinct regexes) of ``LOQ-constraints.ttl`` are Java regular expressions that Python's ``re``
  (and so pySHACL) rejects. They are rewritten in memory (:data:`JAVA_TO_PYTHON_PATTERNS`); the copied file
  stays byte for byte as published.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH

from warehouse.elm import CREDENTIALS_CONTEXT, EDC_CONTEXT

REFERENCE = files("warehouse") / "elm_reference"
# Each context URL a dataset may name -> its local copy (the only URLs the loader serves).
LOCAL_CONTEXTS: dict[str, str] = {
    CREDENTIALS_CONTEXT: "w3c/credentials-v1.jsonld",
    EDC_CONTEXT: "rdf/ap/edc/edc-ap-context.jsonld",
}
SHAPES = ("rdf/ap/loq/LOQ-constraints.ttl", "rdf/ap/loq/LOQ-constraints-mdr.ttl")
ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")

# The Java-only parts of the LOQ URL/URI patterns, rewritten for Python's re:
# - "^(?i)...": Python accepts a global flag only at the very start -> "(?i)^...";
# - "[[A-Fa-f0-9]\:\.]" (a Java class union) -> "[A-Fa-f0-9:.]";
# - "[%[\p{L}\p{Nl}\p{Nd}]]" (percent or a Unicode letter/number; re has no \p{..}) -> "(?:%|[^\W_])",
#   i.e. a word character that is not "_" (Python's \w also admits other numbers, category No).
_JAVA_HOST = r"(\[[[A-Fa-f0-9]\:\.]*[%[\p{L}\p{Nl}\p{Nd}]]*\]|[^\[/?#:]*)"
_PYTHON_HOST = r"(\[[A-Fa-f0-9:.]*(?:%|[^\W_])*\]|[^\[/?#:]*)"
_JAVA_HTTP_URL = (
    r"^(?i)(http|https):(//(([^@\[/?#]*)@)?"
    + _JAVA_HOST
    + r"(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?"
)
_JAVA_URI = (
    r"^(([^:/?#]+):)?(//(([^@\[/?#]*)@)?"
    + _JAVA_HOST
    + r"(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?"
)
JAVA_TO_PYTHON_PATTERNS: dict[str, str] = {
    _JAVA_HTTP_URL: "(?i)^" + _JAVA_HTTP_URL.removeprefix("^(?i)").replace(_JAVA_HOST, _PYTHON_HOST),
    _JAVA_URI: _JAVA_URI.replace(_JAVA_HOST, _PYTHON_HOST),
}


class UnknownContextError(ValueError):
    """A document names a JSON-LD context this project has no local copy of (it is never fetched)."""


def load_context(url: str) -> Any:
    """The document loader: the ``@context`` value of the local copy of ``url``; any other URL is refused."""
    if url not in LOCAL_CONTEXTS:
        raise UnknownContextError(
            f"no local copy of the JSON-LD context {url!r}; remote contexts are not fetched"
        )
    return _context_file(url)["@context"]


@cache
def _context_file(url: str) -> dict[str, Any]:
    return json.loads((REFERENCE / LOCAL_CONTEXTS[url]).read_text(encoding="utf-8"))


def inline_contexts(doc: Any) -> Any:
    """A copy of ``doc`` with every context URL (top level or scoped) replaced by its local copy."""

    def context_value(value: Any) -> Any:
        if isinstance(value, str):
            return copy.deepcopy(load_context(value))
        if isinstance(value, list):
            return [context_value(item) for item in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: context_value(v) if k == "@context" else walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(doc)


def to_graph(doc: Any) -> rdflib.Graph:
    """The RDF graph a JSON-LD dataset means, expanded offline with the local contexts."""
    graph = rdflib.Graph()
    graph.parse(data=json.dumps(inline_contexts(doc)), format="json-ld")
    return graph


def shapes_graph() -> rdflib.Graph:
    """LOQ-constraints.ttl and LOQ-constraints-mdr.ttl, with the Java-only patterns rewritten for Python."""
    graph = rdflib.Graph()
    for path in SHAPES:
        graph.parse(data=(REFERENCE / path).read_text(encoding="utf-8"), format="turtle")
    for subject, _, pattern in list(graph.triples((None, SH.pattern, None))):
        rewritten = JAVA_TO_PYTHON_PATTERNS.get(str(pattern))
        if rewritten is not None:
            graph.remove((subject, SH.pattern, pattern))
            graph.add((subject, SH.pattern, rdflib.Literal(rewritten)))
    for pattern in graph.objects(None, SH.pattern):
        re.compile(str(pattern))  # every pattern left must be one Python can run
    return graph


@cache
def _cached_shapes() -> rdflib.Graph:
    return shapes_graph()


def _prefixes() -> rdflib.namespace.NamespaceManager:
    """The prefixes the LOQ shapes use, for short property paths in messages (rdflib's own "dc" is 1.1)."""
    manager = rdflib.namespace.NamespaceManager(rdflib.Graph(), bind_namespaces="none")
    for prefix, namespace in (
        ("rdf", RDF), ("dc", rdflib.DCTERMS), ("elm", ELM), ("skos", rdflib.SKOS), ("foaf", rdflib.FOAF),
        ("adms", "http://www.w3.org/ns/adms#"), ("rov", "http://www.w3.org/ns/regorg#"),
    ):  # fmt: skip
        manager.bind(prefix, namespace, override=True, replace=True)
    return manager


_PREFIXES = _prefixes()


def shacl_violations(doc: Any) -> list[str]:
    """pySHACL's results for a JSON-LD dataset against the LOQ shapes, one "focus node: message" each."""
    import pyshacl

    try:
        data = to_graph(doc)
    except (
        Exception
    ) as error:  # rdflib raises many kinds; a document it cannot read is a problem, not a crash
        return [f"not readable as JSON-LD with the ELM contexts: {type(error).__name__}: {error}"]
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=_cached_shapes(), inference="none", advanced=False, allow_warnings=False
    )
    if conforms:
        return []
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        where = f" (path {_PREFIXES.normalizeUri(path)})" if isinstance(path, rdflib.URIRef) else ""
        source = f" [shape {shape}]" if isinstance(shape, rdflib.URIRef) else ""
        results.append(f"{focus}{where}: {message}{source}")
    return sorted(results)


def learning_opportunities(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """The nodes typed elm:LearningOpportunity in an expanded graph."""
    return set(graph.subjects(RDF.type, ELM.LearningOpportunity))
