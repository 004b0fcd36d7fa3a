"""Provenance in RDF: who made and last changed each fact, and the revision log as PROV-O.

Every entity and relationship carries bookkeeping (`version`, `createdAt`, `updatedAt`,
`createdBy`, `updatedBy`); every write is a `Revision` (who, when, why, on which sources, what
changed). In RDF the bookkeeping uses DCTERMS and PROV-O, the people are `prov:Agent`s, and each
revision is a `prov:Activity` typed `mskg:Revision`. The mapping is declared here once and read
in both directions, so an export restores to the same log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from typing import Literal as Kind
from urllib.parse import quote, unquote

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from ontology.namespaces import MSKG, expand
from ontology.rdf_terms import RDFLIB, Terms

Triple = tuple[Node, Node, Node]

AGENT_CLASS = expand("prov:Agent")
REVISION_CLASS = URIRef(f"{MSKG}Revision")
ACTIVITY_CLASS = expand("prov:Activity")
STATEMENT_EVENT_CLASS = URIRef(f"{MSKG}StatementEvent")


@dataclass(frozen=True)
class MetaTerm:
    """One stored bookkeeping field and its predicate."""

    name: str  # the stored property
    predicate: str  # CURIE
    zh: str
    en: str
    kind: Kind["integer", "datetime", "string", "agent", "json", "source", "revision"]
    many: bool = False
    definition: str = ""  # what the field means, where its name does not say it

    @property
    def iri(self) -> URIRef:
        """The predicate's full IRI."""
        return expand(self.predicate)


# On every entity (and, without `version`, on every relationship's reified statement).
RECORD_META: tuple[MetaTerm, ...] = (
    MetaTerm(
        "version",
        "mskg:version",
        "版本号",
        "version",
        "integer",
        definition="Incremented by every change.",
    ),
    MetaTerm("createdAt", "dcterms:created", "创建时间", "created", "datetime"),
    MetaTerm("updatedAt", "dcterms:modified", "修改时间", "modified", "datetime"),
    MetaTerm("createdBy", "mskg:createdBy", "创建者", "created by", "agent"),
    MetaTerm("updatedBy", "mskg:modifiedBy", "最后修改者", "last modified by", "agent"),
)

# On every relationship: the same, but for the version only entities count.
RELATION_META: tuple[MetaTerm, ...] = tuple(t for t in RECORD_META if t.name != "version")

# On each revision (a prov:Activity).
REVISION_TERMS: tuple[MetaTerm, ...] = (
    MetaTerm("seq", "mskg:sequence", "序号", "sequence number", "integer"),
    MetaTerm("at", "prov:endedAtTime", "时间", "ended at", "datetime"),
    MetaTerm("actor", "prov:wasAssociatedWith", "执行者", "was associated with", "agent"),
    MetaTerm("comment", "rdfs:comment", "说明", "comment", "string"),
    MetaTerm("sources", "prov:used", "依据", "used", "source", many=True),
    MetaTerm("sourceNotes", "mskg:sourceNotes", "依据说明", "source notes (JSON)", "json"),
    MetaTerm("changes", "mskg:changes", "变更内容", "changes (JSON)", "json"),
    MetaTerm("approvedBy", "mskg:approvedBy", "批准人", "approved by", "agent"),
    MetaTerm("proposal", "mskg:proposal", "提议编号", "proposal", "string"),
    MetaTerm("reverts", "mskg:reverts", "撤销的修订", "reverts", "revision"),
)

# Derived on export from a revision's changes (recomputed, so an import skips them).
CHANGED = URIRef(f"{MSKG}changed")
EVENT_TYPE = URIRef(f"{MSKG}eventType")
EVENT_OF = URIRef(f"{MSKG}eventOf")
INFORMED_BY = expand("prov:wasInformedBy")
AT_TIME = expand("prov:atTime")
DERIVED_TERMS: tuple[tuple[URIRef, str, str], ...] = (
    (CHANGED, "修改了", "changed"),
    (EVENT_TYPE, "事件类型", "event type"),
    (EVENT_OF, "所属联络函", "event of"),
)


@lru_cache(maxsize=4096)  # a few agents sign every record of an export
def agent_iri(base: str, name: str) -> URIRef:
    """The IRI of the agent (a user or loader) called `name`."""
    return URIRef(f"{base}id/agent/{quote(name, safe='')}")


