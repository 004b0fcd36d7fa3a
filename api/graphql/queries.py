"""Root query fields: per class (`committee(key)`, `committees(where, orderBy, first, after)`),
and across classes (`entity`, `entityByIri`, `node`, `entities`, `search`)."""

from __future__ import annotations

from importlib.metadata import version as package_version
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql import analysis
from api.graphql.changes import QUERY_FIELDS
from api.graphql.context import Context
from api.graphql.enums import EntityType, Lang, plain
from api.graphql.errors import BAD_USER_INPUT, api_error, unavailable_error
from api.graphql.inputs import INPUTS, to_filter, to_order
from api.graphql.mutations import ADMIN_QUERY_FIELDS
from api.graphql.naming import list_field, list_of, nullable, single_field
from api.graphql.register import QUERY_FIELDS as REGISTER_QUERIES
from api.graphql.selection import PageSizeError, build, page_size
from api.graphql.types import (
    OBJECT_TYPES,
    Entity,
    Node,
    Row,
    cursor_offset,
    parse_global_id,
    to_rows,
)
from graph import reads
from graph import search as graph_search
from graph.errors import GraphUnavailableError
from graph.selection import Selection
from ontology import ONTOLOGY


def _context(info: Info) -> Context:
    context: Context = info.context
    return context


def _current(info: Info) -> SelectedField:
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    return field


def _unavailable(exc: GraphUnavailableError) -> Exception:
    return unavailable_error(exc)


