"""The liaison officer's register in GraphQL: inbox/outbox, awaiting action (overdue first),
reply chains, exchanges between two bodies, event logs, and the statement workflow
(draft → submit → approve → post; receive; mark action taken; comment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Sequence
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql.changes import require
from api.graphql.errors import BAD_USER_INPUT, NOT_FOUND, api_error, unavailable_error
from api.graphql.mapping import mapping_of
from api.graphql.mutations import (
    Change,
    Citations,
    create_steps,
    plain_input,
    returning,
    run,
    with_create_arguments,
)
from api.graphql.naming import list_of
from api.graphql.selection import build, first_argument
from api.graphql.space import Build
from api.graphql.types import Resolver, Row, resolver_with, to_rows
from graph import liaison_reviews, liaison_rollup, statements
from graph.changes import CommentStep, EntityStep
from graph.driver import AsyncDriver
from graph.errors import GraphUnavailableError
from graph.selection import Selection


def _db(info: Info) -> tuple[AsyncDriver, str]:
    state = info.context.state
    return state.driver, state.connection.database


def _selection(info: Info, class_name: str = "LiaisonStatement") -> Selection:
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    return build(mapping_of(info), field.selections, class_name)


async def _guard(call: Awaitable[object]) -> list[Row]:
    try:
        rows: list[Row] = to_rows(await call)
        return rows
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc


async def _inbox(info: Info, committee: str, first: int = 100) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        statements.box(driver, db, committee, "inbox", _selection(info), first_argument(first))
    )


async def _outbox(info: Info, committee: str, first: int = 100) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        statements.box(driver, db, committee, "outbox", _selection(info), first_argument(first))
    )


async def _awaiting(info: Info, committee: str | None = None, first: int = 100) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        statements.awaiting_action(driver, db, committee, _selection(info), first_argument(first))
    )


async def _due_for_review(
    info: Info, committee: str | None = None, as_of: dt.date | None = None, first: int = 100
) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        liaison_reviews.due_for_review(
            driver, db, committee, as_of, _selection(info, "Liaison"), first_argument(first)
        )
    )


async def _within(info: Info, committee: str, first: int = 100) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        liaison_rollup.liaisons_within(
            driver, db, committee, _selection(info, "Liaison"), first_argument(first)
        )
    )


async def _chain(info: Info, key: str) -> list[Row]:
    driver, db = _db(info)
    found = await _guard(statements.reply_chain(driver, db, key, _selection(info)))
    if not found:
        raise api_error(f"no liaison statement with key {key!r}", NOT_FOUND, key=key)
    return found


async def _exchanges(info: Info, a: str, b: str, first: int = 100) -> list[Row]:
    driver, db = _db(info)
    return await _guard(
        statements.exchanges(driver, db, a, b, _selection(info), first_argument(first))
    )


@strawberry.type(
    description="Something that happened to a liaison statement (from the revision log)."
)
class StatementEvent:
    type: str = strawberry.field(
        description="drafted, submitted, approved, posted, received, response received, action taken, replied, comment added, updated, deleted"
    )
    at: dt.datetime
    actor: str
    approved_by: str | None
    detail: str | None = strawberry.field(
        description="The comment, the responding statement's key, or the fields changed."
    )
    revision: str


async def statement_events(info: Info, key: str) -> list[StatementEvent]:
    driver, db = _db(info)
    try:
        found = await statements.events(driver, db, key)
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    return [
        StatementEvent(
            type=e.type,
            at=e.at,
            actor=e.actor,
            approved_by=e.approved_by,
            detail=e.detail,
            revision=e.revision,
        )
        for e in found
    ]


def register_query_fields(build_: Build) -> dict[str, tuple[Resolver, str]]:
    """The register's read fields: boxes, awaiting action, reply chains, exchanges, events."""
    statement_list = list_of(build_.space["LiaisonStatement"])

    def listing(fn: Resolver, annotations: dict[str, object]) -> Resolver:
        return resolver_with(fn, {"info": Info, **annotations, "return": statement_list})

    return {
        "inbox": (
            listing(_inbox, {"committee": str, "first": int}),
            "Statements sent to a body (posted or received), newest first.",
        ),
        "outbox": (
            listing(_outbox, {"committee": str, "first": int}),
            "Statements sent by a body, in any state, newest first.",
        ),
        "awaiting_action": (
            listing(_awaiting, {"committee": str | None, "first": int}),
            "Statements for action still awaiting it (for `committee`, or all): overdue first, "
            "then by deadline.",
        ),
        "liaisons_due_for_review": (
            resolver_with(
                _due_for_review,
                {
                    "info": Info,
                    "committee": str | None,
                    "as_of": dt.date | None,
                    "first": int,
                    "return": list_of(build_.space["Liaison"]),
                },
            ),
            "Active liaisons (held by or with `committee`, or all) whose review is due by "
            "`asOf` (default today): ISO and IEC review liaisons at least every two years. "
            "Earliest due first.",
        ),
        "liaisons_within": (
            resolver_with(
                _within,
                {
                    "info": Info,
                    "committee": str,
                    "first": int,
                    "return": list_of(build_.space["Liaison"]),
                },
            ),
            "Liaisons held by or with `committee` or any group beneath it (its subcommittees' "
            "and working groups' own liaisons), each once, by key.",
        ),
        "reply_chain": (
            listing(_chain, {"key": str}),
            "A statement and every statement linked to it by responses, oldest first.",
        ),
        "exchanges": (
            listing(_exchanges, {"a": str, "b": str, "first": int}),
            "All statements between two bodies, either way, oldest first.",
        ),
        "statement_events": (
            statement_events,
            "A statement's event log: submitted, approved, posted, replied, comments — who and "
            "when.",
        ),
    }


