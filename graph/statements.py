"""The liaison officer's register: inbox, outbox, what awaits action, reply chains, exchanges
between two bodies, and each statement's event log (derived from the revision log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.change_record import CommentChange, EntityChange, LinkChange
from graph.changes import Revision
from graph.gateway import read
from graph.records import native_tree
from graph.revisions import history
from graph.selection import Selection
from ontology import ONTOLOGY

Box = Literal["inbox", "outbox"]

# Outgoing workflow: which state each action requires and produces.
TRANSITIONS: dict[str, tuple[str, str]] = {
    "submit": ("DRAFT", "PENDING_APPROVAL"),
    "approve": ("PENDING_APPROVAL", "APPROVED"),
    "post": ("APPROVED", "POSTED"),
}
_EVENT_FOR_STATE = {
    "DRAFT": "drafted",
    "PENDING_APPROVAL": "submitted",
    "APPROVED": "approved",
    "POSTED": "posted",
    "RECEIVED": "received",
    "WITHDRAWN": "withdrawn",
}
_EVENT_FOR_REPLY = {
    "ACTION_TAKEN": "action taken",
    "REPLIED": "replied",
    "AWAITING": "awaiting action",
}


def issued_when_posted(class_name: str, props: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A liaison statement created already posted was issued today unless it says when, as
    the `post` action dates it: a posted statement always has an issue date."""
    if (
        class_name == "LiaisonStatement"
        and props.get("state") == "POSTED"
        and not props.get("issued")
    ):
        return {**props, "issued": today.isoformat()}
    return props


# A recipient's purpose is the per-recipient one (ITU-T style) when given, else the statement's.
_FOR_ACTION = "coalesce(t.purpose, s.purpose) = 'FOR_ACTION'"
_OVERDUE_FIRST = "CASE WHEN s.deadline IS NULL THEN 2 WHEN s.deadline < date() THEN 0 ELSE 1 END"


async def _statements(
    driver: AsyncDriver,
    database: str,
    match: str,
    order: str,
    params: dict[str, Any],
    selection: Selection,
    limit: int,
) -> list[dict[str, Any]]:
    p = cypher.Params()
    p.values.update(params)
    p.values["limit"] = limit
    query = (
        f"{match} WITH DISTINCT s ORDER BY {order} LIMIT $limit "
        f"RETURN {cypher.projection('s', selection, p)} AS item"
    )
    rows = await read(driver, database, query, p.values)
    return [native_tree(r["item"]) for r in rows]


