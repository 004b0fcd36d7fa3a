"""Two ways of spelling the same RDF terms: rdflib (graphs that are queried, compared, restored)
and pyoxigraph (whole-graph exports, serialized in Rust at ~10x rdflib's rate).

The mapping in `ontology/rdf_mapping.py` and `ontology/provenance.py` is written once against
`Terms`, with every literal given by its lexical form, so both spellings say exactly the same
thing; a test compares the two as graphs.
"""

from __future__ import annotations

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