# -- workflow mutations -------------------------------------------------------------------------------
def _transition(action: str) -> Resolver:
    required, target = statements.TRANSITIONS[action]
    needs = "contributor" if action == "submit" else "editor"

    async def resolve(
        info: Info,
        key: str,
        expected_version: int,
        comment: str | None = None,
        issued: dt.date | None = None,
    ) -> Change:
        require(info, needs)  # type: ignore[arg-type]
        props: dict[str, Any] = {"state": target}
        if action == "post":
            props["issued"] = (issued or dt.datetime.now(dt.UTC).date()).isoformat()
        step = EntityStep(
            "update",
            "LiaisonStatement",
            key,
            props,
            expected_version=expected_version,
            expect={"state": required},
        )
        return await run(info, [step], comment, Citations(), key, force_apply=True)

    return resolve


async def mark_action_taken(
    info: Info, key: str, expected_version: int, replied: bool = False, comment: str | None = None
) -> Change:
    require(info, "editor")
    status = "REPLIED" if replied else "ACTION_TAKEN"
    step = EntityStep(
        "update",
        "LiaisonStatement",
        key,
        {"replyStatus": status},
        expected_version=expected_version,
        expect={"replyStatus": "AWAITING"},
    )
    return await run(info, [step], comment, Citations(), key, force_apply=True)


async def comment_on_statement(info: Info, key: str, text: str) -> Change:
    require(info, "contributor")
    if not text.strip():
        raise api_error("`text` must not be empty", BAD_USER_INPUT, argument="text")
    return await run(
        info, [CommentStep("comment", key, text)], text, Citations(), key, force_apply=True
    )


def _draft_resolver(build_: Build, result: type) -> Resolver:
    ontology = build_.ontology
    cls = ontology.cls("LiaisonStatement")

    async def resolve(
        info: Info,
        input: object,
        sources: Sequence[object] | None = None,
        comment: str | None = None,
    ) -> Change:
        require(info, "contributor")
        raw = plain_input(input)
        if raw.get("state") not in (None, "DRAFT"):
            raise api_error(
                "a draft starts in state DRAFT; submit, approve and post it next",
                BAD_USER_INPUT,
                argument="input.state",
            )
        raw["state"] = "DRAFT"
        steps, cites = create_steps(ontology, cls, "create", raw, sources)
        return await run(info, steps, comment, cites, raw["key"], force_apply=True)

    return with_create_arguments(build_, result, cls, resolve)


def register_mutation_fields(build_: Build, result: type) -> dict[str, tuple[Resolver, str]]:
    """The statement workflow; `result` is the build's `ChangeResult`."""
    return {
        "draft_statement": (
            _draft_resolver(build_, result),
            "Create an outgoing liaison statement as a DRAFT (contributors too: drafting is not "
            "a proposal).",
        ),
        "submit_statement": (
            returning(_transition("submit"), result),
            "DRAFT → PENDING_APPROVAL (contributors too).",
        ),
        "approve_statement": (
            returning(_transition("approve"), result),
            "PENDING_APPROVAL → APPROVED (editors, admins).",
        ),
        "post_statement": (
            returning(_transition("post"), result),
            "APPROVED → POSTED, setting `issued` (today unless given) (editors, admins).",
        ),
        "mark_action_taken": (
            returning(mark_action_taken, result),
            "AWAITING → ACTION_TAKEN, or REPLIED with `replied: true` (editors, admins).",
        ),
        "comment_on_statement": (
            returning(comment_on_statement, result),
            "Add a comment to a statement's event log (contributors too).",
        ),
    }
