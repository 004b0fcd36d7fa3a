"""Reading the revision log, replaying it, and reverting a revision."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from neo4j import AsyncDriver

from graph import derived
from graph.change_record import Change, CommentChange, EntityChange, from_json
from graph.changes import (
    REVISION_LABEL,
    EntityStep,
    LinkStep,
    Revision,
    Step,
    apply_changes,
    decode_change,
    loads,
    raw_change_list,
    revision_index,
    stored_changes,
)
from graph.errors import NotFoundError
from graph.gateway import Tx, read, transaction
from graph.records import native
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.iris import entity_iri


def revision_from(props: dict[str, Any], changes: list[Change] | None = None) -> Revision:
    """A stored revision node's properties → Revision (`changes` instead of the stored ones)."""
    return Revision(
        id=props["id"],
        seq=int(props["seq"]),
        at=native(props["at"]),
        actor=props["actor"],
        comment=props.get("comment"),
        sources=list(props.get("sources") or []),
        changes=stored_changes(props["changes"]) if changes is None else changes,
        approved_by=props.get("approvedBy"),
        proposal=props.get("proposal"),
        reverts=props.get("reverts"),
        source_notes=loads(props["sourceNotes"]) if props.get("sourceNotes") else {},
    )


def _decode_all(stored: list[tuple[dict[str, Any], str | None]]) -> list[Revision]:
    return [rev for rev, _ in _decode_narrowed(stored, None)]


def _decode_narrowed(
    stored: list[tuple[dict[str, Any], str | None]], cap: int | None
) -> list[tuple[Revision, int]]:
    """Each revision with the changes that touched its key (all, with None), at most `cap`
    of them, and how many touched it. The changes are picked from the stored JSON before
    dates are decoded: a catalogue batch holds thousands of changes, of which a committee's
    history needs a few, and decoding every one took 4x as long as finding them."""
    out = []
    for props, key in stored:
        if key is None:
            rev = revision_from(props)
            out.append((rev, len(rev.changes)))
            continue
        touching = [c for c in raw_change_list(props["changes"]) if _touches(c, key)]
        kept = touching if cap is None else touching[:cap]
        changes = [from_json(decode_change(c)) for c in kept]
        out.append((revision_from(props, changes), len(touching)))
    return out


async def _decoded(stored: list[tuple[dict[str, Any], str | None]]) -> list[Revision]:
    """Stored revisions (each with the key its changes are narrowed to, or None) decoded in a
    worker thread: a catalogue import's revision holds thousands of changes, too many to
    decode on the event loop."""
    if not stored:
        return []
    return await asyncio.to_thread(_decode_all, stored)


async def get_revision(driver: AsyncDriver, database: str, revision_id: str) -> Revision:
    rows = await read(
        driver,
        database,
        f"MATCH (r:{REVISION_LABEL} {{id: $id}}) RETURN properties(r) AS p",
        {"id": revision_id},
    )
    if not rows:
        raise NotFoundError(f"no revision {revision_id!r}")
    return revision_from(rows[0]["p"])


def _touches(change: dict[str, Any], key: str) -> bool:
    return key in (change.get("key"), change.get("start"), change.get("end")) or any(
        key in (r["start"], r["end"]) for r in change.get("relationships") or ()
    )


async def history(driver: AsyncDriver, database: str, key: str, first: int = 50) -> list[Revision]:
    """Revisions that touched the entity (or its relationships), newest first, each with only
    the changes that touched it: a catalogue import's revision holds thousands of changes, and
    a committee's history would otherwise carry megabytes of other entities' changes."""
    return [rev for rev, _ in await history_page(driver, database, key, first)]


