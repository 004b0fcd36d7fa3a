"""Stream the whole graph as RDF triples (memory stays bounded: records are streamed);
graph/rdf_formats.py writes them out in each RDF syntax."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from neo4j import AsyncDriver
from rdflib import RDF
from rdflib import Literal as RdfLiteral

from graph.change_record import Change, from_json
from graph.changes import (
    REVISION_LABEL,
    decode_change,
    raw_change_list,
    stored_changes_text,
)
from graph.driver import Connection
from graph.gateway import Policy, policy_of, read, stream, stream_blocking
from graph.revisions import revision_from
from graph.statements import revision_events
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.iris import entity_iri
from ontology.model import ClassDef, Datatype, PropertyDef, RelationDef
from ontology.provenance import (
    ACTIVITY_CLASS,
    AGENT_CLASS,
    AT_TIME,
    CHANGED,
    EVENT_OF,
    EVENT_TYPE,
    INFORMED_BY,
    RECORD_META,
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
from ontology.rdf_terms import RDFLIB, Terms, respell


def _change_set(stored: Any, reveal: bool) -> tuple[str, list[dict[str, Any]]]:
    """A stored change set as the JSON text an export carries and as change dicts (dates still
    tagged); without `reveal`, contact details are taken out of both."""
    if reveal:
        text = stored_changes_text(stored)
        return text, orjson.loads(text)
    changes = raw_change_list(stored)
    for change in changes:
        for side in ("before", "after"):
            if isinstance(change.get(side), dict):
                change[side] = {k: v for k, v in change[side].items() if k not in PRIVATE_FIELDS}
    # As the stored text is written (sorted keys, compact), so both views read alike.
    return orjson.dumps(changes, option=orjson.OPT_SORT_KEYS).decode(), changes


def _statement_changes(changes: list[dict[str, Any]]) -> list[Change]:
    """The changes liaison-statement events are derived from, decoded; the rest of a change set
    (a catalogue import's holds tens of thousands of records) only names what it changed."""
    statement = ONTOLOGY.cls("LiaisonStatement").name
    return [
        from_json(decode_change(change))
        for change in changes
        if change.get("class") == statement
        or (change["kind"] == "link" and change.get("type") == "IN_RESPONSE_TO")
    ]


def revision_triples(
    base: str,
    stored: dict[str, Any],
    reveal: bool = True,
    terms: Terms = RDFLIB,
    agents: set[str] | None = None,
) -> list[Any]:
    """One revision as a PROV activity, with the entities it changed and the liaison-statement
    events it holds (those two are derived from its changes), in `terms`' library. Without
    `reveal`, contact details are taken out of the change set. Adds the agents it names to
    `agents`."""
    text, changes = _change_set(stored["changes"], reveal)
    stored = {**stored, "changes": text}
    source = ONTOLOGY.cls("Source")
    subject = terms.iri(str(revision_iri(base, str(stored["id"]))))
    rdf_type, activity = terms.vocab(str(RDF.type)), terms.vocab(str(ACTIVITY_CLASS))
    triples: list[Any] = [
        terms.triple(subject, rdf_type, terms.vocab(str(REVISION_CLASS))),
        terms.triple(subject, rdf_type, activity),
    ]
    triples += meta_triples(
        base, subject, stored, REVISION_TERMS, lambda key: entity_iri(base, source, key), terms
    )
    changed = terms.vocab(str(CHANGED))
    for change in changes:
        if change["kind"] == "entity":
            cls = ONTOLOGY.cls(change["class"])
            triples.append(
                terms.triple(subject, changed, terms.iri(entity_iri(base, cls, change["key"])))
            )
    rev = revision_from(stored, _statement_changes(changes))
    statement = ONTOLOGY.cls("LiaisonStatement")
    event_class, informed_by = (
        terms.vocab(str(STATEMENT_EVENT_CLASS)),
        terms.vocab(str(INFORMED_BY)),
    )
    event_of, event_type = terms.vocab(str(EVENT_OF)), terms.vocab(str(EVENT_TYPE))
    at_time, by = terms.vocab(str(AT_TIME)), terms.vocab(str(REVISION_TERMS[2].iri))
    for index, (key, event) in enumerate(revision_events(rev)):
        node = terms.iri(str(event_iri(base, rev.id, index)))
        triples += [
            terms.triple(node, rdf_type, event_class),
            terms.triple(node, rdf_type, activity),
            terms.triple(node, informed_by, subject),
            terms.triple(node, event_of, terms.iri(entity_iri(base, statement, key))),
            terms.triple(node, event_type, respell(RdfLiteral(event.type), terms)),
            terms.triple(node, at_time, respell(RdfLiteral(event.at), terms)),
            terms.triple(node, by, terms.iri(str(agent_iri(base, event.actor)))),
        ]
        if agents is not None:
            agents.add(event.actor)
    if agents is not None:
        for term in REVISION_TERMS:
            if term.kind == "agent" and stored.get(term.name) is not None:
                agents.add(str(stored[term.name]))
    return triples


RECORDS_PER_BATCH = 2000
REVISIONS_PER_FETCH = 4


@dataclass(frozen=True)
class ExportBatch:
    """Stored records of one kind, turned into triples by `batch_triples` (which a worker
    thread can run: it needs no I/O)."""

    kind: Literal["entity", "relation", "revision"]
    records: list[dict[str, Any]]
    cls: ClassDef | None = None
    rel: RelationDef | None = None


def _as_text(var: str, props: tuple[PropertyDef, ...]) -> str:
    """`var`'s properties with its dates and times as ISO strings: the driver spends a third of
    a whole-graph read turning temporal values into Python objects that the export would only
    format back into text (Neo4j's form is valid xsd:date / xsd:dateTime)."""
    names = [t.name for t in RECORD_META if t.kind == "datetime"]
    names += [p.name for p in props if p.datatype in (Datatype.DATE, Datatype.DATETIME)]
    fields = ", ".join(f"{name}: toString({var}.{name})" for name in dict.fromkeys(names))
    return f"{var} {{.*, {fields}}}"


# Rows of one class or relationship type come as records of `$chunk` rows each: the driver's
# cost is per record (~20 µs, more than decoding a row), a third of a whole-graph export when
# every row was its own record. Neo4j already held every row to sort it; the chunks are cut
# from the same sorted rows, so the memory it needs is about the same.
_CHUNKED = "\nWITH collect(row) AS rows\nUNWIND range(0, size(rows) - 1, $chunk) AS i\nRETURN rows[i..i + $chunk] AS chunk"


def _queries() -> Iterator[tuple[str, ClassDef | None, RelationDef | None]]:
    for cls in ONTOLOGY.classes:
        props = _as_text("n", ONTOLOGY.class_properties(cls))
        yield (
            f"MATCH (n:{cls.name}) WITH n ORDER BY n.key WITH {{p: {props}}} AS row{_CHUNKED}",
            cls,
            None,
        )
    for rel in ONTOLOGY.relations:
        props = _as_text("r", ONTOLOGY.relation_properties(rel))
        yield (
            f"""
MATCH (a:{RESOURCE_LABEL})-[r:{rel.type}]->(b:{RESOURCE_LABEL})
WITH {{ak: a.key, al: [l IN labels(a) WHERE l <> '{RESOURCE_LABEL}'][0],
       bk: b.key, bl: [l IN labels(b) WHERE l <> '{RESOURCE_LABEL}'][0],
       p: {props}}} AS row
ORDER BY row.ak, row.bk{_CHUNKED}
""",
            None,
            rel,
        )
    # A revision of a bulk import carries megabytes of change set: one record each.
    yield f"MATCH (r:{REVISION_LABEL}) RETURN properties(r) AS p ORDER BY r.seq", None, None


async def export_batches(
    driver: AsyncDriver, database: str, size: int = RECORDS_PER_BATCH
) -> AsyncIterator[ExportBatch]:
    """Every node of every declared class, every relationship of every declared type, then the
    revision log in sequence order, at most `size` rows at a time."""
    for query, cls, rel in _queries():
        kind: Literal["entity", "relation", "revision"] = (
            "entity" if cls else "relation" if rel else "revision"
        )
        records: list[dict[str, Any]] = []
        async for record in stream(driver, database, query, {"chunk": size}):
            if "chunk" in record:
                yield ExportBatch(kind, record["chunk"], cls, rel)
                continue
            records.append(record)
            if len(records) >= size:
                yield ExportBatch(kind, records, cls, rel)
                records = []
        if records:
            yield ExportBatch(kind, records, cls, rel)


def blocking_batches(
    driver: AsyncDriver, connection: Connection, size: int = RECORDS_PER_BATCH
) -> Generator[ExportBatch, None, None]:
    """What `export_batches` yields, read in the calling (worker) thread by the gateway's
    blocking stream: the fast way to read a whole graph."""
    return part_batches(policy_of(driver), connection, range(len(export_plan())), size)


def export_plan() -> list[tuple[str, ClassDef | None, RelationDef | None]]:
    """The statements of a whole-graph read, in the order of the export."""
    return list(_queries())


def part_batches(
    policy: Policy, connection: Connection, part: range, size: int = RECORDS_PER_BATCH
) -> Generator[ExportBatch, None, None]:
    """The batches of the plan's statements numbered in `part` (all of them make the whole
    export), in order; needs no driver, so a helper process can read its own part."""
    plan = export_plan()
    auth = (connection.user, connection.password)
    # Classes and relationship types come in chunks of `size` rows, a few chunks a fetch;
    # revisions carry their change sets (a catalogue import's are megabytes each): those are
    # fetched and handed on a few at a time, one batch each.
    queries: list[tuple[str, dict[str, Any], int]] = [
        (q, {"chunk": size}, 8) if cls or rel else (q, {}, REVISIONS_PER_FETCH)
        for q, cls, rel in (plan[i] for i in part)
    ]
    for offset, record in stream_blocking(
        policy, connection.uri, auth, connection.database, queries
    ):
        _, cls, rel = plan[part[offset]]
        if cls is not None:
            yield ExportBatch("entity", record["chunk"], cls, None)
        elif rel is not None:
            yield ExportBatch("relation", record["chunk"], None, rel)
        else:
            yield ExportBatch("revision", [record])


# What one row of each kind costs to read and write out (µs, measured on the scale-20,000
# graph: a standard with its properties and provenance, a relationship with its reified
# statement, a revision with a bulk import's change set); only their ratios matter. (Read in
# chunks, a standard costs 58 µs and a relationship 33: the same ratio.)
_RECORD_COST = {"entity": 75, "relation": 45, "revision": 6_000}


def split_plan(policy: Policy, connection: Connection, parts: int) -> list[range]:
    """The plan cut into `parts` consecutive runs of statements of about equal work, weighed
    by Neo4j's counts of nodes and relationships (its count store: no data is read)."""
    plan = export_plan()
    counts = []
    for _, cls, rel in plan:
        if cls is not None:
            counts.append(f"COUNT {{ MATCH (n:{cls.name}) }} * {_RECORD_COST['entity']}")
        elif rel is not None:
            counts.append(f"COUNT {{ MATCH ()-[r:{rel.type}]->() }} * {_RECORD_COST['relation']}")
        else:
            counts.append(f"COUNT {{ MATCH (r:{REVISION_LABEL}) }} * {_RECORD_COST['revision']}")
    statement = f"RETURN [{', '.join(counts)}] AS weights"
    auth = (connection.user, connection.password)
    rows = list(
        stream_blocking(policy, connection.uri, auth, connection.database, [(statement, {}, 1)])
    )
    weights: list[int] = rows[0][1]["weights"]
    total = sum(weights) or 1
    cuts: list[range] = []
    running, start = 0, 0
    for index, weight in enumerate(weights):
        running += weight
        if len(cuts) < parts - 1 and running >= total * (len(cuts) + 1) / parts:
            cuts.append(range(start, index + 1))
            start = index + 1
    cuts.append(range(start, len(plan)))
    return [c for c in cuts if len(c)]


def _agents_in(stored: dict[str, Any], names: set[str]) -> None:
    for term in RECORD_META:
        if term.kind == "agent" and stored.get(term.name) is not None:
            names.add(str(stored[term.name]))


def batch_triples(
    base: str, batch: ExportBatch, reveal: bool, terms: Terms, agents: set[str]
) -> list[Any]:
    """The triples of one batch in `terms`' library; adds the agents they name to `agents`."""
    triples: list[Any] = []
    if batch.kind == "entity":
        assert batch.cls is not None
        for record in batch.records:
            triples.extend(entity_triples(base, batch.cls, record["p"], reveal, terms))
            _agents_in(record["p"], agents)
    elif batch.kind == "relation":
        assert batch.rel is not None
        for record in batch.records:
            start = (ONTOLOGY.cls(record["al"]), record["ak"])
            end = (ONTOLOGY.cls(record["bl"]), record["bk"])
            triples.extend(relation_triples(base, batch.rel, start, end, record["p"], terms))
            _agents_in(record["p"], agents)
    else:
        for record in batch.records:
            triples += revision_triples(base, record["p"], reveal, terms, agents)
    return triples


def agent_triples(base: str, agents: set[str], terms: Terms) -> list[Any]:
    """`prov:Agent` typing of each agent named in the export."""
    rdf_type, agent_class = terms.vocab(str(RDF.type)), terms.vocab(str(AGENT_CLASS))
    return [
        terms.triple(terms.iri(str(agent_iri(base, name))), rdf_type, agent_class)
        for name in sorted(agents)
    ]


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
    revision log in sequence order, then the agents named in bookkeeping and the log, as
    rdflib triples. `reveal=False` is the public view: no contact details (a restore needs the
    full one). Whole-graph files come from `graph.rdf_formats.serialize_export` instead."""
    agents: set[str] = set()
    async for batch in export_batches(driver, database):
        for triple in batch_triples(base, batch, reveal, RDFLIB, agents):
            yield triple
    for typed in agent_triples(base, agents, RDFLIB):
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
