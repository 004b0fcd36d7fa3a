"""Root query fields: per class (`committee(key)`, `committees(where, orderBy, first, after)`),
and across classes (`entity`, `entityByIri`, `node`, `entities`, `search`)."""

from __future__ import annotations

from enum import Enum
from importlib.metadata import version as package_version

import strawberry
from strawberry.types import Info, nodes
from strawberry.types.nodes import SelectedField

from api.graphql.context import Context
from api.graphql.enums import plain
from api.graphql.errors import BAD_USER_INPUT, api_error, unavailable_error
from api.graphql.inputs import to_filter, to_order
from api.graphql.languages import Lang
from api.graphql.mapping import mapping_of
from api.graphql.naming import list_field, list_of, nullable, single_field
from api.graphql.selection import PageSizeError, Selections, build, first_argument, page_size
from api.graphql.space import Build
from api.graphql.types import (
    Node,
    Resolver,
    Row,
    cursor_offset,
    parse_global_id,
    resolver_with,
    row_map,
    to_rows,
)
from graph import reads
from graph import search as graph_search
from graph.errors import GraphUnavailableError
from graph.selection import Selection


def _context(info: Info) -> Context:
    context: Context = info.context
    return context


def _current(info: Info) -> SelectedField:
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    return field


def _fields_of(selections: list[nodes.Selection]) -> list[SelectedField]:
    """The fields of a selection set, those in fragments included."""
    fields: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            fields.append(selection)
        else:  # a fragment spread or an inline fragment
            fields += _fields_of(selection.selections)
    return fields


def _unavailable(exc: GraphUnavailableError) -> Exception:
    return unavailable_error(exc)


