"""GraphQL types for revisions, proposals and accounts, and the read fields over them."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.graphql.enums import OntologyEnums, plain
from api.graphql.errors import BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED, api_error
from api.graphql.naming import list_of, nullable
from api.graphql.types import MAX_PAGE, Resolver, resolver_with
from graph import proposals as graph_proposals
from graph import revisions as graph_revisions
from graph.accounts import Account, Role, sees_contact_details
from graph.change_record import Change, CommentChange, EntityChange, LinkChange
from graph.changes import EntityStep, Revision, steps_to_json
from graph.driver import AsyncDriver
from graph.errors import NotFoundError
from graph.proposals import Proposal
from ontology.rdf_mapping import PRIVATE_FIELDS


@strawberry.type(
    description="One change within a revision: an entity created, updated or deleted, or a relationship linked or unlinked."
)
class ChangeInfo:
    kind: str = strawberry.field(description="entity or link")
    op: str = strawberry.field(description="create, update, delete, link or unlink")
    entity_type: str | None = strawberry.field(
        description="The entity's class, for entity changes."
    )
    key: str | None
    relationship_type: str | None
    from_key: str | None
    to_key: str | None
    before: JSON | None = strawberry.field(description="Changed fields before (null when created).")
    after: JSON | None = strawberry.field(description="Changed fields after (null when deleted).")
    version: int | None = strawberry.field(description="The entity's version after the change.")


@strawberry.type(
    description="A committed change set: who, when, why, from which sources, and what changed."
)
class RevisionInfo:
    id: str
    seq: int = strawberry.field(
        description="Position in the log; replaying in this order rebuilds the graph."
    )
    at: dt.datetime
    actor: str
    approved_by: str | None = strawberry.field(
        description="The reviewer, when it was a contributor's proposal."
    )
    comment: str | None
    sources: list[str]
    source_notes: JSON = strawberry.field(
        description="What each cited source supports: {key: note}."
    )
    reverts: str | None = strawberry.field(description="The revision this one undoes.")
    proposal: str | None
    changes: list[ChangeInfo]
    change_count: int = strawberry.field(
        description="How many changes there are: in `history`, how many touched the entity, "
        "of which `changes` holds the first `changesPerRevision`."
    )


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# Contact details are hidden from anonymous readers — in the change log too (PRIVATE_FIELDS).


def _redacted(values: Any, reveal: bool) -> Any:
    if reveal or not isinstance(values, dict):
        return values
    return {k: v for k, v in values.items() if k not in PRIVATE_FIELDS}


def change_info(change: Change, reveal: bool) -> ChangeInfo:
    """One change of a revision for the API (private fields only with `reveal`)."""
    link = change if isinstance(change, LinkChange) else None
    entity = change if isinstance(change, EntityChange) else None
    return ChangeInfo(
        kind=change.kind,
        op=change.op,
        entity_type=change.class_name,
        key=change.key if not isinstance(change, LinkChange) else None,
        relationship_type=link.type if link else None,
        from_key=link.start if link else None,
        to_key=link.end if link else None,
        before=_json(
            _redacted(None if isinstance(change, CommentChange) else change.before, reveal)
        ),
        after=_json(_redacted(None if isinstance(change, CommentChange) else change.after, reveal)),
        version=entity.version if entity else None,
    )


def revision_info(rev: Revision, reveal: bool = False, count: int | None = None) -> RevisionInfo:
    """The revision for the API; private fields only for signed-in readers (`reveal`)."""
    return RevisionInfo(
        id=rev.id,
        seq=rev.seq,
        at=rev.at,
        actor=rev.actor,
        approved_by=rev.approved_by,
        comment=rev.comment,
        sources=rev.sources,
        source_notes=_json(rev.source_notes),
        reverts=rev.reverts,
        proposal=rev.proposal,
        changes=[change_info(c, reveal) for c in rev.changes],
        change_count=len(rev.changes) if count is None else count,
    )


@strawberry.type(description="A contributor's change set awaiting review.")
class ProposalInfo:
    id: str
    status: str = strawberry.field(description="PENDING, APPROVED or REJECTED")
    author: str
    created_at: dt.datetime
    comment: str | None
    sources: list[str]
    steps: JSON = strawberry.field(description="The proposed steps, as they will be applied.")
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    reason: str | None = strawberry.field(description="Why it was rejected.")
    revision: str | None = strawberry.field(description="The revision that applied it.")
    current: JSON | None = strawberry.field(
        default=None,
        description="For each entity its update steps change (by key): the values stored now "
        "of the properties they set, absent when unset — what a reviewer compares the steps "
        "with. Listed proposals only; null in a mutation's result.",
    )


def proposal_info(
    p: Proposal, reveal: bool = False, current: dict[str, dict[str, Any]] | None = None
) -> ProposalInfo:
    steps = json.loads(steps_to_json(p.steps))
    if not reveal:
        for step in steps:
            step["props"] = _redacted(step.get("props"), reveal)
    keys = {s.key for s in p.steps if isinstance(s, EntityStep)}
    now: Any = (
        None
        if current is None
        else {k: _redacted(v, reveal) for k, v in current.items() if k in keys}
    )
    return ProposalInfo(
        id=p.id,
        status=p.status,
        author=p.author,
        created_at=p.created_at,
        comment=p.comment,
        sources=p.sources,
        steps=steps,
        reviewed_by=p.reviewed_by,
        reviewed_at=p.reviewed_at,
        reason=p.reason,
        revision=p.revision,
        current=now,
    )


@strawberry.type(description="An account (never its token).")
class AccountInfo:
    name: str
    role: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def account_info(a: Account) -> AccountInfo:
    return AccountInfo(name=a.name, role=a.role, created_at=a.created_at, revoked_at=a.revoked_at)


def require(info: Info, role: Role) -> Account:
    """The caller's account if its role is at least `role`; UNAUTHENTICATED / FORBIDDEN else."""
    user: Account | None = info.context.user
    if user is None:
        raise api_error("sign in: send `Authorization: Bearer <token>`", UNAUTHENTICATED)
    if not user.can(role):
        raise api_error(
            f"this needs the {role} role; your account {user.name!r} is a {user.role}",
            FORBIDDEN,
            role=user.role,
        )
    return user