async def history_page(
    driver: AsyncDriver, database: str, key: str, first: int = 50, cap: int | None = None
) -> list[tuple[Revision, int]]:
    """`history`, with at most `cap` changes of each revision, and how many touched the entity
    (a catalogue batch adds a thousand editions to a committee: a page shows a few)."""
    rows = await read(
        driver,
        database,
        f"MATCH (r:{REVISION_LABEL}) WHERE $key IN r.keys RETURN properties(r) AS p ORDER BY r.seq DESC LIMIT $first",
        {"key": key, "first": first},
    )
    stored: list[tuple[dict[str, Any], str | None]] = [(r["p"], key) for r in rows]
    if not stored:
        return []
    return await asyncio.to_thread(_decode_narrowed, stored, cap)


async def log_after(
    driver: AsyncDriver, database: str, seq: int, head: str | None, first: int = 500
) -> list[Revision] | None:
    """The revisions after `seq` (oldest first) for a reader that last applied revision `head`
    numbered `seq`; None when that revision is gone — the log was emptied or restored and
    numbers its revisions anew. One round trip."""
    rows = await read(
        driver,
        database,
        f"OPTIONAL MATCH (h:{REVISION_LABEL} {{seq: $seq}}) "
        "RETURN coalesce(h.id = $head, $seq = 0) AS same, "
        f"COLLECT {{ MATCH (r:{REVISION_LABEL}) WHERE r.seq > $seq "
        "RETURN properties(r) AS p ORDER BY r.seq LIMIT $first } AS revisions",
        {"seq": seq, "head": head, "first": first},
    )
    if not rows[0]["same"]:
        return None
    return await _decoded([(p, None) for p in rows[0]["revisions"]])


async def log_position(
    driver: AsyncDriver, database: str, seq: int, head: str | None
) -> tuple[int, str | None, bool]:
    """The newest revision's number and id, and whether a reader's last applied revision
    (`head`, numbered `seq`) is still in the log — False when the log was emptied or
    restored and numbers its revisions anew. One round trip."""
    rows = await read(
        driver,
        database,
        f"OPTIONAL MATCH (h:{REVISION_LABEL} {{seq: $seq}}) "
        "WITH coalesce(h.id = $head, $seq = 0) AS same "
        f"OPTIONAL MATCH (r:{REVISION_LABEL}) "
        "WITH same, r ORDER BY r.seq DESC LIMIT 1 "
        "RETURN same, r.seq AS seq, r.id AS id",
        {"seq": seq, "head": head},
    )
    row = rows[0]
    if row["seq"] is None:
        return 0, None, bool(row["same"])
    return int(row["seq"]), str(row["id"]), bool(row["same"])


async def recent_changes(
    driver: AsyncDriver,
    database: str,
    since: dt.datetime | None = None,
    classes: list[str] | None = None,
    first: int = 50,
    after_seq: int | None = None,
) -> list[Revision]:
    """Revisions newest first (or, with `after_seq`, the ones after it, oldest first)."""
    order = "ASC" if after_seq is not None else "DESC"
    rows = await read(
        driver,
        database,
        f"MATCH (r:{REVISION_LABEL}) WHERE ($since IS NULL OR r.at >= $since) "
        "AND ($after IS NULL OR r.seq > $after) "
        "AND ($classes IS NULL OR any(c IN r.classes WHERE c IN $classes)) "
        f"RETURN properties(r) AS p ORDER BY r.seq {order} LIMIT $first",
        {"since": since, "classes": classes, "first": first, "after": after_seq},
    )
    return await _decoded([(r["p"], None) for r in rows])


