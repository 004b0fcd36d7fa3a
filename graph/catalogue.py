"""Merging published catalogues into the graph: enrich, never duplicate, never clobber.

Unlike `graph.upserts` (whose rows are the full declared property set of an entity it owns),
a catalogue row carries only the values its record gives, and

- adds its catalogue's source to the entity's `sources` (a seed entity keeps its own);
- updates the entity only when it is new, a stub, or first came from the same catalogue (a
  document listed by two catalogues — ISO/IEC items appear in both — takes its details from
  the first; the second is only noted in `catalogue` and `sources`), so importing several
  catalogues again changes nothing;
- `full=False` rows (works, committees, relation targets …) are created when missing and
  otherwise left untouched.

Each batch is one transaction with one revision (none when nothing changed). Labels and
relationship types come from the ontology only; values are parameters.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver

from graph.change_record import Change, EntityChange, LinkChange
from graph.changes import Revision, declared, diff, next_sequence, write_revision
from graph.errors import IntegrityError
from graph.gap_scope import CATALOGUE_SOURCE_PREFIX
from graph.gateway import Tx, plain, read, transaction
from ontology import ONTOLOGY, RESOURCE_LABEL


@dataclass(frozen=True)
class CatalogueRow:
    key: str
    iri: str
    props: dict[str, Any]  # no None values
    full: bool
    source: str  # key of the Source this row is taken from
    catalogue: str | None = None  # full rows: iso, iec, itu, ieee
    # Properties the record no longer gives: removed from an item only catalogues describe
    # (a seed or editor fact, cited by its own source, is never removed by an import).
    clear: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueLink:
    start: str
    end: str
    source: str


@dataclass
class BatchCounts:
    created: Counter[str] = field(default_factory=Counter)  # class or relationship type → n
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    outcome_by_key: dict[str, str] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)  # keys at either end of a changed link
    revision: str | None = None

    def add(self, other: BatchCounts) -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)


# What a created catalogue node and link hold, in the statements that look them up first and in
# those that create rows known to be new.
_NEW_NODE = """n.iri = row.iri, n += row.props, n.sources = [row.source], n.version = 1,
    n.catalogue = CASE WHEN row.catalogue IS NULL THEN null ELSE [row.catalogue] END,
    n.createdAt = $now, n.updatedAt = $now, n.createdBy = $actor, n.updatedBy = $actor"""
_NEW_LINK = """{sources: [row.source], createdAt: $now, updatedAt: $now,
    createdBy: $actor, updatedBy: $actor}"""


def _node_query(label: str) -> str:
    lists = "NOT row.source IN coalesce(n.sources, [])"
    return f"""
UNWIND $rows AS row
MERGE (n:{RESOURCE_LABEL} {{key: row.key}})
WITH n, row, properties(n) AS before, coalesce(n.catalogue, []) AS cats,
     CASE WHEN all(s IN coalesce(n.sources, []) WHERE s STARTS WITH $catalogueSource)
          THEN [k IN keys(row.nulls) WHERE n[k] IS NOT NULL] ELSE [] END AS stale
WITH n, row, before, cats, stale, CASE
  WHEN n.version IS NULL THEN 'created'
  WHEN NOT n:{label} THEN 'class-mismatch'
  WHEN NOT row.full THEN 'unchanged'
  WHEN size(cats) > 0 AND NOT coalesce(n.stub, false) AND cats[0] <> row.catalogue THEN
    CASE WHEN row.catalogue IN cats AND NOT ({lists}) THEN 'unchanged' ELSE 'noted' END
  WHEN {lists} OR (row.catalogue IS NOT NULL AND NOT row.catalogue IN cats)
    OR any(k IN keys(row.props) WHERE coalesce(n[k] <> row.props[k], n[k] IS NULL))
    OR size(stale) > 0 THEN 'updated'
  ELSE 'unchanged' END AS outcome
CALL (n, row, outcome) {{
  WITH n, row, outcome WHERE outcome = 'created'
  SET n:{label}, {_NEW_NODE}
}}
CALL (n, row, outcome, cats, stale) {{
  WITH n, row, outcome, cats, stale WHERE outcome IN ['updated', 'noted']
  SET n += CASE WHEN outcome = 'updated' THEN row.props ELSE {{}} END,
      n += CASE WHEN outcome = 'updated' AND size(stale) > 0 THEN row.nulls ELSE {{}} END,
      n.sources = CASE WHEN row.source IN coalesce(n.sources, []) THEN n.sources
                       ELSE coalesce(n.sources, []) + row.source END,
      n.catalogue = CASE WHEN row.catalogue IS NULL OR row.catalogue IN cats THEN n.catalogue
                         ELSE cats + row.catalogue END,
      n.version = n.version + 1, n.updatedAt = $now, n.updatedBy = $actor
}}
WITH n, row, outcome, before, outcome IN ['updated', 'noted'] AS changed
RETURN row.key AS key, outcome, CASE WHEN changed THEN before END AS before,
       CASE WHEN changed THEN properties(n) END AS after
