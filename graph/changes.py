"""Change sets: validated writes applied in one transaction together with their revision.

A change set is a list of steps — create, update, upsert, delete an entity; link, unlink a
relationship. `apply_changes` runs them in order inside one write transaction, checks each
precondition (existence, `expectedVersion`, domain and range, attached relationships), records
what every step changed (before/after of the changed fields) and writes a `Revision` carrying
all of it, numbered from a global sequence. Any failure rolls the whole set back.

The log is complete: every write of MSKG goes through here or through `graph.upserts` (which
logs the same way), so replaying revisions in sequence order rebuilds the graph.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson
from neo4j import AsyncDriver
from neo4j.exceptions import ConstraintError

from graph import derived
from graph.change_record import (
    Change,
    CommentChange,
    EntityChange,
    LinkChange,
    RemovedLink,
    from_json,
    to_json,
)
from graph.errors import ConflictError, IntegrityError, NotFoundError
from graph.gateway import Tx, plain, transaction
from graph.records import native
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.iris import entity_iri
from ontology.provenance import RECORD_META

REVISION_LABEL = "Revision"
SEQUENCE_LABEL = "Sequence"
# Bookkeeping every entity carries (version, createdAt, …): never part of a change's before/after.
META = frozenset(term.name for term in RECORD_META)

SCHEMA: tuple[str, ...] = (
    f"CREATE CONSTRAINT revision_id IF NOT EXISTS FOR (r:{REVISION_LABEL}) REQUIRE r.id IS UNIQUE",
    f"CREATE CONSTRAINT revision_seq IF NOT EXISTS FOR (r:{REVISION_LABEL}) REQUIRE r.seq IS UNIQUE",
    f"CREATE INDEX revision_at IF NOT EXISTS FOR (r:{REVISION_LABEL}) ON (r.at)",
    f"CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:{SEQUENCE_LABEL}) REQUIRE s.name IS UNIQUE",
)


# -- steps -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntityStep:
    op: Literal["create", "update", "upsert", "delete"]
    class_name: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)  # flat Neo4j properties
    expected_version: int | None = None
    detach: bool = False  # delete: remove attached relationships too
    expect: dict[str, Any] = field(default_factory=dict)  # update: stored values it requires


@dataclass(frozen=True)
class LinkStep:
    op: Literal["link", "unlink"]
    rel_type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CommentStep:
    """A remark on an entity (e.g. a liaison statement's discussion); changes no data."""

    op: Literal["comment"]
    key: str
    text: str


Step = EntityStep | LinkStep | CommentStep


@dataclass(frozen=True)
class Revision:
    id: str
    seq: int
    at: dt.datetime
    actor: str
    comment: str | None
    sources: list[str]
    changes: list[Change]
    approved_by: str | None = None
    proposal: str | None = None
    reverts: str | None = None
    source_notes: dict[str, str] = field(default_factory=dict)  # what each source supports


# -- JSON that keeps dates -------------------------------------------------------------------------
def _date_tag(value: Any) -> dict[str, str] | None:
    """A date or time as the tagged object the change JSON holds; None for anything else."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return None


def _encode(value: Any) -> Any:
    value = native(value)
    tag = _date_tag(value)
    if tag is not None:
        return tag
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return dt.date.fromisoformat(value["$date"])
        if set(value) == {"$datetime"}:
            return dt.datetime.fromisoformat(value["$datetime"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Any:
    return _decode(json.loads(text))


def steps_to_json(steps: list[Step]) -> str:
    kinds = {EntityStep: "entity", LinkStep: "link", CommentStep: "comment"}
    return dumps([{"kind": kinds[type(s)], **asdict(s)} for s in steps])


def steps_from_json(text: str) -> list[Step]:
    out: list[Step] = []
    for item in loads(text):
        kind = item.pop("kind")
        kinds = {"entity": EntityStep, "link": LinkStep, "comment": CommentStep}
        out.append(kinds[kind](**item))
    return out


# -- applying ----------------------------------------------------------------------------------------
def declared(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored properties minus bookkeeping (meta, iri, lock)."""
    return {k: native(v) for k, v in stored.items() if k not in META and k not in ("iri", "_lock")}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


class StepContext:
    def __init__(self, tx: Tx, base_iri: str, actor: str, now: dt.datetime) -> None:
        self.tx = tx
        self.base_iri = base_iri
        self.actor = actor
        self.now = now

    async def one(self, query: str, params: dict[str, Any]) -> dict[str, Any] | None:
        result = await self.tx.run(query, params)
        record = await result.single()
        return plain(record) if record is not None else None


async def _lock_entity(ctx: StepContext, key: str) -> dict[str, Any] | None:
    # Lock first, then read: Neo4j is read-committed, so this is what prevents lost updates.
    return await ctx.one(
        f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) SET n._lock = true REMOVE n._lock "
        f"RETURN [l IN labels(n) WHERE l <> '{RESOURCE_LABEL}'][0] AS cls, properties(n) AS props",
        {"key": key},
    )


