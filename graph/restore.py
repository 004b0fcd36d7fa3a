"""Restore a graph exactly as exported: facts, bookkeeping and the revision log, verbatim.

An ordinary import is itself a change (it writes a revision and stamps its own time and user);
a restore is not — it brings back a graph that already has its history, so nothing is
re-stamped and no revision is added. That only makes sense into an empty database, and it
runs in one transaction: a failure leaves the database empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from graph import derived
from graph.changes import (
    REVISION_LABEL,
    SEQUENCE_LABEL,
    changes_from_json,
    revision_index,
    store_changes,
)
from graph.errors import IntegrityError
from graph.gateway import Tx, transaction
from ontology import ONTOLOGY, RESOURCE_LABEL

BATCH = 5000


@dataclass(frozen=True)
class RestoreCounts:
    entities: int
    relationships: int
    revisions: int


def _batches(rows: Sequence[Any]) -> list[Sequence[Any]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


async def _count(tx: Tx, query: str, params: dict[str, Any]) -> int:
    result = await tx.run(query, params)
    record = await result.single()
    assert record is not None
    return int(record["c"])


async def restore(
    driver: AsyncDriver,
    database: str,
    entities: Mapping[str, Sequence[dict[str, Any]]],
    relations: Mapping[str, Sequence[tuple[str, str, dict[str, Any]]]],
    revisions: Sequence[dict[str, Any]],
) -> RestoreCounts:
    """Write nodes (class → stored property maps), relationships (type → (start key, end key,
    stored properties)) and revisions (stored properties without the derived index) as given."""

    async def work(tx: Tx) -> RestoreCounts:
        occupied = await _count(
            tx,
            f"RETURN COUNT {{ MATCH (n:{RESOURCE_LABEL}) }} + COUNT {{ MATCH (r:{REVISION_LABEL}) }} AS c",
            {},
        )
        if occupied:
            raise IntegrityError(
                "a restore needs an empty database (it brings back the revision log as it was); "
                "this one holds data — import without --restore to merge, or empty it first"
            )
        n_entities = n_relations = 0
        for class_name, rows in entities.items():
            label = ONTOLOGY.cls(class_name).name  # only declared labels reach Cypher
            for batch in _batches(rows):
                n_entities += await _count(
                    tx,
                    f"UNWIND $rows AS row CREATE (n:{RESOURCE_LABEL}:{label}) SET n = row "
                    "RETURN count(n) AS c",
                    {"rows": list(batch)},
                )
        for rel_type, links in relations.items():
            rel = ONTOLOGY.relation(rel_type)
            for batch in _batches(links):
                rows = [{"start": s, "end": e, "props": p} for s, e, p in batch]
                created = await _count(
                    tx,
                    f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{key: row.start}}) "
                    f"MATCH (b:{RESOURCE_LABEL} {{key: row.end}}) "
                    f"CREATE (a)-[r:{rel.type}]->(b) SET r = row.props RETURN count(r) AS c",
                    {"rows": rows},
                )
                if created != len(rows):
                    raise IntegrityError(f"{rel.type}: a relationship names an entity not restored")
                n_relations += created
        rows = []
        for r in revisions:
            changes = changes_from_json(r["changes"])
            rows.append({**r, "changes": store_changes(changes), **revision_index(changes)})
        for batch in _batches(rows):
            await tx.run(
                f"UNWIND $rows AS row CREATE (r:{REVISION_LABEL}) SET r = row",
                {"rows": list(batch)},
            )
        if rows:
            await tx.run(
                f"MERGE (s:{SEQUENCE_LABEL} {{name: 'revision'}}) SET s.value = $seq",
                {"seq": max(int(r["seq"]) for r in rows)},
            )
        await derived.rebuild_in(tx)
        return RestoreCounts(n_entities, n_relations, len(rows))

    return await transaction(driver, database, work, bulk=True)