"""


def _create_query(label: str) -> str:
    # Rows whose keys the caller knows are new: no MERGE, no comparison, nothing read back
    # (the uniqueness constraint on `key` still refuses a key some other writer took).
    return f"""
UNWIND $rows AS row
CREATE (n:{RESOURCE_LABEL}:{label} {{key: row.key}})
SET {_NEW_NODE}
RETURN count(*) AS created
"""


def _create_links_query(rel_type: str) -> str:
    # Links with an end created in this transaction cannot exist yet.
    return f"""
UNWIND $rows AS row
MATCH (a:{RESOURCE_LABEL} {{key: row.start}})
MATCH (b:{RESOURCE_LABEL} {{key: row.end}})
CREATE (a)-[:{rel_type} {_NEW_LINK}]->(b)
RETURN count(*) AS created
"""


def _link_query(rel_type: str) -> str:
    # Looked up, then created bare with its bookkeeping in one step: a MERGE that reads the new
    # relationship's properties back costs 2-3x as much on a catalogue's 900k links. A created
    # link's change is known without reading it back (its sources are the row's).
    return f"""
UNWIND $rows AS row
MATCH (a:{RESOURCE_LABEL} {{key: row.start}})
MATCH (b:{RESOURCE_LABEL} {{key: row.end}})
CALL (a, b) {{ OPTIONAL MATCH (a)-[o:{rel_type}]->(b) RETURN o AS old LIMIT 1 }}
WITH a, b, row, old, old.sources AS had, CASE
  WHEN old IS NULL THEN 'created'
  WHEN NOT row.source IN coalesce(old.sources, []) THEN 'updated'
  ELSE 'unchanged' END AS outcome
CALL (a, b, row, outcome) {{
  WITH a, b, row, outcome WHERE outcome = 'created'
  CREATE (a)-[:{rel_type} {_NEW_LINK}]->(b)
}}
CALL (old, row, outcome) {{
  WITH old, row, outcome WHERE outcome = 'updated'
  SET old.sources = coalesce(old.sources, []) + row.source, old.updatedAt = $now,
      old.updatedBy = $actor
}}
RETURN row.start AS start, row.end AS end, row.source AS source, outcome, had
"""


def _created(row: CatalogueRow) -> dict[str, Any]:
    """A created entity's declared properties: what the node query set, not read back."""
    after = {**row.props, "sources": [row.source]}
    if row.catalogue is not None:
        after["catalogue"] = [row.catalogue]
    return dict(sorted(after.items()))


def _create_row(row: CatalogueRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "iri": row.iri,
        "props": row.props,
        "source": row.source,
        "catalogue": row.catalogue,
    }


def _link_row(link: CatalogueLink) -> dict[str, Any]:
    return {"start": link.start, "end": link.end, "source": link.source}


def _entity_change(label: str, record: dict[str, Any], row: CatalogueRow) -> EntityChange | None:
    if record["outcome"] == "created":
        return EntityChange("create", label, record["key"], None, _created(row), version=1)
    if record["outcome"] in ("updated", "noted"):
        before, after = diff(declared(record["before"]), declared(record["after"]))
        version = record["after"]["version"]
        return EntityChange("update", label, record["key"], before, after, version)
    return None


def _link_change(rel_type: str, record: dict[str, Any]) -> LinkChange | None:
    # Catalogue links carry only `sources` besides bookkeeping.
    if record["outcome"] == "unchanged":
        return None
    start, end, source = record["start"], record["end"], record["source"]
    if record["outcome"] == "created":
        return LinkChange("link", rel_type, start, end, None, {"sources": [source]})
    had = list(record["had"] or [])
    return LinkChange("link", rel_type, start, end, {"sources": had}, {"sources": [*had, source]})


