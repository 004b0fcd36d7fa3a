"""Stream the whole graph as RDF triples (memory stays bounded: records are streamed);
graph/rdf_formats.py writes them out in each RDF syntax."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from neo4j import AsyncDriver
from rdflib import RDF, Literal, URIRef

from graph.change_record import EntityChange
from graph.changes import REVISION_LABEL, dumps, loads
from graph.gateway import read, stream
from graph.revisions import revision_from
from graph.statements import revision_events
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.iris import entity_iri
from ontology.provenance import (
    ACTIVITY_CLASS,
    AGENT_PREDICATES,
    AT_TIME,
    CHANGED,
    EVENT_OF,
    EVENT_TYPE,
    INFORMED_BY,
    REVISION_CLASS,
    REVISION_TERMS,
    STATEMENT_EVENT_CLASS,
    agent_iri,
    agent_types,
    event_iri,
    meta_triples,
    revision_iri,
)
from ontology.rdf_mapping import PRIVATE_FIELDS, Triple, entity_triples, relation_triples


def _redact(stored: dict[str, Any]) -> dict[str, Any]:
    """The revision with contact details taken out of its change set."""
    changes = loads(stored["changes"])
    for change in changes:
        for side in ("before", "after"):
            if isinstance(change.get(side), dict):
                change[side] = {k: v for k, v in change[side].items() if k not in PRIVATE_FIELDS}
    return {**stored, "changes": dumps(changes)}


def revision_triples(base: str, stored: dict[str, Any], reveal: bool = True) -> list[Triple]:
    """One revision as a PROV activity, with the entities it changed and the liaison-statement
    events it holds (those two are derived from its changes). Without `reveal`, contact
    details are taken out of the change set."""
    if not reveal:
        stored = _redact(stored)
    source = ONTOLOGY.cls("Source")
    subject = revision_iri(base, str(stored["id"]))
    triples: list[Triple] = [
        (subject, RDF.type, REVISION_CLASS),
        (subject, RDF.type, ACTIVITY_CLASS),
    ]
    triples += meta_triples(
        base, subject, stored, REVISION_TERMS, lambda key: entity_iri(base, source, key)
    )
    rev = revision_from(stored)
    for change in rev.changes:
        if isinstance(change, EntityChange):
            cls = ONTOLOGY.cls(change.class_name)
            triples.append((subject, CHANGED, URIRef(entity_iri(base, cls, change.key))))
    statement = ONTOLOGY.cls("LiaisonStatement")
    for index, (key, event) in enumerate(revision_events(rev)):
        node = event_iri(base, rev.id, index)
        agent = agent_iri(base, event.actor)
        triples += [
            (node, RDF.type, STATEMENT_EVENT_CLASS),
            (node, RDF.type, ACTIVITY_CLASS),
            (node, INFORMED_BY, subject),
            (node, EVENT_OF, URIRef(entity_iri(base, statement, key))),
            (node, EVENT_TYPE, Literal(event.type)),
            (node, AT_TIME, Literal(event.at)),
            (node, REVISION_TERMS[2].iri, agent),
        ]
    return triples


async def _facts_and_log(
    driver: AsyncDriver, database: str, base: str, reveal: bool
) -> AsyncIterator[Triple]:
    for cls in ONTOLOGY.classes:
        query = f"MATCH (n:{cls.name}) RETURN properties(n) AS p ORDER BY n.key"
        async for record in stream(driver, database, query):
            for triple in entity_triples(base, cls, record["p"], reveal):
                yield triple
    for rel in ONTOLOGY.relations:
        query = f"""
MATCH (a:{RESOURCE_LABEL})-[r:{rel.type}]->(b:{RESOURCE_LABEL})
RETURN a.key AS ak, [l IN labels(a) WHERE l <> '{RESOURCE_LABEL}'][0] AS al,
       b.key AS bk, [l IN labels(b) WHERE l <> '{RESOURCE_LABEL}'][0] AS bl,
       properties(r) AS p