async def _one_by_key(
    info: Info, key: str, type_name: str, classes: tuple[str, ...] | None
) -> Row | None:
    ctx = _context(info)
    selection = build(mapping_of(info), _current(info).selections, type_name)
    try:
        found = await reads.fetch_by_keys(
            ctx.state.driver, ctx.state.connection.database, [key], selection, row_map
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    row: Row | None = found.get(key)
    if row is None or (classes is not None and row["__class"] not in classes):
        return None
    return row


def _connection_selection(info: Info, type_name: str) -> tuple[Selection, bool]:
    field = _current(info)
    selections: Selections = []
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
    return build(mapping_of(info), selections, type_name), with_total


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
    selection, with_total = _connection_selection(info, type_name)
    mapping = mapping_of(info)
    try:
        page = await reads.fetch_page(
            ctx.state.driver,
            ctx.state.connection.database,
            classes,
            to_filter(mapping, where_type, args.get("where")),
            to_order(mapping, args.get("orderBy")),
            skip,
            limit + 1,  # one more tells whether there is a next page
            selection,
            with_total,
            row_map,
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    items = page.items
    return Row(items=items[:limit], total=page.total, skip=skip, has_next=len(items) > limit)


def _single_resolver(build_: Build, class_name: str) -> Resolver:
    async def resolve(info: Info, key: str) -> Row | None:
        return await _one_by_key(info, key, class_name, (class_name,))

    return resolver_with(
        resolve, {"info": Info, "key": str, "return": nullable(build_.space[class_name])}
    )


def _list_resolver(build_: Build, classes: tuple[str, ...], type_name: str) -> Resolver:
    async def resolve(
        info: Info,
        where: object = None,  # read from the selection, like every argument
        order_by: object = None,
        first: int = 100,
        after: str | None = None,
    ) -> Row:
        return await _page(info, classes, type_name, f"{type_name}Where")

    space = build_.space
    return resolver_with(
        resolve,
        {
            "info": Info,
            "where": nullable(space[f"{type_name}Where"]),
            "order_by": nullable(list_of(space[f"{type_name}Order"])),
            "first": int,
            "after": nullable(str),
            "return": space[f"{type_name}Connection"],
        },
    )


# How far down the ranked hits a search pages or counts: deeper, narrow the search.
SEARCH_DEPTH = 10_000


def _search_hit(entity: type) -> type:
    made: type = strawberry.type(
        type(
            "SearchHit",
            (),
            {
                "__module__": __name__,
                "__annotations__": {
                    "entity": entity,
                    "score": float,
                    "field": str,
                    "matched_text": str | None,
                },
                "score": strawberry.field(
                    description="Relevance (Lucene score); higher is better."
                ),
                "field": strawberry.field(
                    description="The stored field that matched, e.g. prefLabel_zh."
                ),
                "matched_text": strawberry.field(description="The text of that field."),
            },
        ),
        description="A full-text match.",
    )
    return made


def _search_resolver(build_: Build) -> Resolver:
    hit_type = _search_hit(build_.space["Entity"])

    async def search(
        info: Info,
        text: str,
        types: list[Enum] | None = None,
        lang: Enum | None = None,  # the Lang enum
        first: int = 20,
        offset: int = 0,
    ) -> list[object]:
        ctx = _context(info)
        if not text.strip():
            raise api_error("`text` must not be empty", BAD_USER_INPUT, argument="text")
        limit = first_argument(first)
        if not 0 <= offset <= SEARCH_DEPTH:
            raise api_error(
                f"`offset` must be between 0 and {SEARCH_DEPTH}, got {offset}: narrow the "
                "search (more words, `types`, `lang`) to reach hits further down",
                BAD_USER_INPUT,
                argument="offset",
            )
        classes = [plain(t) for t in types] if types else None
        selected = _fields_of(_current(info).selections)
        hit_field = next((f for f in selected if f.name == "entity"), None)
        selection = (
            build(mapping_of(info), hit_field.selections, "Entity") if hit_field else Selection()
        )
        # The matched field needs every searchable property of each hit: fetch them only when
        # it is asked for.
        wants_match = any(f.name in {"field", "matchedText"} for f in selected)
        args = (
            ctx.state.driver,
            ctx.state.connection.database,
            text,
            classes,
            limit,
            plain(lang) if lang else None,
            selection,
        )
        try:
            if not wants_match:
                projected = await graph_search.search_projected(*args, row_map, offset)
                return [
                    hit_type(entity=hit.projected, score=hit.score, field="", matched_text=None)
                    for hit in projected
                ]
            hits = await graph_search.search(*args, offset)
        except GraphUnavailableError as exc:
            raise _unavailable(exc) from exc
        out: list[object] = []
        for hit in hits:
            value = hit.entity.props.get(hit.field)
            matched = ", ".join(value) if isinstance(value, list) else value
            out.append(
                hit_type(
                    entity=to_rows(hit.projected),
                    score=hit.score,
                    field=hit.field,
                    matched_text=matched,
                )
            )
        return out

    return resolver_with(
        search,
        {
            "info": Info,
            "text": str,
            "types": nullable(list_of(build_.enums.entity_type)),
            "lang": nullable(Lang),
            "first": int,
            "offset": int,
            "return": list_of(hit_type),
        },
    )


def _search_counts_resolver(build_: Build) -> Resolver:
    entity_type = build_.enums.entity_type
    type_count: type = strawberry.type(
        type(
            "SearchTypeCount",
            (),
            {"__module__": __name__, "__annotations__": {"type": entity_type, "count": int}},
        ),
        description="How many matches are of one class.",
    )
    counts_type: type = strawberry.type(
        type(
            "SearchCounts",
            (),
            {
                "__module__": __name__,
                "__annotations__": {"total": int, "capped": bool, "by_type": list_of(type_count)},
                "total": strawberry.field(description="Matches counted (at most the cap)."),
                "capped": strawberry.field(
                    description=f"More than {SEARCH_DEPTH} entities match: the counts are of "
                    f"the best {SEARCH_DEPTH}."
                ),
                "by_type": strawberry.field(description="Per class, largest first."),
            },
        ),
        description="What a search matches in all, for paging and facets.",
    )

    async def search_counts(info: Info, text: str, lang: Enum | None = None) -> object:
        ctx = _context(info)
        if not text.strip():
            raise api_error("`text` must not be empty", BAD_USER_INPUT, argument="text")
        try:
            found = await graph_search.search_counts(
                ctx.state.driver,
                ctx.state.connection.database,
                text,
                plain(lang) if lang else None,
                SEARCH_DEPTH,
            )
        except GraphUnavailableError as exc:
            raise _unavailable(exc) from exc
        ordered = sorted(found.by_class.items(), key=lambda item: (-item[1], item[0]))
        return counts_type(
            total=sum(found.by_class.values()),
            capped=found.capped,
            by_type=[type_count(type=entity_type[cls], count=n) for cls, n in ordered],
        )

    return resolver_with(
        search_counts,
        {"info": Info, "text": str, "lang": nullable(Lang), "return": counts_type},
    )


def _version() -> str:
    return package_version("mskg")


async def _entity_by_iri(info: Info, iri: str) -> Row | None:
    ctx = _context(info)
    selection = build(mapping_of(info), _current(info).selections, "Entity")
    try:
        row: Row | None = await reads.fetch_by_iri(
            ctx.state.driver, ctx.state.connection.database, iri, selection, row_map
        )
    except GraphUnavailableError as exc:
        raise _unavailable(exc) from exc
    return row


def build_query(build_: Build, extra: dict[str, tuple[Resolver, str]]) -> type:
    """The Query root: lookups by key, IRI and global ID, pages per class and across classes,
    search, then `extra` (analysis, history, the register, …), then per-class counts and fields."""
    ontology = build_.ontology
    entity = build_.space["Entity"]
    class_names = tuple(c.name for c in ontology.classes)
    namespace: dict[str, object] = {"__module__": __name__}
    namespace["version"] = strawberry.field(
        resolver=_version, description="Version of the MSKG service."
    )

    async def entity_by_key(info: Info, key: str) -> Row | None:
        return await _one_by_key(info, key, "Entity", None)

    namespace["entity"] = strawberry.field(
        resolver=resolver_with(
            entity_by_key, {"info": Info, "key": str, "return": nullable(entity)}
        ),
        name="entity",
        description="Any entity by its key.",
    )
    namespace["entity_by_iri"] = strawberry.field(
        resolver=resolver_with(
            _entity_by_iri, {"info": Info, "iri": str, "return": nullable(entity)}
        ),
        description="Any entity by its IRI.",
    )

    async def node(info: Info, id: strawberry.ID) -> Row | None:
        class_name, key = parse_global_id(str(id))
        if class_name not in class_names:
            return None
        return await _one_by_key(info, key, class_name, (class_name,))

    namespace["node"] = strawberry.field(
        resolver=resolver_with(node, {"info": Info, "id": strawberry.ID, "return": nullable(Node)}),
        name="node",
        description="Any entity by its global ID (Relay).",
    )
    namespace["entities"] = strawberry.field(
        resolver=_list_resolver(build_, class_names, "Entity"),
        name="entities",
        description="Entities of any class.",
    )
    namespace["search"] = strawberry.field(
        resolver=_search_resolver(build_),
        name="search",
        description="Full-text search over zh and en labels, alternative labels and designations, "
        "best match first. Chinese text matches as a substring (区块链 finds 全国区块链…委员会). "
        f"Page with `first` and `offset` (up to {SEARCH_DEPTH}); `searchCounts` says how many "
        "match.",
    )
    namespace["search_counts"] = strawberry.field(
        resolver=_search_counts_resolver(build_),
        name="searchCounts",
        description=f"How many entities `search` matches, per class (the best {SEARCH_DEPTH} "
        "counted), in one round trip.",
    )
    for field_name, (resolver, description) in extra.items():
        namespace[field_name] = strawberry.field(resolver=resolver, description=description)
    for cls in ontology.classes:
        namespace[single_field(cls)] = strawberry.field(
            resolver=_single_resolver(build_, cls.name),
            name=single_field(cls),
            description=f"A {cls.labels.en} by key.",
        )
        namespace[list_field(cls)] = strawberry.field(
            resolver=_list_resolver(build_, (cls.name,), cls.name),
            name=list_field(cls),
            description=f"{cls.labels.en} entities ({cls.labels.zh}): filter with `where`, sort "
            "with `orderBy`, page with `first`/`after`.",
        )
    made: type = strawberry.type(
        type("Query", (), namespace),
        description="Read access to the Metaverse Standards Knowledge Graph.",
    )
    return made