def _signed_in(info: Info) -> bool:
    return sees_contact_details(info.context.user)


def _db(info: Info) -> tuple[AsyncDriver, str]:
    state = info.context.state
    return state.driver, state.connection.database


def _first(first: int) -> int:
    if not 0 <= first <= MAX_PAGE:
        raise api_error(
            f"`first` must be between 0 and {MAX_PAGE}", BAD_USER_INPUT, argument="first"
        )
    return first


MAX_CHANGES = 10_000  # the most `changesPerRevision` a history may ask for


async def history(
    info: Info,
    key: str,
    first: int = 50,
    changes_per_revision: Annotated[
        int | None,
        strawberry.argument(
            description="At most this many changes of each revision (a catalogue batch adds "
            "a thousand editions to a committee); `changeCount` says how many there are."
        ),
    ] = None,
) -> list[RevisionInfo]:
    driver, db = _db(info)
    if changes_per_revision is not None and not 0 <= changes_per_revision <= MAX_CHANGES:
        raise api_error(
            f"`changesPerRevision` must be between 0 and {MAX_CHANGES}",
            BAD_USER_INPUT,
            argument="changesPerRevision",
        )
    page = await graph_revisions.history_page(driver, db, key, _first(first), changes_per_revision)
    return [revision_info(r, _signed_in(info), count) for r, count in page]


async def recent_changes(
    info: Info,
    since: dt.datetime | None = None,
    types: list[Enum] | None = None,  # the build's EntityType (see change_query_fields)
    first: int = 50,
) -> list[RevisionInfo]:
    driver, db = _db(info)
    classes = [plain(t) for t in types] if types else None
    revs = await graph_revisions.recent_changes(driver, db, since, classes, _first(first))
    return [revision_info(r, _signed_in(info)) for r in revs]


async def revision(info: Info, id: str) -> RevisionInfo | None:
    driver, db = _db(info)
    try:
        return revision_info(await graph_revisions.get_revision(driver, db, id), _signed_in(info))
    except NotFoundError:
        return None


async def proposals(info: Info, status: str | None = None, first: int = 50) -> list[ProposalInfo]:
    driver, db = _db(info)
    if status is not None and status not in ("PENDING", "APPROVED", "REJECTED"):
        raise api_error(
            "`status` is PENDING, APPROVED or REJECTED", BAD_USER_INPUT, argument="status"
        )
    found = await graph_proposals.list_proposals(driver, db, status, _first(first))  # type: ignore[arg-type]
    current = await graph_proposals.current_values(driver, db, found)
    return [proposal_info(p, _signed_in(info), current) for p in found]


def me(info: Info) -> AccountInfo | None:
    user: Account | None = info.context.user
    return account_info(user) if user else None


def change_query_fields(enums: OntologyEnums) -> dict[str, tuple[Resolver, str]]:
    """The read fields over revisions, proposals and the signed-in account."""
    recent = resolver_with(
        recent_changes,
        {
            "info": Info,
            "since": nullable(dt.datetime),
            "types": nullable(list_of(enums.entity_type)),
            "first": int,
            "return": list[RevisionInfo],
        },
    )
    return {
        "history": (
            history,
            "Revisions that touched an entity or its relationships, newest first, each with "
            "only the changes that touched it.",
        ),
        "recent_changes": (
            recent,
            "The latest revisions, newest first; `types` keeps those touching these classes.",
        ),
        "revision": (revision, "One revision by id."),
        "proposals": (
            proposals,
            "Proposals, newest first; `status`: PENDING, APPROVED or REJECTED.",
        ),
        "me": (me, "The account the request is signed in with."),
    }
