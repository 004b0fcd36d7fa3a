"""Proposals: contributors' change sets awaiting an editor's or admin's review."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from neo4j import AsyncDriver

from graph.changes import (
    EntityStep,
    Revision,
    Step,
    apply_changes,
    declared,
    dumps,
    loads,
    steps_from_json,
    steps_to_json,
)
from graph.errors import ConflictError, NotFoundError
from graph.gateway import Tx, read, transaction, write
from graph.records import native
from ontology import RESOURCE_LABEL

PROPOSAL_LABEL = "Proposal"
Status = Literal["PENDING", "APPROVED", "REJECTED"]

SCHEMA: tuple[str, ...] = (
    f"CREATE CONSTRAINT proposal_id IF NOT EXISTS FOR (p:{PROPOSAL_LABEL}) REQUIRE p.id IS UNIQUE",
    f"CREATE INDEX proposal_status IF NOT EXISTS FOR (p:{PROPOSAL_LABEL}) ON (p.status)",
)


@dataclass(frozen=True)
class Proposal:
    id: str
    status: Status
    author: str
    created_at: dt.datetime
    comment: str | None
    sources: list[str]
    source_notes: dict[str, str]
    steps: list[Step]
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    reason: str | None
    revision: str | None


def _proposal(p: dict[str, Any]) -> Proposal:
    return Proposal(
        id=p["id"],
        status=p["status"],
        author=p["author"],
        created_at=native(p["createdAt"]),
        comment=p.get("comment"),
        sources=list(p.get("sources") or []),
        source_notes=loads(p["sourceNotes"]) if p.get("sourceNotes") else {},
        steps=steps_from_json(p["steps"]),
        reviewed_by=p.get("reviewedBy"),
        reviewed_at=native(p["reviewedAt"]) if p.get("reviewedAt") is not None else None,
        reason=p.get("reason"),
        revision=p.get("revision"),
    )


async def propose(
    driver: AsyncDriver,
    database: str,
    steps: list[Step],
    author: str,
    comment: str | None,
    sources: list[str],
    source_notes: dict[str, str] | None = None,
) -> Proposal:
    records = await write(
        driver,
        database,
        f"CREATE (p:{PROPOSAL_LABEL} {{id: $id, status: 'PENDING', author: $author, createdAt: datetime(), "
        "comment: $comment, sources: $sources, sourceNotes: $notes, steps: $steps}) "
        "RETURN properties(p) AS p",
        {
            "id": uuid.uuid4().hex,
            "author": author,
            "comment": comment,
            "sources": sources,
            "notes": dumps(source_notes or {}),
            "steps": steps_to_json(steps),
        },
    )
    return _proposal(records[0]["p"])


async def get_proposal(driver: AsyncDriver, database: str, proposal_id: str) -> Proposal:
    rows = await read(
        driver,
        database,
        f"MATCH (p:{PROPOSAL_LABEL} {{id: $id}}) RETURN properties(p) AS p",
        {"id": proposal_id},
    )
    if not rows:
        raise NotFoundError(f"no proposal {proposal_id!r}")
    return _proposal(rows[0]["p"])


async def list_proposals(
    driver: AsyncDriver, database: str, status: Status | None, first: int
) -> list[Proposal]:
    rows = await read(
        driver,
        database,
        f"MATCH (p:{PROPOSAL_LABEL}) WHERE $status IS NULL OR p.status = $status "
        "RETURN properties(p) AS p ORDER BY p.createdAt DESC LIMIT $first",
        {"status": status, "first": first},
    )
    return [_proposal(r["p"]) for r in rows]


async def current_values(
    driver: AsyncDriver, database: str, proposals: list[Proposal]
) -> dict[str, dict[str, Any]]:
    """For each entity an update step of `proposals` changes: the values stored now of the
    properties the step sets (as the steps' JSON spells them; absent when unset). A reviewer
    compares them with the proposed ones — a patch of a text sets every language, mostly to
    nothing, and only what would change is worth showing. One round trip."""
    touched: dict[str, set[str]] = {}
    for proposal in proposals:
        for step in proposal.steps:
            if isinstance(step, EntityStep) and step.op in ("update", "upsert"):
                touched.setdefault(step.key, set()).update(step.props)
    if not touched:
        return {}
    rows = await read(
        driver,
        database,
        f"UNWIND $keys AS key MATCH (n:{RESOURCE_LABEL} {{key: key}}) "
        "RETURN key, properties(n) AS p",
        {"keys": sorted(touched)},
    )
    stored = {r["key"]: declared(r["p"]) for r in rows}
    now = {
        key: {name: stored[key][name] for name in names if stored[key].get(name) is not None}
        for key, names in touched.items()
        if key in stored
    }
    # Spelled as the steps are (dates and times as text), so the two compare as they are.
    values: dict[str, dict[str, Any]] = loads(dumps(now))
    return values


async def _mark(
    tx: Tx,
    proposal_id: str,
    status: Status,
    reviewer: str,
    reason: str | None,
    revision: str | None,
) -> None:
    result = await tx.run(
        f"MATCH (p:{PROPOSAL_LABEL} {{id: $id}}) WHERE p.status = 'PENDING' "
        "SET p.status = $status, p.reviewedBy = $reviewer, p.reviewedAt = datetime(), p.reason = $reason, "
        "p.revision = $revision RETURN p.id AS id",
        {
            "id": proposal_id,
            "status": status,
            "reviewer": reviewer,
            "reason": reason,
            "revision": revision,
        },
    )
    if await result.single() is None:
        raise ConflictError(f"proposal {proposal_id!r} is no longer pending")


async def approve(
    driver: AsyncDriver, database: str, base_iri: str, proposal_id: str, reviewer: str
) -> Revision:
    """Apply the proposal as a revision by its author, approved by `reviewer` — atomically."""
    proposal = await get_proposal(driver, database, proposal_id)
    if proposal.status != "PENDING":
        raise ConflictError(f"proposal {proposal_id!r} is already {proposal.status.lower()}")

    async def mark(tx: Tx, revision: Revision) -> None:
        await _mark(tx, proposal_id, "APPROVED", reviewer, None, revision.id)

    revision = await apply_changes(
        driver,
        database,
        base_iri,
        proposal.steps,
        proposal.author,
        comment=proposal.comment,
        sources=proposal.sources,
        source_notes=proposal.source_notes,
        approved_by=reviewer,
        proposal=proposal.id,
        then=mark,
    )
    assert revision is not None  # `then` always gets a revision
    return revision


async def reject(
    driver: AsyncDriver, database: str, proposal_id: str, reviewer: str, reason: str
) -> Proposal:

    async def work(tx: Tx) -> None:
        await _mark(tx, proposal_id, "REJECTED", reviewer, reason, None)

    await transaction(driver, database, work)
    return await get_proposal(driver, database, proposal_id)