@lru_cache(maxsize=256)
def _predicate_text(curie: str) -> str:
    return str(expand(curie))


def revision_iri(base: str, revision_id: str) -> URIRef:
    """The IRI of the revision with this id."""
    return URIRef(f"{base}id/revision/{revision_id}")


def event_iri(base: str, revision_id: str, index: int) -> URIRef:
    """The IRI of the `index`-th liaison-statement event within a revision."""
    return URIRef(f"{base}id/revision/{revision_id}/event/{index}")


def parse_agent_iri(base: str, iri: str) -> str:
    """The agent name an agent IRI names; KeyError when it is not one of ours."""
    prefix = f"{base}id/agent/"
    if not iri.startswith(prefix):
        raise KeyError(f"{iri} is not an agent IRI under {prefix}")
    return unquote(iri[len(prefix) :])


def parse_revision_iri(base: str, iri: str) -> str:
    """The revision id a revision IRI names; KeyError when it is not one of ours."""
    prefix = f"{base}id/revision/"
    if not iri.startswith(prefix) or "/" in iri[len(prefix) :]:
        raise KeyError(f"{iri} is not a revision IRI under {prefix}")
    return iri[len(prefix) :]


def _to_native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


_INTEGER, _DATETIME = str(XSD.integer), str(XSD.dateTime)


def term_values(
    base: str, term: MetaTerm, value: Any, source_iri: Any = None, terms: Terms = RDFLIB
) -> Iterator[Any]:
    """RDF terms of one stored bookkeeping value (`source_iri(key)` names Source entities)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item is None:
            continue
        item = _to_native(item)
        match term.kind:
            case "integer":
                yield terms.literal(str(int(item)), _INTEGER)
            case "datetime":
                # A datetime, or its ISO text already (as whole-graph reads ask Neo4j for it).
                assert isinstance(item, dt.datetime | str), (term.name, item)
                text = item if isinstance(item, str) else item.isoformat()
                yield terms.literal(text, _DATETIME)
            case "agent":
                yield terms.iri(str(agent_iri(base, str(item))))
            case "source":
                assert source_iri is not None, term.name
                yield terms.iri(source_iri(str(item)))
            case "revision":
                yield terms.iri(str(revision_iri(base, str(item))))
            case "string" | "json":
                yield terms.literal(str(item))


def meta_triples(
    base: str,
    subject: Any,
    stored: Mapping[str, Any],
    meta: tuple[MetaTerm, ...],
    source_iri: Callable[[str], str] | None = None,
    terms: Terms = RDFLIB,
) -> Iterator[Any]:
    """Triples of the bookkeeping `meta` terms stored on `subject` (absent values give none)."""
    for term in meta:
        value = stored.get(term.name)
        if value is None:
            continue
        predicate = terms.vocab(_predicate_text(term.predicate))
        for node in term_values(base, term, value, source_iri, terms):
            yield terms.triple(subject, predicate, node)


AGENT_PREDICATES = frozenset(t.iri for t in (*RECORD_META, *REVISION_TERMS) if t.kind == "agent")


def agent_types(triples: Iterable[Triple]) -> list[Triple]:
    """`prov:Agent` typing of every agent the triples name (once each, not per mention)."""
    agents = {o for _, p, o in triples if p in AGENT_PREDICATES}
    return [(agent, RDF.type, AGENT_CLASS) for agent in sorted(agents, key=str)]


def read_term(base: str, term: MetaTerm, node: Node) -> Any:
    """An RDF term back to the stored value; ValueError when it is not of the declared kind."""
    match term.kind:
        case "integer" | "datetime":
            if not isinstance(node, Literal):
                raise ValueError(f"{term.predicate} must be a literal, not {node}")
            value = node.toPython()
            expected = int if term.kind == "integer" else dt.datetime
            if not isinstance(value, expected) or isinstance(value, bool):
                raise ValueError(f"{term.predicate}: {node!r} is not an {term.kind}")
            return value
        case "agent":
            return parse_agent_iri(base, str(node))
        case "revision":
            return parse_revision_iri(base, str(node))
        case "source":
            return str(node)
        case "string" | "json":
            if not isinstance(node, Literal):
                raise ValueError(f"{term.predicate} must be a literal, not {node}")
            return str(node)
    raise AssertionError(term.kind)