# -- replay ------------------------------------------------------------------------------------------
async def _replay_change(tx: Tx, base: str, rev: Revision, change: Change) -> None:
    meta = {"at": rev.at, "actor": rev.actor}
    if isinstance(change, CommentChange):
        return  # remarks change no data
    if isinstance(change, EntityChange):
        cls = ONTOLOGY.cls(change.class_name)
        if change.op == "create":
            props = {k: v for k, v in (change.after or {}).items() if k != "key"}
            await tx.run(
                f"CREATE (n:{RESOURCE_LABEL}:{cls.name} {{key: $key, iri: $iri}}) SET n += $props, n.version = 1, "
                "n.createdAt = $at, n.updatedAt = $at, n.createdBy = $actor, n.updatedBy = $actor",
                {
                    "key": change.key,
                    "iri": entity_iri(base, cls, change.key),
                    "props": props,
                    **meta,
                },
            )
        elif change.op == "update":
            if change.after or change.before:
                await tx.run(
                    f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) SET n += $props, n.version = $version, "
                    "n.updatedAt = $at, n.updatedBy = $actor",
                    {
                        "key": change.key,
                        "props": change.after,
                        "version": change.version,
                        **meta,
                    },
                )
        else:
            await tx.run(
                f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) DETACH DELETE n", {"key": change.key}
            )
        return
    rel = ONTOLOGY.relation(change.type).type
    ends = {"start": change.start, "end": change.end}
    if change.op == "unlink":
        await tx.run(
            f"MATCH (:{RESOURCE_LABEL} {{key: $start}})-[r:{rel}]->(:{RESOURCE_LABEL} {{key: $end}}) DELETE r",
            ends,
        )
        return
    await tx.run(
        f"MATCH (a:{RESOURCE_LABEL} {{key: $start}}), (b:{RESOURCE_LABEL} {{key: $end}}) "
        f"MERGE (a)-[r:{rel}]->(b) ON CREATE SET r.createdAt = $at, r.createdBy = $actor "
        "SET r += $props, r.updatedAt = $at, r.updatedBy = $actor",
        {**ends, "props": change.after, **meta},
    )


async def replay(
    driver: AsyncDriver, database: str, base_iri: str, revisions: list[Revision]
) -> None:
    """Apply recorded revisions in sequence order (to an empty graph, this rebuilds it)."""
    for rev in sorted(revisions, key=lambda r: r.seq):

        async def work(tx: Tx, rev: Revision = rev) -> None:
            for change in rev.changes:
                await _replay_change(tx, base_iri, rev, change)
            await derived.refresh(tx, revision_index(rev.changes)["keys"])

        await transaction(driver, database, work, bulk=True)


# -- revert ------------------------------------------------------------------------------------------
def inverse_steps(rev: Revision) -> list[Step]:
    """Steps undoing a revision; each checks the entity is still as the revision left it."""
    steps: list[Step] = []
    for change in reversed(rev.changes):
        if isinstance(change, CommentChange):
            continue
        if isinstance(change, EntityChange):
            key, cls = change.key, change.class_name
            before, after = change.before or {}, change.after or {}
            if change.op == "create":
                steps.append(
                    EntityStep("delete", cls, key, expected_version=change.version, detach=True)
                )
            elif change.op == "update":
                undo = {k: before.get(k) for k in after} | dict(before)
                steps.append(EntityStep("update", cls, key, undo, expected_version=change.version))
            else:
                steps.append(EntityStep("create", cls, key, dict(before)))
                for r in change.relationships:
                    steps.append(LinkStep("link", r.type, r.start, r.end, dict(r.props)))
        elif change.before is None:
            steps.append(LinkStep("unlink", change.type, change.start, change.end))
        else:
            undo = {k: change.before.get(k) for k in change.after or {}} | dict(change.before)
            steps.append(LinkStep("link", change.type, change.start, change.end, undo))
    return steps


async def revert(
    driver: AsyncDriver,
    database: str,
    base_iri: str,
    revision_id: str,
    actor: str,
    comment: str | None = None,
) -> Revision | None:
    """Undo a revision as a new revision (which can itself be reverted); None when undoing it
    changes nothing."""
    rev = await get_revision(driver, database, revision_id)
    return await apply_changes(
        driver,
        database,
        base_iri,
        inverse_steps(rev),
        actor,
        comment=comment or f"Revert revision {rev.seq}",
        reverts=rev.id,
    )
