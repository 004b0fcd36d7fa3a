"""Mutations derived from the ontology: create, update, upsert and delete for every class
(with links and nested creation in the same transaction), link/unlink for every relationship,
revert, and the review of proposals.

Editors and admins apply changes at once; a contributor's change becomes a pending proposal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any

import strawberry
from pydantic import ValidationError
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql.changes import (
    AccountInfo,
    ProposalInfo,
    RevisionInfo,
    account_info,
    proposal_info,
    require,
    revision_info,
)
from api.graphql.enums import plain
from api.graphql.errors import (
    CONFLICT,
    NOT_FOUND,
    VALIDATION_FAILED,
    api_error,
    graph_error,
)
from api.graphql.inputs import relation_fields
from api.graphql.languages import LangTextInput, LangTextListInput
from api.graphql.mapping import mapping_of
from api.graphql.naming import list_of, nullable, py
from api.graphql.selection import build
from api.graphql.space import Build
from api.graphql.types import Resolver, Row, resolver_with, row_map, scalar_type
from graph import accounts as graph_accounts
from graph import proposals as graph_proposals
from graph import reads
from graph import revisions as graph_revisions
from graph.accounts import ROLES, Account
from graph.changes import EntityStep, LinkStep, Revision, Step, apply_changes
from graph.driver import AsyncDriver
from graph.errors import (
    ConflictError,
    GraphUnavailableError,
    IntegrityError,
    NotFoundError,
    QueryTimeoutError,
)
from graph.stage_history import stage_event_steps
from graph.statements import issued_when_posted
from ontology.model import ClassDef, Datatype, Ontology, PropertyDef, RelationDef
from ontology.records import (
    entity_model,
    entity_patch_model,
    entity_properties,
    field_problems,
    patch_properties,
    relation_model,
    relation_properties,
)

# -- inputs ------------------------------------------------------------------------------------------


@strawberry.input(
    description="A source for the change: an existing Source by `key`, or a document by `url` (and `title`), created as a Source if new. `note` says what it supports."
)
class SourceRefInput:
    key: str | None = None
    url: str | None = None
    title: str | None = None
    note: str | None = None


@strawberry.input(
    description='A related entity by key, with the relationship\'s properties (e.g. {"degree": "IDT"}).'
)
class LinkInput:
    key: str
    properties: JSON | None = None


class _MutationInputs:
    """Builds `<Class>Input`, `<Class>Patch`, `<Class>LinksInput` and `<Class>NestedInput`."""

    def __init__(self, build_: Build) -> None:
        self.build = build_

    def input_type(self, prop: PropertyDef) -> object:
        scalar = scalar_type(prop, self.build.enums, LangTextInput, LangTextListInput)
        many = prop.many and prop.datatype is not Datatype.TEXT
        return nullable(list_of(scalar) if many else scalar)

    def add(self, name: str, namespace: dict[str, object], description: str) -> None:
        namespace["__module__"] = __name__
        self.build.space.add(strawberry.input(type(name, (), namespace), description=description))

    def of_class(self, cls: ClassDef) -> None:
        ontology, space = self.build.ontology, self.build.space
        relations = relation_fields(ontology, cls)
        # Entities created with this one: those whose relationship to it starts at one class.
        nested_fields = [(f, r) for f, r, d in relations if d == "in" and len(r.domain) == 1]
        data_props = [p for p in ontology.class_properties(cls) if p.name != "sources"]
        for suffix, with_key in (("Input", True), ("Patch", False)):
            annotations: dict[str, object] = {}
            namespace: dict[str, object] = {}
            for prop in data_props:
                if prop.name == "key" and not with_key:
                    continue
                annotations[py(prop.name)] = str if prop.name == "key" else self.input_type(prop)
                namespace[py(prop.name)] = (
                    strawberry.field(name=prop.name)
                    if prop.name == "key"
                    else strawberry.field(
                        default=strawberry.UNSET,
                        name=prop.name,
                        description=prop.labels.definition_en or prop.labels.en,
                    )
                )
            if with_key and relations:
                annotations["links"] = nullable(space.ref(f"{cls.name}LinksInput"))
                namespace["links"] = strawberry.field(
                    default=None, description="Relationships to create with it."
                )
                if nested_fields:
                    annotations["nested"] = nullable(space.ref(f"{cls.name}NestedInput"))
                    namespace["nested"] = strawberry.field(
                        default=None, description="Entities to create with it, linked to it."
                    )
            namespace["__annotations__"] = annotations
            which = "all" if with_key else "only those to change; null removes a value"
            self.add(f"{cls.name}{suffix}", namespace, f"{cls.labels.en} fields ({which}).")
        if not relations:
            return
        link_fields: dict[str, object] = {}
        links: dict[str, object] = {"__annotations__": link_fields}
        for field_name, rel, _direction in relations:
            link_fields[py(field_name)] = nullable(list_of(LinkInput))
            links[py(field_name)] = strawberry.field(
                default=None, name=field_name, description=f"{rel.type} ({rel.labels.en})."
            )
        self.add(
            f"{cls.name}LinksInput",
            links,
            f"Relationships of a new {cls.labels.en}, by the related entities' keys.",
        )
        if nested_fields:
            nested_types: dict[str, object] = {}
            nested: dict[str, object] = {"__annotations__": nested_types}
            for field_name, rel in nested_fields:
                child = rel.domain[0]
                nested_types[py(field_name)] = nullable(list_of(space.ref(f"{child}Input")))
                nested[py(field_name)] = strawberry.field(
                    default=None,
                    name=field_name,
                    description=f"New {child} entities linked by {rel.type}.",
                )
            self.add(
                f"{cls.name}NestedInput",
                nested,
                f"Entities created together with a {cls.labels.en}.",
            )


def build_mutation_inputs(build_: Build) -> None:
    """The inputs of the per-class create, update and upsert mutations."""
    made = _MutationInputs(build_)
    for cls in build_.ontology.classes:
        made.of_class(cls)


# -- results -----------------------------------------------------------------------------------------
@dataclass
class Change:
    """What a mutation did; shown as the build's `ChangeResult` type (see change_result_type)."""

    applied: bool
    revision: RevisionInfo | None
    proposal: ProposalInfo | None
    entity: Row | None