async def _create(ctx: StepContext, step: EntityStep) -> EntityChange:
    cls = ONTOLOGY.cls(step.class_name)
    props = {k: v for k, v in step.props.items() if v is not None and k not in META}
    try:
        await ctx.tx.run(
            f"CREATE (n:{RESOURCE_LABEL}:{cls.name} {{key: $key, iri: $iri}}) SET n += $props, "
            "n.version = 1, n.createdAt = $now, n.updatedAt = $now, n.createdBy = $actor, n.updatedBy = $actor",
            {
                "key": step.key,
                "iri": entity_iri(ctx.base_iri, cls, step.key),
                "props": props,
                "now": ctx.now,
                "actor": ctx.actor,
            },
        )
    except ConstraintError as exc:
        raise ConflictError(f"an entity with key {step.key!r} already exists") from exc
    after = dict(sorted({"key": step.key, **props}.items()))
    return EntityChange("create", cls.name, step.key, before=None, after=after, version=1)


async def _update(ctx: StepContext, step: EntityStep, found: dict[str, Any]) -> EntityChange:
    cls = ONTOLOGY.cls(step.class_name)
    if found["cls"] != cls.name:
        raise IntegrityError(f"{step.key!r} is a {found['cls']}, not a {cls.name}")
    current = int(found["props"]["version"])
    if step.expected_version is not None and step.expected_version != current:
        raise ConflictError(
            f"{step.key!r} is at version {current}, not {step.expected_version}: reload it and retry",
            current_version=current,
        )
    stored = declared(found["props"])
    for name, value in step.expect.items():
        if stored.get(name) != value:
            raise IntegrityError(
                f"{step.key!r} has {name} {stored.get(name)!r}, but this change needs {value!r}"
            )
    patch = {k: v for k, v in step.props.items() if k not in META and k not in ("key", "sources+")}
    wanted = {**stored, **patch}
    if step.props.get("sources+"):  # sources cited by this change are added, never replace
        wanted["sources"] = list(
            dict.fromkeys([*(wanted.get("sources") or []), *step.props["sources+"]])
        )
    wanted = {k: v for k, v in wanted.items() if v is not None}
    before, after = diff(stored, wanted)
    if not before and not after:
        return EntityChange("update", cls.name, step.key, before={}, after={}, version=current)
    await ctx.tx.run(
        f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) SET n += $set, n.version = n.version + 1, "
        "n.updatedAt = $now, n.updatedBy = $actor",
        {"key": step.key, "set": {k: after[k] for k in after}, "now": ctx.now, "actor": ctx.actor},
    )
    return EntityChange("update", cls.name, step.key, before, after, version=current + 1)


async def _delete(ctx: StepContext, step: EntityStep, found: dict[str, Any]) -> EntityChange:
    current = int(found["props"]["version"])
    if step.expected_version is not None and step.expected_version != current:
        raise ConflictError(
            f"{step.key!r} is at version {current}, not {step.expected_version}: reload it and retry",
            current_version=current,
        )
    relations = await ctx.one(
        f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) RETURN "
        "[(n)-[r]->(m) | {type: type(r), start: n.key, end: m.key, props: properties(r)}] + "
        "[(m)-[r]->(n) | {type: type(r), start: m.key, end: n.key, props: properties(r)}] AS rels",
        {"key": step.key},
    )
    rels = relations["rels"] if relations else []
    if rels and not step.detach:
        raise IntegrityError(
            f"{step.key!r} has {len(rels)} relationship(s); unlink them first or delete with detach: true"
        )
    await ctx.tx.run(f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) DETACH DELETE n", {"key": step.key})
    removed = tuple(
        RemovedLink(r["type"], r["start"], r["end"], declared(r["props"])) for r in rels
    )
    return EntityChange(
        "delete",
        found["cls"],
        step.key,
        before=declared(found["props"]),
        after=None,
        version=current,
        relationships=removed,
    )