async def _one_by_key(
    info: Info, key: str, type_name: str, classes: tuple[str, ...] | None
) -> Row | None:
    ctx = _context(info)
    selection = build(_current(info).selections, type_name)
    try:
        found = await reads.fetch_by_keys(
            ctx.state.driver, ctx.state.connection.database, [key], selection
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    row = found.get(key)
    if row is None or (classes is not None and row["__class"] not in classes):
        return None
    result: Row = to_rows(row)
    return result


def _connection_selection(field: SelectedField, type_name: str) -> tuple[Selection, bool]:
    selections: list[Any] = []
    with_total = False
    for sub in field.selections:
        if not isinstance(sub, SelectedField):
            continue
        if sub.name == "nodes":
            selections += sub.selections
        elif sub.name == "edges":
            for edge_field in sub.selections:
                if isinstance(edge_field, SelectedField) and edge_field.name == "node":
                    selections += edge_field.selections
        elif sub.name == "totalCount":
            with_total = True
    return build(selections, type_name), with_total


async def _page(info: Info, classes: tuple[str, ...], type_name: str, where_type: str) -> Row:
    ctx = _context(info)
    field = _current(info)
    args = field.arguments
    try:
        limit = page_size(args.get("first"))
        skip = cursor_offset(args.get("after"))
    except PageSizeError as exc:
        raise api_error(str(exc), BAD_USER_INPUT, argument="first") from exc
    except ValueError as exc:
        raise api_error(
            "`after` is not a cursor from this API", BAD_USER_INPUT, argument="after"
        ) from exc
    selection, with_total = _connection_selection(field, type_name)
    try:
        page = await reads.fetch_page(
            ctx.state.driver,
            ctx.state.connection.database,
            classes,
            to_filter(where_type, args.get("where")),
            to_order(args.get("orderBy")),
            skip,
            limit + 1,  # one more tells whether there is a next page
            selection,
            with_total,
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    items = to_rows(page.items)
    return Row(items=items[:limit], total=page.total, skip=skip, has_next=len(items) > limit)


def _single_resolver(class_name: str) -> Any:
    async def resolve(info: Info, key: str) -> Any:
        return await _one_by_key(info, key, class_name, (class_name,))

    resolve.__annotations__ = {
        "info": Info,
        "key": str,
        "return": nullable(OBJECT_TYPES[class_name]),
    }
    return resolve


def _list_resolver(class_name: str) -> Any:
    async def resolve(
        info: Info,
        where: Any = None,
        order_by: Any = None,
        first: int = 100,
        after: str | None = None,
    ) -> Any:
        return await _page(info, (class_name,), class_name, f"{class_name}Where")

    resolve.__annotations__ = {
        "info": Info,
        "where": nullable(INPUTS[f"{class_name}Where"]),
        "order_by": nullable(list_of(INPUTS[f"{class_name}Order"])),
        "first": int,
        "after": nullable(str),
        "return": OBJECT_TYPES[f"{class_name}Connection"],
    }
    return resolve


@strawberry.type(description="A full-text match.")
class SearchHit:
    entity: Entity
    score: float = strawberry.field(description="Relevance (Lucene score); higher is better.")
    field: str = strawberry.field(description="The stored field that matched, e.g. prefLabel_zh.")
    matched_text: str | None = strawberry.field(description="The text of that field.")


async def _search(
    info: Info, text: str, types: list[EntityType] | None, lang: Lang | None, first: int
) -> list[SearchHit]:
    ctx = _context(info)
    if not text.strip():
        raise api_error("`text` must not be empty", BAD_USER_INPUT, argument="text")
    try:
        limit = page_size(first)
    except PageSizeError as exc:
        raise api_error(str(exc), BAD_USER_INPUT, argument="first") from exc
    classes = [plain(t) for t in types] if types else None
    hit_field = next(
        (
            f
            for f in _current(info).selections
            if isinstance(f, SelectedField) and f.name == "entity"
        ),
        None,
    )
    selection = build(hit_field.selections, "Entity") if hit_field else Selection()
    try:
        hits = await graph_search.search(
            ctx.state.driver,
            ctx.state.connection.database,
            text,
            classes,
            limit,
            plain(lang) if lang else None,
            selection,
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    out = []
    for hit in hits:
        value = hit.entity.props.get(hit.field)
        matched = ", ".join(value) if isinstance(value, list) else value
        out.append(
            SearchHit(
                entity=to_rows(hit.projected),
                score=hit.score,
                field=hit.field,
                matched_text=matched,
            )
        )
    return out


def _build_query() -> Any:
    namespace: dict[str, Any] = {"__module__": __name__}

    def version() -> str:
        return package_version("mskg")

    namespace["version"] = strawberry.field(
        resolver=version, description="Version of the MSKG service."
    )

    async def entity(info: Info, key: str) -> Entity | None:
        row: Any = await _one_by_key(info, key, "Entity", None)  # a Row standing in for an Entity
        return row  # type: ignore[no-any-return]

    namespace["entity"] = strawberry.field(resolver=entity, description="Any entity by its key.")

    async def entity_by_iri(info: Info, iri: str) -> Entity | None:
        ctx = _context(info)
        selection = build(_current(info).selections, "Entity")
        try:
            row = await reads.fetch_by_iri(
                ctx.state.driver, ctx.state.connection.database, iri, selection
            )
        except GraphUnavailableError as exc:
            raise _unavailable(exc) from exc
        return to_rows(row) if row else None

    namespace["entity_by_iri"] = strawberry.field(
        resolver=entity_by_iri, description="Any entity by its IRI."
    )

    async def node(info: Info, id: strawberry.ID) -> Node | None:
        class_name, key = parse_global_id(str(id))
        if class_name not in {c.name for c in ONTOLOGY.classes}:
            return None
        row: Any = await _one_by_key(info, key, class_name, (class_name,))
        return row  # type: ignore[no-any-return]

    namespace["node"] = strawberry.field(
        resolver=node, description="Any entity by its global ID (Relay)."
    )

    async def entities(
        info: Info,
        where: Any = None,
        order_by: Any = None,
        first: int = 100,
        after: str | None = None,
    ) -> Any:
        return await _page(info, tuple(c.name for c in ONTOLOGY.classes), "Entity", "EntityWhere")

    entity_order = INPUTS["EntityOrder"]
    entities.__annotations__ = {
        "info": Info,
        "where": nullable(INPUTS["EntityWhere"]),
        "order_by": nullable(list_of(entity_order)),
        "first": int,
        "after": nullable(str),
        "return": OBJECT_TYPES["EntityConnection"],
    }

    namespace["entities"] = strawberry.field(
        resolver=entities, description="Entities of any class."
    )

    async def search(
        info: Info,
        text: str,
        types: list[EntityType] | None = None,
        lang: Lang | None = None,
        first: int = 20,
    ) -> list[SearchHit]:
        return await _search(info, text, types, lang, first)

    namespace["search"] = strawberry.field(
        resolver=search,
        description="Full-text search over zh and en labels, alternative labels and designations, "
        "best match first. Chinese text matches as a substring (区块链 finds 全国区块链…委员会).",
    )

    namespace["neighborhood"] = strawberry.field(
        resolver=analysis.neighborhood,
        description="Entities within `depth` (1–3) relationships of an entity, either direction, "
        "and every relationship among them.",
    )
    namespace["paths"] = strawberry.field(
        resolver=analysis.paths,
        description="The shortest connections (at most `maxHops`, up to 6) between two entities, "
        "with every entity and relationship on the way.",
    )
    namespace["gaps"] = strawberry.field(
        resolver=analysis.gaps,
        description="Delegates' gap analysis: international standards and work items with no "
        "domestic adoption, or domestic ones adopting no international item; `concept` narrows "
        "to items about that concept or a narrower one.",
    )
    for field_name, (resolver, description) in {
        **QUERY_FIELDS,
        **ADMIN_QUERY_FIELDS,
        **REGISTER_QUERIES,
    }.items():
        namespace[field_name] = strawberry.field(resolver=resolver, description=description)
    for cls in ONTOLOGY.classes:
        name, counts = analysis.counts_field(cls.name)
        namespace[name] = strawberry.field(
            resolver=counts,
            name=name,
            description=f"How many {cls.labels.en} entities per combination of `groupBy` values.",
        )
    for cls in ONTOLOGY.classes:
        namespace[single_field(cls)] = strawberry.field(
            resolver=_single_resolver(cls.name),
            name=single_field(cls),
            description=f"A {cls.labels.en} by key.",
        )
        namespace[list_field(cls)] = strawberry.field(
            resolver=_list_resolver(cls.name),
            name=list_field(cls),
            description=f"{cls.labels.en} entities ({cls.labels.zh}): filter with `where`, sort with "
            "`orderBy`, page with `first`/`after`.",
        )
    return strawberry.type(
        type("Query", (), namespace),
        description="Read access to the Metaverse Standards Knowledge Graph.",
    )


Query = _build_query()