def change_result_type(entity: type) -> type:
    """`ChangeResult`: applied as a revision, or proposed for review; with the entity as it is now."""
    namespace: dict[str, object] = {
        "__module__": __name__,
        "__annotations__": {
            "applied": bool,
            "revision": RevisionInfo | None,
            "proposal": ProposalInfo | None,
            "entity": nullable(entity),
        },
        "applied": strawberry.field(
            description="True when applied; false when it became a proposal."
        ),
        "entity": strawberry.field(
            description="The entity as it is now (for create/update/upsert)."
        ),
    }
    made: type = strawberry.type(
        type("ChangeResult", (), namespace),
        description="What a mutation did: applied as a revision, or proposed for review.",
    )
    return made


def returning(fn: Resolver, annotation: object, **arguments: object) -> Resolver:
    """A copy of the resolver `fn` returning the build's `annotation` (and, by name, the build's
    types of some `arguments`)."""
    return resolver_with(fn, {**fn.__annotations__, **arguments, "return": annotation})


# -- turning inputs into steps -----------------------------------------------------------------------
class InvalidInputError(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("invalid input")
        self.errors = errors


def plain_input(value: Any) -> Any:
    """Strawberry input objects → plain dicts without UNSET fields (GraphQL names)."""
    if isinstance(value, list):
        return [plain_input(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is None or not hasattr(definition, "fields"):
        return plain(value)
    out: dict[str, Any] = {}
    bilingual = isinstance(value, LangTextInput | LangTextListInput)
    for member in definition.fields:
        item = getattr(value, member.python_name)
        if item is strawberry.UNSET or (bilingual and item is None):
            continue  # a language left out is absent, not an error
        out[member.graphql_name or member.python_name] = plain_input(item)
    return out


def _errors(exc: ValidationError, prefix: str) -> list[dict[str, str]]:
    return [{"path": ".".join([prefix, *p.loc]), "message": p.message} for p in field_problems(exc)]


def _entity_steps(
    ontology: Ontology,
    cls: ClassDef,
    raw: dict[str, Any],
    op: str,
    path: str,
    sources: list[str],
) -> list[Step]:
    data = {k: v for k, v in raw.items() if k not in ("links", "nested")}
    data["sources"] = sources or None
    try:
        record = entity_model(cls.name).model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(_errors(exc, path)) from exc
    key = str(raw["key"])
    steps: list[Step] = [EntityStep(op, cls.name, key, entity_properties(cls, record))]  # type: ignore[arg-type]
    relations = {f: (r, d) for f, r, d in relation_fields(ontology, cls)}
    for field_name, targets in (raw.get("links") or {}).items():
        rel, direction = relations[field_name]
        for i, target in enumerate(targets or []):
            props = _edge_props(
                rel, target.get("properties"), f"{path}.links.{field_name}.{i}.properties", sources
            )
            start, end = (key, target["key"]) if direction == "out" else (target["key"], key)
            steps.append(LinkStep("link", rel.type, start, end, props))
    for field_name, children in (raw.get("nested") or {}).items():
        rel, _direction = relations[field_name]
        child_cls = ontology.cls(rel.domain[0])
        for i, child in enumerate(children or []):
            child_steps = _entity_steps(
                ontology, child_cls, child, "create", f"{path}.nested.{field_name}.{i}", sources
            )
            steps += child_steps
            steps.append(
                LinkStep("link", rel.type, child["key"], key, {"sources": sources or None})
            )
    return steps


def _edge_props(rel: RelationDef, raw: Any, path: str, sources: list[str]) -> dict[str, Any]:
    if raw is not None and not isinstance(raw, dict):
        raise InvalidInputError(
            [{"path": path, "message": "must be an object of the relationship's properties"}]
        )
    data = dict(raw or {})
    if sources and "sources" not in data:
        data["sources"] = sources
    try:
        record = relation_model(rel.type).model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(_errors(exc, path)) from exc
    return {k: v for k, v in relation_properties(rel, record).items() if v is not None}


@dataclass
class Citations:
    """The sources a change cites: their keys, steps creating new ones, and what each supports."""

    keys: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)


def _source_steps(refs: Sequence[object] | None) -> Citations:
    """Source references → keys, creating Source entities for new URLs."""
    cites = Citations()
    keys, steps = cites.keys, cites.steps
    for i, ref in enumerate(plain_input(list(refs or []))):
        if ref.get("note") and (ref.get("key") or ref.get("url")):
            cited = ref.get("key") or "src-" + hashlib.sha256(ref["url"].encode()).hexdigest()[:12]
            cites.notes[cited] = ref["note"]
        if ref.get("key"):
            keys.append(ref["key"])
        elif ref.get("url"):
            key = "src-" + hashlib.sha256(ref["url"].encode()).hexdigest()[:12]
            title = ref.get("title") or ref["url"]
            props: dict[str, Any] = {
                "key": key,
                "url": ref["url"],
                "prefLabel_zh": title,
                "prefLabel_en": title,
            }
            if ref.get("note"):
                props["note_en"] = ref["note"]
            steps.append(EntityStep("upsert", "Source", key, props))
            keys.append(key)
        else:
            raise InvalidInputError(
                [{"path": f"sources.{i}", "message": "give a `key` or a `url`"}]
            )
    return cites


@contextmanager
def graph_errors(prefix: str = "", integrity_code: str = VALIDATION_FAILED) -> Iterator[None]:
    """Graph-layer failures → GraphQL errors with codes (one mapping for every mutation)."""
    try:
        yield
    except ConflictError as exc:
        raise api_error(f"{prefix}{exc}", CONFLICT, currentVersion=exc.current_version) from exc
    except NotFoundError as exc:
        raise api_error(str(exc), NOT_FOUND) from exc
    except IntegrityError as exc:
        details: dict[str, object] = (
            {"fieldErrors": []} if integrity_code == VALIDATION_FAILED else {}
        )
        raise api_error(f"{prefix}{exc}", integrity_code, **details) from exc
    except (GraphUnavailableError, QueryTimeoutError) as exc:
        mapped = graph_error(exc)
        assert mapped is not None  # both kinds have a mapping
        raise mapped from exc


# -- running -----------------------------------------------------------------------------------------
def _db(info: Info) -> tuple[AsyncDriver, str, str]:
    state = info.context.state
    return state.driver, state.connection.database, state.base_iri


async def _entity_after(info: Info, key: str | None) -> Row | None:
    if key is None:
        return None
    driver, db, _ = _db(info)
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    entity_field = next(
        (f for f in field.selections if isinstance(f, SelectedField) and f.name == "entity"), None
    )
    if entity_field is None:
        return None
    selection = build(mapping_of(info), entity_field.selections, "Entity")
    found = await reads.fetch_by_keys(driver, db, [key], selection, row_map)
    row: Row | None = found.get(key)
    return row


async def run(
    info: Info,
    steps: list[Step],
    comment: str | None,
    cites: Citations,
    key: str | None,
    force_apply: bool = False,
) -> Change:
    """Apply (editors, admins) or propose (contributors) a change set; map failures to codes.

    `force_apply`: the caller already checked the role, and the change applies even for a
    contributor (drafting and commenting on liaison statements are not proposals).
    """
    user = require(info, "contributor")
    driver, db, base = _db(info)
    with graph_errors():
        if not user.can("editor") and not force_apply:
            proposal = await graph_proposals.propose(
                driver, db, steps, user.name, comment, cites.keys, cites.notes
            )
            return Change(
                applied=False, revision=None, proposal=proposal_info(proposal, True), entity=None
            )
        revision = await apply_changes(
            driver,
            db,
            base,
            steps,
            user.name,
            comment=comment,
            sources=cites.keys,
            source_notes=cites.notes,
        )
    return Change(
        applied=True,
        revision=revision_info(revision, True) if revision is not None else None,
        proposal=None,
        entity=await _entity_after(info, key),
    )


def _validation_error(exc: InvalidInputError) -> Exception:
    first = exc.errors[0]
    return api_error(
        f"invalid input: {first['path']} {first['message']}",
        VALIDATION_FAILED,
        fieldErrors=exc.errors,
    )


def create_steps(
    ontology: Ontology,
    cls: ClassDef,
    op: str,
    raw: dict[str, Any],
    sources: Sequence[object] | None,
) -> tuple[list[Step], Citations]:
    """The steps of a create/upsert (with its sources, links and nested entities)."""
    try:
        cites = _source_steps(sources)
        return cites.steps + _entity_steps(ontology, cls, raw, op, "input", cites.keys), cites
    except InvalidInputError as exc:
        raise _validation_error(exc) from exc


def with_create_arguments(build_: Build, result: type, cls: ClassDef, fn: Resolver) -> Resolver:
    """`fn` taking the arguments of `create<Class>` (`input`, `sources`, `comment`) and returning
    the build's `result`."""
    return resolver_with(
        fn,
        {
            "info": Info,
            "input": build_.space[f"{cls.name}Input"],
            "sources": nullable(list_of(SourceRefInput)),
            "comment": nullable(str),
            "return": result,
        },
    )


def create_resolver(build_: Build, result: type, cls: ClassDef, op: str) -> Resolver:
    """`create<Class>` (op "create") or `upsert<Class>` (op "upsert")."""
    ontology = build_.ontology

    async def resolve(
        info: Info,
        input: object,
        sources: Sequence[object] | None = None,
        comment: str | None = None,
    ) -> Change:
        require(info, "contributor")  # who may write is settled before what is written
        raw = plain_input(input)
        # Not for an upsert: it restates a statement that may exist, with the date its caller
        # knows, or none.
        if op == "create":
            raw = issued_when_posted(cls.name, raw, dt.datetime.now(dt.UTC).date())
        steps, cites = create_steps(ontology, cls, op, raw, sources)
        return await run(info, steps, comment, cites, raw["key"])

    return with_create_arguments(build_, result, cls, resolve)


def _update_resolver(build_: Build, result: type, cls: ClassDef) -> Resolver:
    required_props = [p.name for p in build_.ontology.class_properties(cls) if p.required]

    async def resolve(
        info: Info,
        key: str,
        expected_version: int,
        patch: object,
        sources: Sequence[object] | None = None,
        comment: str | None = None,
    ) -> Change:
        require(info, "contributor")
        try:
            cites = _source_steps(sources)
            record = entity_patch_model(cls.name).model_validate(plain_input(patch))
        except ValidationError as exc:
            raise _validation_error(InvalidInputError(_errors(exc, "patch"))) from exc
        except InvalidInputError as exc:
            raise _validation_error(exc) from exc
        props = patch_properties(cls, record)
        removed = [
            name
            for name in required_props
            if name in record.model_fields_set and getattr(record, name) is None
        ]
        if removed:
            raise _validation_error(
                InvalidInputError(
                    [
                        {"path": f"patch.{n}", "message": "is required and cannot be removed"}
                        for n in removed
                    ]
                )
            )
        step = EntityStep("update", cls.name, key, props, expected_version=expected_version)
        # A new stage goes into the deliverable's stage history, dated today (UTC).
        history = stage_event_steps(
            cls.name, key, props, cites.keys, dt.datetime.now(dt.UTC).date()
        )
        return await run(
            info, [*cites.steps, _with_sources(step, cites.keys), *history], comment, cites, key
        )

    return resolver_with(
        resolve,
        {
            "info": Info,
            "key": str,
            "expected_version": int,
            "patch": build_.space[f"{cls.name}Patch"],
            "sources": nullable(list_of(SourceRefInput)),
            "comment": nullable(str),
            "return": result,
        },
    )


def _with_sources(step: EntityStep, keys: list[str]) -> EntityStep:
    if not keys:
        return step
    return EntityStep(
        step.op,
        step.class_name,
        step.key,
        {**step.props, "sources+": keys},
        step.expected_version,
        step.detach,
    )


def _delete_resolver(result: type, cls: ClassDef) -> Resolver:
    async def resolve(
        info: Info,
        key: str,
        expected_version: int,
        detach: bool = False,
        comment: str | None = None,
    ) -> Change:
        step = EntityStep("delete", cls.name, key, expected_version=expected_version, detach=detach)
        return await run(info, [step], comment, Citations(), None)

    return returning(resolve, result)


# The ends of a relationship to link or unlink, by key (`from` is a Python keyword).
StartKey = Annotated[str, strawberry.argument(name="from", description="Key of the start entity.")]
EndKey = Annotated[str, strawberry.argument(description="Key of the end entity.")]


def _link_resolver(ontology: Ontology) -> Resolver:
    async def link(
        info: Info,
        type: Enum,  # the build's RelationType
        from_: StartKey,
        to: EndKey,
        properties: JSON | None = None,
        sources: list[SourceRefInput] | None = None,
        comment: str | None = None,
    ) -> Change:
        require(info, "contributor")
        rel = ontology.relation(plain(type))
        try:
            cites = _source_steps(sources)
            props = _edge_props(rel, properties, "properties", cites.keys)
        except InvalidInputError as exc:
            raise _validation_error(exc) from exc
        steps = [*cites.steps, LinkStep("link", rel.type, from_, to, props)]
        return await run(info, steps, comment, cites, None)

    return link


def _unlink_resolver(ontology: Ontology) -> Resolver:
    async def unlink(
        info: Info,
        type: Enum,  # the build's RelationType
        from_: StartKey,
        to: EndKey,
        comment: str | None = None,
    ) -> Change:
        rel = ontology.relation(plain(type))
        return await run(
            info, [LinkStep("unlink", rel.type, from_, to)], comment, Citations(), None
        )

    return unlink


async def revert(info: Info, revision_id: str, comment: str | None = None) -> Change:
    user = require(info, "editor")
    driver, db, base = _db(info)
    with graph_errors("cannot revert: ", integrity_code=CONFLICT):
        rev: Revision | None = await graph_revisions.revert(
            driver, db, base, revision_id, user.name, comment
        )
    info_ = revision_info(rev, True) if rev is not None else None
    return Change(applied=True, revision=info_, proposal=None, entity=None)


async def approve_proposal(info: Info, id: str) -> Change:
    user = require(info, "editor")
    driver, db, base = _db(info)
    with graph_errors():
        rev = await graph_proposals.approve(driver, db, base, id, user.name)
    proposal = await graph_proposals.get_proposal(driver, db, id)
    return Change(
        applied=True,
        revision=revision_info(rev, True),
        proposal=proposal_info(proposal, True),
        entity=None,
    )


async def reject_proposal(info: Info, id: str, reason: str) -> ProposalInfo:
    user = require(info, "editor")
    driver, db, _ = _db(info)
    with graph_errors():
        return proposal_info(await graph_proposals.reject(driver, db, id, user.name, reason), True)


@strawberry.type(description="A new account and its token (shown only in this response).")
class NewAccount:
    account: AccountInfo
    token: str


async def create_account(info: Info, name: str, role: str) -> NewAccount:
    require(info, "admin")
    if role not in ROLES:
        raise api_error(
            f"`role` must be one of {', '.join(ROLES)}",
            VALIDATION_FAILED,
            fieldErrors=[{"path": "role", "message": "unknown role"}],
        )
    driver, db, _ = _db(info)
    try:
        account, token = await graph_accounts.create_account(driver, db, name, role)
    except ConflictError as exc:
        raise api_error(str(exc), CONFLICT) from exc
    return NewAccount(account=account_info(account), token=token)


async def revoke_account(info: Info, name: str) -> AccountInfo:
    require(info, "admin")
    driver, db, _ = _db(info)
    try:
        account: Account = await graph_accounts.revoke_account(driver, db, name)
    except NotFoundError as exc:
        raise api_error(str(exc), NOT_FOUND) from exc
    return account_info(account)


async def accounts(info: Info) -> list[AccountInfo]:
    require(info, "admin")
    driver, db, _ = _db(info)
    return [account_info(a) for a in await graph_accounts.list_accounts(driver, db)]


def build_mutation(build_: Build, result: type, extra: dict[str, tuple[Resolver, str]]) -> type:
    """The Mutation root: per-class and generic mutations, plus `extra` fields. `result` is the
    build's `ChangeResult`; mutation inputs must be built first."""
    ontology = build_.ontology
    relation_type = build_.enums.relation_type
    namespace: dict[str, object] = {"__module__": __name__}
    for cls in ontology.classes:
        text = f"{cls.labels.en} ({cls.labels.zh})"
        for op, verb, how in (
            ("create", "Create", ""),
            ("upsert", "Upsert", " by key (create or update)"),
        ):
            name = f"{op}{cls.name}"
            namespace[name] = strawberry.field(
                resolver=create_resolver(build_, result, cls, op),
                name=name,
                description=f"{verb} a {text}{how}, with its links and nested entities, in one "
                "transaction.",
            )
        namespace[f"update{cls.name}"] = strawberry.field(
            resolver=_update_resolver(build_, result, cls),
            name=f"update{cls.name}",
            description=f"Change some fields of a {text}; fails with CONFLICT unless "
            "`expectedVersion` is its current version.",
        )
        namespace[f"delete{cls.name}"] = strawberry.field(
            resolver=_delete_resolver(result, cls),
            name=f"delete{cls.name}",
            description=f"Delete a {text}. If relationships are attached, pass `detach: true` to "
            "delete them too (they are recorded in the revision, so a revert restores them).",
        )
    namespace["link"] = strawberry.field(
        resolver=returning(_link_resolver(ontology), result, type=relation_type),
        name="link",
        description="Create a relationship (or update its properties).",
    )
    namespace["unlink"] = strawberry.field(
        resolver=returning(_unlink_resolver(ontology), result, type=relation_type),
        name="unlink",
        description="Remove a relationship.",
    )
    namespace["revert"] = strawberry.field(
        resolver=returning(revert, result),
        name="revert",
        description="Undo a revision, as a new revision (editors, admins).",
    )
    namespace["approve_proposal"] = strawberry.field(
        resolver=returning(approve_proposal, result),
        description="Apply a pending proposal as a revision crediting its author and you.",
    )
    namespace["reject_proposal"] = strawberry.field(
        resolver=reject_proposal, description="Reject a pending proposal with a reason."
    )
    namespace["create_account"] = strawberry.field(
        resolver=create_account, description="Create an account (admins); returns its token once."
    )
    namespace["revoke_account"] = strawberry.field(
        resolver=revoke_account, description="Revoke an account's token (admins)."
    )
    for field_name, (resolver, description) in extra.items():
        namespace[field_name] = strawberry.field(resolver=resolver, description=description)
    made: type = strawberry.type(
        type("Mutation", (), namespace),
        description="Changes to the knowledge graph. Every change is a revision with who, when, "
        "why and sources.",
    )
    return made


ADMIN_QUERY_FIELDS: dict[str, tuple[Resolver, str]] = {
    "accounts": (accounts, "All accounts (admins).")
}