async def _link(ctx: StepContext, step: LinkStep) -> LinkChange:
    rel = ONTOLOGY.relation(step.rel_type)
    ends = await ctx.one(
        f"OPTIONAL MATCH (a:{RESOURCE_LABEL} {{key: $start}}) OPTIONAL MATCH (b:{RESOURCE_LABEL} {{key: $end}}) "
        f"OPTIONAL MATCH (a)-[r:{rel.type}]->(b) "
        f"RETURN [l IN labels(a) WHERE l <> '{RESOURCE_LABEL}'][0] AS a, "
        f"[l IN labels(b) WHERE l <> '{RESOURCE_LABEL}'][0] AS b, properties(r) AS props",
        {"start": step.start, "end": step.end},
    )
    assert ends is not None
    for role, key, cls, allowed in (
        ("from", step.start, ends["a"], rel.domain),
        ("to", step.end, ends["b"], rel.range),
    ):
        if cls is None:
            raise NotFoundError(f"{rel.type} {role}: no entity with key {key!r}")
        if cls not in allowed:
            raise IntegrityError(
                f"{rel.type} {role}: {key!r} is a {cls}, expected {' or '.join(allowed)}"
            )
    existing = ends["props"]
    # None removes a property (as Cypher's SET += does), so a revert can restore absence.
    wanted = {k: v for k, v in step.props.items() if k not in META}
    if step.op == "unlink":
        if existing is None:
            raise NotFoundError(f"no {rel.type} relationship from {step.start!r} to {step.end!r}")
        await ctx.tx.run(
            f"MATCH (:{RESOURCE_LABEL} {{key: $start}})-[r:{rel.type}]->(:{RESOURCE_LABEL} {{key: $end}}) DELETE r",
            {"start": step.start, "end": step.end},
        )
        return LinkChange("unlink", rel.type, step.start, step.end, declared(existing), None)
    if not rel.many and existing is None:
        # A single-valued relationship is replaced, and the replacement is logged.
        others = await ctx.one(
            f"MATCH (:{RESOURCE_LABEL} {{key: $start}})-[r:{rel.type}]->(m) RETURN count(r) AS c",
            {"start": step.start},
        )
        if others and others["c"]:
            raise IntegrityError(
                f"{step.start!r} already has a {rel.type} relationship; unlink it first"
            )
    before = declared(existing) if existing is not None else None
    after = {k: v for k, v in {**(before or {}), **wanted}.items() if v is not None}
    await ctx.tx.run(
        f"MATCH (a:{RESOURCE_LABEL} {{key: $start}}), (b:{RESOURCE_LABEL} {{key: $end}}) "
        f"MERGE (a)-[r:{rel.type}]->(b) ON CREATE SET r.createdAt = $now, r.createdBy = $actor "
        "SET r += $props, r.updatedAt = $now, r.updatedBy = $actor",
        {"start": step.start, "end": step.end, "props": wanted, "now": ctx.now, "actor": ctx.actor},
    )
    b, a = diff(before or {}, after)
    if before is None:
        return LinkChange("link", rel.type, step.start, step.end, None, after)
    return LinkChange("link", rel.type, step.start, step.end, b, a)


async def _apply_step(ctx: StepContext, step: Step) -> Change:
    if isinstance(step, LinkStep):
        return await _link(ctx, step)
    if isinstance(step, CommentStep):
        target = await _lock_entity(ctx, step.key)
        if target is None:
            raise NotFoundError(f"no entity with key {step.key!r}")
        return CommentChange(target["cls"], step.key, step.text)
    if step.op == "create":
        return await _create(ctx, step)
    found = await _lock_entity(ctx, step.key)
    if found is None:
        if step.op == "upsert":
            return await _create(ctx, step)
        raise NotFoundError(f"no entity with key {step.key!r}")
    if step.op == "delete":
        return await _delete(ctx, step, found)
    return await _update(ctx, step, found)


async def next_sequence(tx: Tx) -> int:
    """The next revision number; call it after the transaction's other writes."""
    result = await tx.run(
        f"MERGE (s:{SEQUENCE_LABEL} {{name: 'revision'}}) ON CREATE SET s.value = 0 "
        "SET s.value = s.value + 1 RETURN s.value AS seq"
    )
    record = await result.single()
    assert record is not None
    return int(record["seq"])


def revision_index(changes: list[Change]) -> dict[str, list[str]]:
    """What a revision touched — entity keys, classes, relationship types — for lookups."""
    keys = sorted({k for c in changes for k in c.keys})
    classes = sorted({c.class_name for c in changes if c.class_name})
    types = sorted({c.type for c in changes if isinstance(c, LinkChange)})
    return {"keys": keys, "classes": classes, "types": types}


def changes_to_json(changes: list[Change]) -> str:
    """A revision's changes as exported: a JSON array."""
    return dumps([to_json(c) for c in changes])


def changes_from_json(text: str) -> list[Change]:
    """A revision's changes from their exported JSON array."""
    return [from_json(c) for c in loads(text)]


def _tagged(value: Any) -> Any:
    # orjson hands over what it does not write itself (and, with PASSTHROUGH, dates and times).
    tag = _date_tag(native(value))
    if tag is None:
        raise TypeError(f"cannot store {type(value).__name__} in a change set")
    return tag


