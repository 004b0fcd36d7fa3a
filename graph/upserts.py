"""Batched, idempotent upserts of entities and relationships (UNWIND, one query per batch).

Each row's properties are the full declared set (None = absent); a node or relationship whose
stored values already equal the row is left untouched, so a second run of the same data changes
nothing — not even `version` or `updatedAt`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from neo4j import AsyncDriver

from graph.change_record import Change, EntityChange, LinkChange
from graph.changes import Revision, declared, diff, next_sequence, write_revision
from graph.errors import IntegrityError
from graph.gateway import Tx, transaction
from graph.records import native
from ontology import ONTOLOGY, RESOURCE_LABEL


@dataclass(frozen=True)
class EntityRow:
    key: str
    iri: str
    props: dict[str, Any]


@dataclass(frozen=True)
class RelationRow:
    start: str  # key of the start node
    end: str  # key of the end node
    props: dict[str, Any]


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_keys: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # for the revision log

    def add(self, other: UpsertCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changed_keys += other.changed_keys
        self.changes += other.changes


def _differs(var: str) -> str:
    # A value differs when exactly one side is null, or both are set and unequal.
    return (
        f"any(k IN keys(row.props) WHERE "
        f"coalesce({var}[k] <> row.props[k], ({var}[k] IS NULL) <> (row.props[k] IS NULL)))"
    )


# One statement for every class, and one for every relationship type: the class, type, domain
# and range are parameters (Neo4j 5.26's dynamic labels and types in SET and MERGE), so Neo4j
# plans each once. Written per class and type, the seed alone was 57 statements, each planned on
# a server's first load and again whenever the counts it was planned on had moved: 38-240 ms each
# on a 2-core machine, 8 s a seed load. `$label IN labels(n)` because 5.26 takes a dynamic
# label in those clauses only, not in a predicate.
ENTITY_UPSERT = f"""
UNWIND $rows AS row
MERGE (n:{RESOURCE_LABEL} {{key: row.key}})
WITH n, row, properties(n) AS before, CASE
  WHEN n.version IS NULL THEN 'created'
  WHEN NOT $label IN labels(n) THEN 'class-mismatch'
  WHEN {_differs("n")} THEN 'updated'
  ELSE 'unchanged' END AS outcome
CALL (n, row, outcome) {{
  WITH n, row, outcome WHERE outcome = 'created'
  SET n:$($label), n.iri = row.iri, n += row.props, n.version = 1,
      n.createdAt = $now, n.updatedAt = $now, n.createdBy = $actor, n.updatedBy = $actor
}}
CALL (n, row, outcome) {{
  WITH n, row, outcome WHERE outcome = 'updated'
  SET n += row.props, n.version = n.version + 1, n.updatedAt = $now, n.updatedBy = $actor
}}
RETURN outcome, count(*) AS c, collect(row.key) AS keys,
       collect(CASE WHEN outcome IN ['created', 'updated']
                    THEN {{outcome: outcome, key: row.key, before: before, after: row.props, version: n.version}} END) AS changes