async def box(
    driver: AsyncDriver,
    database: str,
    committee: str,
    which: Box,
    selection: Selection,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Statements sent to (inbox: posted or received) or by (outbox: any state) a body, newest first."""
    if which == "inbox":
        match = (
            "MATCH (s:LiaisonStatement)-[:SENT_TO]->(:Resource {key: $committee}) "
            "WHERE s.state IS NULL OR s.state IN ['POSTED', 'RECEIVED']"
        )
    else:
        match = "MATCH (s:LiaisonStatement)-[:SENT_BY]->(:Resource {key: $committee})"
    order = "coalesce(s.issued, '9999') DESC, s.key"
    return await _statements(
        driver, database, match, order, {"committee": committee}, selection, limit
    )


async def awaiting_action(
    driver: AsyncDriver,
    database: str,
    committee: str | None,
    selection: Selection,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Statements for action awaiting it (sent to `committee`, or to anyone): overdue first,
    then by deadline, those without a deadline last."""
    match = (
        "MATCH (s:LiaisonStatement)-[t:SENT_TO]->(r:Resource) "
        f"WHERE s.replyStatus = 'AWAITING' AND {_FOR_ACTION} AND ($committee IS NULL OR r.key = $committee)"
    )
    order = f"{_OVERDUE_FIRST}, s.deadline, s.key"
    return await _statements(
        driver, database, match, order, {"committee": committee}, selection, limit
    )


async def reply_chain(
    driver: AsyncDriver, database: str, key: str, selection: Selection
) -> list[dict[str, Any]]:
    """Every statement linked to this one by responses, in either direction, oldest first."""
    match = "MATCH (:LiaisonStatement {key: $key})-[:IN_RESPONSE_TO*0..20]-(s:LiaisonStatement)"
    order = "coalesce(s.issued, '9999'), s.key"
    return await _statements(driver, database, match, order, {"key": key}, selection, 200)


async def exchanges(
    driver: AsyncDriver, database: str, a: str, b: str, selection: Selection, limit: int = 100
) -> list[dict[str, Any]]:
    """Statements between two bodies (either way), oldest first."""
    match = (
        "MATCH (x:Resource)<-[:SENT_BY]-(s:LiaisonStatement)-[:SENT_TO]->(y:Resource) "
        "WHERE (x.key = $a AND y.key = $b) OR (x.key = $b AND y.key = $a)"
    )
    order = "coalesce(s.issued, '9999'), s.key"
    return await _statements(driver, database, match, order, {"a": a, "b": b}, selection, limit)


async def deadlines(driver: AsyncDriver, database: str, committee: str) -> list[dict[str, Any]]:
    """Statements awaiting the committee's action that have a deadline (for the iCalendar feed)."""
    rows = await read(
        driver,
        database,
        "MATCH (s:LiaisonStatement)-[t:SENT_TO]->(:Resource {key: $committee}) "
        f"WHERE s.replyStatus = 'AWAITING' AND s.deadline IS NOT NULL AND {_FOR_ACTION} "
        "OPTIONAL MATCH (s)-[:SENT_BY]->(f:Resource) "
        "WITH s, collect(f.key) AS senders ORDER BY s.deadline, s.key "
        "RETURN s.key AS key, s.iri AS iri, s.prefLabel_en AS en, s.prefLabel_zh AS zh, "
        "s.deadline AS deadline, s.identifiers AS identifiers, s.updatedAt AS updated, senders",
        {"committee": committee},
    )
    return [native_tree(r) for r in rows]


@dataclass(frozen=True)
class Event:
    type: str  # drafted, submitted, approved, posted, received, replied, action taken, comment added, …
    at: dt.datetime
    actor: str
    approved_by: str | None
    detail: str | None
    revision: str


def revision_events(rev: Revision) -> Iterator[tuple[str, Event]]:
    """The liaison-statement events one revision holds, as (statement key, event) pairs."""
    statement = ONTOLOGY.cls("LiaisonStatement").name

    def event(kind: str, detail: str | None) -> Event:
        return Event(kind, rev.at, rev.actor, rev.approved_by, detail, rev.id)

    for change in rev.changes:
        if isinstance(change, CommentChange) and change.class_name == statement:
            yield change.key, event("comment added", change.text)
        elif isinstance(change, EntityChange) and change.class_name == statement:
            key, after = change.key, change.after or {}
            if change.op == "create":
                yield (
                    key,
                    event(_EVENT_FOR_STATE.get(str(after.get("state")), "created"), rev.comment),
                )
            elif change.op == "delete":
                yield key, event("deleted", rev.comment)
            elif "state" in after and after["state"] in _EVENT_FOR_STATE:
                yield key, event(_EVENT_FOR_STATE[after["state"]], rev.comment)
            elif after.get("replyStatus") in _EVENT_FOR_REPLY:
                yield key, event(_EVENT_FOR_REPLY[after["replyStatus"]], rev.comment)
            elif after or change.before:
                yield key, event("updated", ", ".join(sorted(after)))
        elif (
            isinstance(change, LinkChange)
            and change.type == "IN_RESPONSE_TO"
            and change.op == "link"
        ):
            yield change.end, event("response received", change.start)


async def events(driver: AsyncDriver, database: str, key: str) -> list[Event]:
    """The statement's event log, oldest first, read from the revisions that touched it."""
    return [
        event
        for rev in reversed(await history(driver, database, key, first=500))
        for target, event in revision_events(rev)
        if target == key
    ]