_STORE_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def store_changes(changes: list[Change]) -> bytes:
    """A revision's changes as stored on its node: the JSON array, zlib-compressed. A catalogue
    import writes a revision per batch holding every record it created (the four catalogues:
    360 MB of JSON, 50x smaller compressed); history and exports read them back."""
    data = orjson.dumps([to_json(c) for c in changes], default=_tagged, option=_STORE_OPTIONS)
    return zlib.compress(data, 1)


def raw_change_list(stored: str | bytes | bytearray) -> list[dict[str, Any]]:
    """The change dicts of a stored change set (compressed bytes, or the JSON text revisions
    written before compression hold) as JSON holds them: dates still tagged (see
    `decode_change`). For readers that look at a few fields of many changes."""
    if isinstance(stored, bytes | bytearray):
        stored = zlib.decompress(stored)
    changes: list[dict[str, Any]] = orjson.loads(stored)
    return changes


def decode_change(change: dict[str, Any]) -> dict[str, Any]:
    """One change of `raw_change_list` with its dates and times as Python values."""
    decoded: dict[str, Any] = _decode(change)
    return decoded


def stored_change_list(stored: str | bytes | bytearray) -> list[dict[str, Any]]:
    """The change dicts of a stored change set: compressed bytes, or the JSON text revisions
    written before compression (and restores of old exports) hold."""
    decoded: list[dict[str, Any]] = _decode(raw_change_list(stored))
    return decoded


def stored_changes(stored: str | bytes | bytearray) -> list[Change]:
    """A revision's changes from their stored form."""
    return [from_json(c) for c in stored_change_list(stored)]


def stored_changes_text(stored: str | bytes | bytearray) -> str:
    """The JSON text of a stored change set (what exports carry)."""
    if isinstance(stored, bytes | bytearray):
        return zlib.decompress(stored).decode("utf-8")
    return stored


async def write_revision(tx: Tx, revision: Revision) -> None:
    index = revision_index(revision.changes)
    # Every write of MSKG records a revision here, in its own transaction: the one place that
    # sees each entity and link end a write touched, so the one place the gap scope and the
    # tallies are kept.
    await derived.refresh(tx, index["keys"])
    await tx.run(
        f"CREATE (r:{REVISION_LABEL} {{id: $id, seq: $seq, at: $at, actor: $actor, comment: $comment, "
        "sources: $sources, sourceNotes: $sourceNotes, changes: $changes, keys: $keys, "
        "classes: $classes, types: $types, "
        "approvedBy: $approvedBy, proposal: $proposal, reverts: $reverts})",
        {
            "id": revision.id,
            "seq": revision.seq,
            "at": revision.at,
            "actor": revision.actor,
            "comment": revision.comment,
            "sources": revision.sources,
            "sourceNotes": dumps(revision.source_notes),
            "changes": store_changes(revision.changes),
            **index,
            "approvedBy": revision.approved_by,
            "proposal": revision.proposal,
            "reverts": revision.reverts,
        },
    )


async def apply_changes(
    driver: AsyncDriver,
    database: str,
    base_iri: str,
    steps: list[Step],
    actor: str,
    comment: str | None = None,
    sources: list[str] | None = None,
    source_notes: dict[str, str] | None = None,
    approved_by: str | None = None,
    proposal: str | None = None,
    reverts: str | None = None,
    at: dt.datetime | None = None,
    then: Callable[[Tx, Revision], Awaitable[None]] | None = None,
) -> Revision | None:
    """Apply the steps and their revision in one transaction; raise on the first failure.

    Steps that change nothing (an update to the values already stored, a link that exists with
    the same properties) are left out of the revision; when nothing at all changed, no revision
    is written and None is returned — unless `then` runs, which always gets one. `then` runs
    last in the same transaction (e.g. marking a proposal approved).
    """

    async def work(tx: Tx) -> Revision | None:
        now = at or dt.datetime.now(dt.UTC)
        ctx = StepContext(tx, base_iri, actor, now)
        applied = [await _apply_step(ctx, step) for step in steps]
        changes = [c for c in applied if not _no_op(c)]
        if not changes and then is None:
            return None
        # Numbered last: every lock this set needs is already held, so sequence order is a
        # valid commit order for a replay, and nothing waits while holding the sequence.
        seq = await next_sequence(tx)
        revision = Revision(
            id=uuid.uuid4().hex,
            seq=seq,
            at=now,
            actor=actor,
            comment=comment,
            sources=list(sources or []),
            source_notes=dict(source_notes or {}),
            changes=changes,
            approved_by=approved_by,
            proposal=proposal,
            reverts=reverts,
        )
        await write_revision(tx, revision)
        if then is not None:
            await then(tx, revision)
        return revision

    return await transaction(driver, database, work)


def _no_op(change: Change) -> bool:
    """An update or link whose before and after are the same (nothing was written)."""
    return (
        change.op in ("update", "link")
        and not isinstance(change, CommentChange)
        and change.before is not None
        and not change.before
        and not change.after
    )