ORDER BY ak, bk
"""
        async for record in stream(driver, database, query):
            start = (ONTOLOGY.cls(record["al"]), record["ak"])
            end = (ONTOLOGY.cls(record["bl"]), record["bk"])
            for triple in relation_triples(base, rel, start, end, record["p"]):
                yield triple
    query = f"MATCH (r:{REVISION_LABEL}) RETURN properties(r) AS p ORDER BY r.seq"
    async for record in stream(driver, database, query):
        for triple in revision_triples(base, record["p"], reveal):
            yield triple


async def revision_log_triples(
    driver: AsyncDriver,
    database: str,
    base: str,
    after_seq: int,
    through_seq: int,
    reveal: bool = True,
) -> list[Triple]:
    """The RDF of the revisions numbered after `after_seq` up to `through_seq`, with their agents."""
    records = await read(
        driver,
        database,
        f"MATCH (r:{REVISION_LABEL}) WHERE $after < r.seq <= $through "
        "RETURN properties(r) AS p ORDER BY r.seq",
        {"after": after_seq, "through": through_seq},
    )
    triples = [t for record in records for t in revision_triples(base, record["p"], reveal)]
    return triples + agent_types(triples)


async def export_triples(
    driver: AsyncDriver, database: str, base: str, reveal: bool = True
) -> AsyncIterator[Triple]:
    """Every node of every declared class, every relationship of every declared type, the
    revision log in sequence order, then the agents named in bookkeeping and the log.
    `reveal=False` is the public view: no contact details (a restore needs the full one)."""
    agents: set[Triple] = set()
    async for triple in _facts_and_log(driver, database, base, reveal):
        if triple[1] in AGENT_PREDICATES:
            agents.add(triple)
        yield triple
    for typed in agent_types(agents):
        yield typed


_DESCRIBE = f"""
UNWIND $keys AS key
MATCH (n:{RESOURCE_LABEL} {{key: key}})
RETURN key, [l IN labels(n) WHERE l <> '{RESOURCE_LABEL}'][0] AS cls, properties(n) AS p,
  COLLECT {{ MATCH (n)-[r]->(m:{RESOURCE_LABEL})
             RETURN {{type: type(r), key: m.key, cls: [l IN labels(m) WHERE l <> '{RESOURCE_LABEL}'][0], p: properties(r)}} }} AS outgoing,
  COLLECT {{ MATCH (m:{RESOURCE_LABEL})-[r]->(n)
             RETURN {{type: type(r), key: m.key, cls: [l IN labels(m) WHERE l <> '{RESOURCE_LABEL}'][0], p: properties(r)}} }} AS incoming
"""


def _described(base: str, record: Any, reveal: bool) -> list[Triple]:
    key = record["key"]
    cls = ONTOLOGY.cls(record["cls"])
    triples = list(entity_triples(base, cls, record["p"], reveal))
    declared = {r.type for r in ONTOLOGY.relations}
    for rel in record["outgoing"]:
        if rel["type"] in declared:
            end = (ONTOLOGY.cls(rel["cls"]), rel["key"])
            triples += relation_triples(
                base, ONTOLOGY.relation(rel["type"]), (cls, key), end, rel["p"]
            )
    for rel in record["incoming"]:
        if rel["type"] in declared:
            start = (ONTOLOGY.cls(rel["cls"]), rel["key"])
            triples += relation_triples(
                base, ONTOLOGY.relation(rel["type"]), start, (cls, key), rel["p"]
            )
    return triples + agent_types(triples)


async def describe(
    driver: AsyncDriver, database: str, base: str, key: str, reveal: bool = True
) -> list[Triple] | None:
    """The triples about one entity: its own, its outgoing relationships (with their reified
    statements) and the incoming ones; None when there is no such entity."""
    return (await describe_many(driver, database, base, [key], reveal)).get(key)


async def describe_many(
    driver: AsyncDriver, database: str, base: str, keys: list[str], reveal: bool = True
) -> dict[str, list[Triple]]:
    """What `describe` says about each of `keys`, in one round trip; keys of entities that do
    not exist are left out."""
    records = await read(driver, database, _DESCRIBE, {"keys": keys})
    return {record["key"]: _described(base, record, reveal) for record in records}