async def _write(
    tx: Tx,
    nodes: Mapping[str, Sequence[CatalogueRow]],
    links: Mapping[str, Sequence[CatalogueLink]],
    actor: str,
    comment: str,
    sources: list[str],
    source_notes: dict[str, str],
    absent: frozenset[str],
) -> BatchCounts:
    now = datetime.now(UTC)
    counts = BatchCounts()
    changes: list[Change] = []
    params = {"now": now, "actor": actor}
    for class_name, all_rows in nodes.items():
        label = ONTOLOGY.cls(class_name).name  # only declared labels reach Cypher
        new = [r for r in all_rows if r.key in absent]
        if new:
            result = await tx.run(
                _create_query(label), {**params, "rows": [_create_row(r) for r in new]}
            )
            record = await result.single(strict=True)
            if record["created"] != len(new):
                raise IntegrityError(f"{label}: {len(new) - record['created']} node(s) not created")
            for row in new:
                counts.created[class_name] += 1
                counts.outcome_by_key[row.key] = "created"
                changes.append(EntityChange("create", label, row.key, None, _created(row), 1))
        rows = [r for r in all_rows if r.key not in absent]
        if not rows:
            continue
        by_key = {r.key: r for r in rows}
        result = await tx.run(
            _node_query(label),
            {
                **params,
                "rows": [
                    {**_create_row(r), "full": r.full, "nulls": dict.fromkeys(r.clear)}
                    for r in rows
                ],
                "catalogueSource": CATALOGUE_SOURCE_PREFIX,
            },
        )
        mismatched = []
        async for record in result:
            outcome = record["outcome"]
            if outcome == "class-mismatch":
                mismatched.append(record["key"])
                continue
            bucket = {"created": counts.created, "unchanged": counts.unchanged}
            bucket.get(outcome, counts.updated)[class_name] += 1
            counts.outcome_by_key[record["key"]] = outcome
            change = _entity_change(label, plain(record), by_key[record["key"]])
            if change is not None:
                changes.append(change)
        if mismatched:
            raise IntegrityError(f"keys already used by a node that is not a {label}: {mismatched}")
    for rel_type, all_links in links.items():
        rel = ONTOLOGY.relation(rel_type).type  # only declared types reach Cypher
        fresh = [r for r in all_links if r.start in absent or r.end in absent]
        if fresh:
            result = await tx.run(
                _create_links_query(rel),
                {**params, "rows": [_link_row(r) for r in fresh]},
            )
            record = await result.single(strict=True)
            if record["created"] != len(fresh):
                missing = len(fresh) - record["created"]
                raise IntegrityError(f"{rel}: {missing} link(s) to missing nodes")
            counts.created[rel] += len(fresh)
            for r in fresh:
                changes.append(
                    LinkChange("link", rel, r.start, r.end, None, {"sources": [r.source]})
                )
                counts.linked.update((r.start, r.end))
        link_rows = [r for r in all_links if not (r.start in absent or r.end in absent)]
        if not link_rows:
            continue
        result = await tx.run(
            _link_query(rel), {**params, "rows": [_link_row(r) for r in link_rows]}
        )
        seen = 0
        async for record in result:
            seen += 1
            {"created": counts.created, "unchanged": counts.unchanged}.get(
                record["outcome"], counts.updated
            )[rel] += 1
            link = _link_change(rel, plain(record))
            if link is not None:
                changes.append(link)
                counts.linked.update((record["start"], record["end"]))
        if seen != len(link_rows):
            raise IntegrityError(f"{rel}: {len(link_rows) - seen} link(s) to missing nodes")
    if changes:  # unchanged data writes no revision
        seq = await next_sequence(tx)
        revision = Revision(
            uuid.uuid4().hex, seq, now, actor, comment, sources, changes, source_notes=source_notes
        )
        await write_revision(tx, revision)
        counts.revision = revision.id
    return counts


async def write_catalogue_batch(
    driver: AsyncDriver,
    database: str,
    nodes: Mapping[str, Sequence[CatalogueRow]],
    links: Mapping[str, Sequence[CatalogueLink]],
    actor: str,
    comment: str,
    sources: list[str],
    source_notes: dict[str, str],
    dry_run: bool = False,
    absent: frozenset[str] = frozenset(),
) -> BatchCounts:
    """Write one batch (nodes first, then links) in one transaction with its revision.
    `absent`: keys the caller knows are not in the graph (created, and their links created,
    without looking for what is there). `dry_run`: the same, rolled back — exact counts,
    nothing written."""

    async def work(tx: Tx) -> BatchCounts:
        return await _write(tx, nodes, links, actor, comment, sources, source_notes, absent)

    return await transaction(driver, database, work, bulk=True, dry_run=dry_run)


@dataclass(frozen=True)
class Known:
    """What the graph already holds, for resolving designations to keys before writing."""

    keys: dict[str, str]  # key → class
    designations: dict[tuple[str, str], str]  # (class, designation) → key


async def known_entities(driver: AsyncDriver, database: str, classes: Sequence[str]) -> Known:
    """Every key in the graph with its class, and the designations of `classes`."""
    labels = [ONTOLOGY.cls(c).name for c in classes]
    rows = await read(
        driver,
        database,
        f"MATCH (n:{RESOURCE_LABEL}) "
        f"WITH n, [l IN labels(n) WHERE l <> '{RESOURCE_LABEL}'][0] AS cls "
        "RETURN n.key AS key, cls, CASE WHEN cls IN $labels THEN n.designation END AS designation",
        {"labels": labels},
    )
    keys = {r["key"]: r["cls"] for r in rows}
    designations = {
        (r["cls"], r["designation"]): r["key"] for r in rows if r["designation"] is not None
    }
    return Known(keys, designations)