"""


async def upsert_entities(
    tx: Tx,
    class_name: str,
    rows: Sequence[EntityRow],
    actor: str,
    now: Any,
) -> UpsertCounts:
    """Create or update nodes of one class by key (keys are unique across all classes)."""
    label = ONTOLOGY.cls(class_name).name  # only declared labels reach Cypher
    result = await tx.run(
        ENTITY_UPSERT,
        {
            "label": label,
            "rows": [{"key": r.key, "iri": r.iri, "props": r.props} for r in rows],
            "now": now,
            "actor": actor,
        },
    )
    return await _counts(
        result,
        f"keys already used by a node that is not a {label}",
        partial(_entity_change, label),
    )


_ENDS_OK = (
    "a IS NOT NULL AND b IS NOT NULL AND any(l IN labels(a) WHERE l IN $domain) "
    "AND any(l IN labels(b) WHERE l IN $range)"
)
RELATION_UPSERT = f"""
UNWIND $rows AS row
OPTIONAL MATCH (a:{RESOURCE_LABEL} {{key: row.start}})
OPTIONAL MATCH (b:{RESOURCE_LABEL} {{key: row.end}})
CALL (a, b, row) {{
  WITH a, b, row WHERE NOT ({_ENDS_OK})
  RETURN 'bad-endpoint' AS outcome, row.start + ' -> ' + row.end AS what, null AS change
UNION
  WITH a, b, row WHERE {_ENDS_OK}
  MERGE (a)-[r:$($type)]->(b)
  WITH r, row, properties(r) AS before, CASE
    WHEN r.createdAt IS NULL THEN 'created'
    WHEN {_differs("r")} THEN 'updated'
    ELSE 'unchanged' END AS outcome
  CALL (r, row, outcome) {{
    WITH r, row, outcome WHERE outcome = 'created'
    SET r += row.props, r.createdAt = $now, r.updatedAt = $now,
        r.createdBy = $actor, r.updatedBy = $actor
  }}
  CALL (r, row, outcome) {{
    WITH r, row, outcome WHERE outcome = 'updated'
    SET r += row.props, r.updatedAt = $now, r.updatedBy = $actor
  }}
  RETURN outcome, row.start + ' -> ' + row.end AS what,
         CASE WHEN outcome IN ['created', 'updated']
              THEN {{outcome: outcome, start: row.start, end: row.end, before: before, after: row.props}} END AS change
}}
RETURN outcome, count(*) AS c, collect(what) AS keys, collect(change) AS changes
"""


async def upsert_relations(
    tx: Tx,
    rel_type: str,
    rows: Sequence[RelationRow],
    actor: str,
    now: Any,
) -> UpsertCounts:
    """Create or update relationships of one type between existing nodes (one per pair)."""
    rel = ONTOLOGY.relation(rel_type)  # only declared types and labels reach Cypher
    result = await tx.run(
        RELATION_UPSERT,
        {
            "type": rel.type,
            "domain": list(rel.domain),
            "range": list(rel.range),
            "rows": [{"start": r.start, "end": r.end, "props": r.props} for r in rows],
            "now": now,
            "actor": actor,
        },
    )
    return await _counts(
        result,
        f"{rel.type} needs a start node of {'/'.join(rel.domain)} and an end node of "
        f"{'/'.join(rel.range)}; missing or of another class",
        partial(_relation_change, rel.type),
    )


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: native(v) for k, v in props.items() if v is not None}


def _entity_change(label: str, change: dict[str, Any]) -> EntityChange:
    after = _present(change["after"])
    if change["outcome"] == "created":
        created = dict(sorted(after.items()))
        return EntityChange("create", label, change["key"], None, created, version=1)
    before, after = diff(declared(change["before"]), after)
    return EntityChange("update", label, change["key"], before, after, change["version"])


def _relation_change(rel_type: str, change: dict[str, Any]) -> LinkChange:
    after = _present(change["after"])
    start, end = change["start"], change["end"]
    if change["outcome"] == "created":
        return LinkChange("link", rel_type, start, end, None, dict(sorted(after.items())))
    before, after = diff(declared(change["before"]), {**declared(change["before"]), **after})
    return LinkChange("link", rel_type, start, end, before, after)


async def _counts(
    result: Any, mismatch_message: str, record_change: Callable[[dict[str, Any]], Change]
) -> UpsertCounts:
    counts = UpsertCounts()
    async for record in result:
        outcome = record["outcome"]
        if outcome in ("class-mismatch", "bad-endpoint"):
            raise IntegrityError(f"{mismatch_message}: {', '.join(record['keys'])}")
        setattr(counts, outcome, record["c"])
        if outcome != "unchanged":
            counts.changed_keys += record["keys"]
            counts.changes += [record_change(c) for c in record["changes"] if c is not None]
    return counts


@dataclass
class UpsertReport:
    entities: dict[str, UpsertCounts] = field(default_factory=dict)
    relations: dict[str, UpsertCounts] = field(default_factory=dict)


async def upsert_graph(
    driver: AsyncDriver,
    database: str,
    entities: dict[str, list[EntityRow]],
    relations: dict[str, list[RelationRow]],
    actor: str,
    batch_size: int = 1000,
    atomic: bool = True,
    comment: str | None = None,
    sources: Sequence[str] = (),
    dry_run: bool = False,
    on_batch: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> UpsertReport:
    """Write entities (first) and then relationships as UNWIND batches.

    `atomic`: all batches in one transaction (nothing is written if any fails); otherwise one
    transaction per batch, for imports too large for one transaction (a rerun after an
    interruption completes it: upserts by key create no duplicates).
    `dry_run`: run everything in one transaction and roll it back — exact counts, no writes.
    `on_batch(rows)` is called after each committed batch (for progress bars).
    `on_progress(rows)` is called after each batch is written, with the rows written so far
    (an atomic load's one transaction shows progress too; a retried transaction starts again
    from the rows committed before it).
    """
    now = datetime.now(UTC)
    report = UpsertReport()
    steps: list[tuple[UpsertCounts, Step, int]] = []
    for class_name, rows in entities.items():
        counts = report.entities.setdefault(class_name, UpsertCounts())
        for batch in _batches(rows, batch_size):
            step = partial(upsert_entities, class_name=class_name, rows=batch, actor=actor, now=now)
            steps.append((counts, step, len(batch)))
    for rel_type, rel_rows in relations.items():
        counts = report.relations.setdefault(rel_type, UpsertCounts())
        for rel_batch in _batches(rel_rows, batch_size):
            step = partial(
                upsert_relations, rel_type=rel_type, rows=rel_batch, actor=actor, now=now
            )
            steps.append((counts, step, len(rel_batch)))

    committed = 0

    async def logged(tx: Tx, group: list[tuple[UpsertCounts, Step, int]]) -> list[UpsertCounts]:
        results: list[UpsertCounts] = []
        written = committed
        for _, step, size in group:
            results.append(await step(tx))
            written += size
            if on_progress is not None:
                on_progress(written)
        changes = [c for r in results for c in r.changes]
        if changes:  # unchanged data writes no revision: a second run changes nothing at all
            seq = await next_sequence(tx)
            revision = Revision(uuid.uuid4().hex, seq, now, actor, comment, list(sources), changes)
            await write_revision(tx, revision)
        return results

    groups = [steps] if atomic or dry_run else [[step] for step in steps]
    for group in groups:
        results = await transaction(
            driver, database, partial(logged, group=group), bulk=True, dry_run=dry_run
        )
        for (counts, _, _), result in zip(group, results, strict=True):
            counts.add(result)
        committed += sum(size for _, _, size in group)
        if on_batch is not None and not dry_run:
            on_batch(sum(size for _, _, size in group))
    return report


Step = Callable[[Tx], Awaitable[UpsertCounts]]


def _batches(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]
