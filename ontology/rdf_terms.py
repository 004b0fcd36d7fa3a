"""Three ways of spelling the same RDF terms: rdflib (graphs that are queried, compared,
restored), pyoxigraph (whole-graph exports, serialized in Rust at ~10x rdflib's rate) and
N-Triples text (whole-graph N-Triples and N-Quads, written as lines with no term objects).

The mapping in `ontology/rdf_mapping.py` and `ontology/provenance.py` is written once against
`Terms`, with every literal given by its lexical form, so both spellings say exactly the same
thing; a test compares the two as graphs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef
from typing_extensions import override

# Characters an IRI may hold as they are (RFC 3987's reserved and unreserved, and "%" for
# escapes already made); anything else in a stored IRI is percent-encoded for pyoxigraph,
# which refuses invalid IRIs where rdflib writes them as they are.
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


class Terms(Protocol):
    """Builds terms and triples of one RDF library."""

    def iri(self, value: str) -> Any:
        """A named node."""

    def vocab(self, value: str) -> Any:
        """A named node of a vocabulary (predicate, class, datatype): may come from a cache."""

    def literal(self, lexical: str, datatype: str | None = None, lang: str | None = None) -> Any:
        """A literal: plain (xsd:string), language-tagged or typed by a datatype IRI."""

    def triple(self, s: Any, p: Any, o: Any) -> Any:
        """A triple of three terms from this factory."""


class RdflibTerms(Terms):
    """rdflib's terms; a triple is a plain tuple, as rdflib's graphs take it."""

    @override
    def iri(self, value: str) -> URIRef:
        return URIRef(value)

    @override
    def vocab(self, value: str) -> URIRef:
        return URIRef(value)

    @override
    def literal(
        self, lexical: str, datatype: str | None = None, lang: str | None = None
    ) -> Literal:
        return Literal(lexical, datatype=URIRef(datatype) if datatype else None, lang=lang)

    @override
    def triple(self, s: Any, p: Any, o: Any) -> tuple[Any, Any, Any]:
        return (s, p, o)


@lru_cache(maxsize=4096)
def _ox_iri(value: str) -> ox.NamedNode:
    return _ox_named(value)


def _ox_named(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError:
        return ox.NamedNode(quote(value, safe=_IRI_SAFE))


def valid_iri(value: str) -> str:
    """`value` as an IRI every library writes alike: as it is when valid, else with what an IRI
    may not hold percent-encoded (stored URIs are checked only for their scheme)."""
    return _ox_named(value).value


class OxigraphTerms(Terms):
    """pyoxigraph's terms. Predicates, classes and datatypes repeat on every line, so named
    nodes of the vocabulary are cached; entity IRIs are built as they come."""

    @override
    def iri(self, value: str) -> ox.NamedNode:
        return _ox_named(value)

    @override
    def vocab(self, value: str) -> ox.NamedNode:
        return _ox_iri(value)

    @override
    def literal(
        self, lexical: str, datatype: str | None = None, lang: str | None = None
    ) -> ox.Literal:
        if lang:
            return ox.Literal(lexical, language=lang)
        if datatype:
            return ox.Literal(lexical, datatype=_ox_iri(datatype))
        return ox.Literal(lexical)

    @override
    def triple(self, s: Any, p: Any, o: Any) -> ox.Triple:
        return ox.Triple(s, p, o)


RDFLIB = RdflibTerms()
OXIGRAPH = OxigraphTerms()


def respell(node: Any, terms: Terms) -> Any:
    """An rdflib IRI or literal in `terms`' library (our graphs hold no blank nodes)."""
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return terms.literal(str(node), datatype, node.language)
    return terms.iri(str(node))


# pyoxigraph's N-Triples spelling of a literal's text, character for character: backslash and
# the double quote escaped, five controls by their short escapes, every other C0 control and DEL
# as \uXXXX. str.replace, not str.translate: a revision's change set is megabytes of JSON.
_CONTROL_ESCAPES = {
    **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _escaped(text: str) -> str:
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if _CONTROLS.search(text):
        text = _CONTROLS.sub(lambda m: _CONTROL_ESCAPES[m[0]], text)
    return text


@lru_cache(maxsize=4096)
def _nt_vocab(value: str) -> str:
    return str(_ox_named(value))


class NTriplesTerms(Terms):
    """Terms as their N-Triples text and a triple as its line, exactly as pyoxigraph's N-Triples
    writer spells them (a test compares the two): the ~2 µs of building three term objects
    and a triple for every line is most of a whole-graph export's time. IRIs are still checked
    (and percent-encoded when invalid) by pyoxigraph."""

    @override
    def iri(self, value: str) -> str:
        return str(_ox_named(value))

    @override
    def vocab(self, value: str) -> str:
        return _nt_vocab(value)

    @override
    def literal(self, lexical: str, datatype: str | None = None, lang: str | None = None) -> str:
        text = _escaped(lexical)
        if lang:
            return f'"{text}"@{lang.lower()}'
        if datatype and datatype != _XSD_STRING:
            return f'"{text}"^^{_nt_vocab(datatype)}'
        return f'"{text}"'

    @override
    def triple(self, s: Any, p: Any, o: Any) -> str:
        return f"{s} {p} {o} .\n"


NTRIPLES = NTriplesTerms()
