"""Root fields for graph questions and analysis: `neighborhood`, `paths`, `gaps` and the
per-class `…Counts` aggregations."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql.enums import plain
from api.graphql.errors import BAD_USER_INPUT, NOT_FOUND, api_error, unavailable_error
from api.graphql.inputs import INPUTS, to_filter
from api.graphql.naming import list_of, make_enum, nullable, single_field, upper_snake
from api.graphql.selection import PageSizeError, build, page_size
from api.graphql.types import Entity, LangText, to_rows
from graph import analytics, explore
from graph.errors import GraphUnavailableError
from graph.explore import GraphEdge as StoredEdge
from graph.selection import Selection
from ontology import ONTOLOGY
from ontology.model import Datatype


def _driver(info: Info) -> tuple[Any, str]:
    state = info.context.state
    return state.driver, state.connection.database


def _sub(info: Info, name: str) -> SelectedField | None:
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    for sub in field.selections:
        if isinstance(sub, SelectedField) and sub.name == name:
            return sub
    return None


def _nodes_selection(info: Info) -> Selection:
    nodes = _sub(info, "nodes")
    return build(nodes.selections, "Entity") if nodes else Selection()


@strawberry.type(description="A property of a relationship, as text.")
class EdgeProperty:
    name: str
    value: str


@strawberry.type(description="A relationship between two entities.")
class GraphEdge:
    type: str = strawberry.field(description="Relationship type, e.g. DOMESTIC_COUNTERPART_OF.")
    label: LangText = strawberry.field(description="The relationship type's zh/en name.")
    from_key: str = strawberry.field(description="Key of the start entity.")
    to_key: str = strawberry.field(description="Key of the end entity.")
    sources: list[str] = strawberry.field(description="Keys of its sources.")
    properties: list[EdgeProperty] = strawberry.field(
        description="Its other properties (degree, evidence, …)."
    )


_HIDDEN_EDGE_PROPS = {"sources", "createdAt", "updatedAt", "createdBy", "updatedBy"}


def _edge(edge: StoredEdge) -> GraphEdge:
    labels = ONTOLOGY.relation(edge.type).labels
    props = [
        EdgeProperty(name=k, value=", ".join(map(str, v)) if isinstance(v, list) else str(v))
        for k, v in sorted(edge.props.items())
        if k not in _HIDDEN_EDGE_PROPS and v is not None
    ]
    return GraphEdge(
        type=edge.type,
        label=LangText(zh=labels.zh, en=labels.en),
        from_key=edge.start,
        to_key=edge.end,
        sources=list(edge.props.get("sources") or []),
        properties=props,
    )


@strawberry.type(description="Entities and the relationships among them.")
class Subgraph:
    nodes: list[Entity]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(description="True when a level was capped at 300 entities.")


@strawberry.type(
    description="One shortest connection: entities in order and the relationships between them."
)
class GraphPath:
    nodes: list[Entity]
    edges: list[GraphEdge]
    length: int


async def neighborhood(info: Info, key: str, depth: int = 1) -> Subgraph | None:
    driver, db = _driver(info)
    if not 1 <= depth <= explore.MAX_DEPTH:
        raise api_error(
            f"`depth` must be between 1 and {explore.MAX_DEPTH}", BAD_USER_INPUT, argument="depth"
        )
    try:
        found = await explore.neighborhood(driver, db, key, depth, _nodes_selection(info))
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    if found is None:
        raise api_error(f"no entity with key {key!r}", NOT_FOUND, key=key)
    return Subgraph(
        nodes=to_rows(found.nodes), edges=[_edge(e) for e in found.edges], truncated=found.truncated
    )


async def paths(
    info: Info,
    from_: Annotated[str, strawberry.argument(name="from", description="Key of the first entity.")],
    to: Annotated[str, strawberry.argument(description="Key of the last entity.")],
    max_hops: int = 4,
) -> list[GraphPath]:
    driver, db = _driver(info)
    if not 1 <= max_hops <= explore.MAX_HOPS:
        raise api_error(
            f"`maxHops` must be between 1 and {explore.MAX_HOPS}",
            BAD_USER_INPUT,
            argument="maxHops",
        )
    try:
        found = await explore.shortest_paths(
            driver, db, from_, to, max_hops, _nodes_selection(info)
        )
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    return [
        GraphPath(nodes=to_rows(p.nodes), edges=[_edge(e) for e in p.edges], length=len(p.edges))
        for p in found
    ]


@strawberry.enum(
    description="Which side of the domestic ↔ international mapping lacks a counterpart."
)
class GapDirection(Enum):
    INTERNATIONAL_WITHOUT_DOMESTIC = "international_without_domestic"
    DOMESTIC_WITHOUT_INTERNATIONAL = "domestic_without_international"


@strawberry.enum(description="Which items gap analysis looks at.")
class GapScope(Enum):
    RELEVANT = "relevant"
    ALL = "all"


async def gaps(
    info: Info,
    direction: GapDirection,
    concept: str | None = None,
    first: int = 100,
    scope: Annotated[
        GapScope,
        strawberry.argument(
            description="RELEVANT (default): leave out catalogue items that no relevance rule or "
            "editor linked to a concept; ALL: every item of the imported catalogues."
        ),
    ] = GapScope.RELEVANT,
) -> list[Entity]:
    driver, db = _driver(info)
    try:
        limit = page_size(first)
    except PageSizeError as exc:
        raise api_error(str(exc), BAD_USER_INPUT, argument="first") from exc
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    selection = build(field.selections, "Entity")
    try:
        rows = await analytics.gaps(
            driver, db, direction.value, concept, selection, limit, scope.value
        )
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    if rows is None:
        raise api_error(f"no concept with key {concept!r}", NOT_FOUND, key=concept)
    result: list[Entity] = to_rows(rows)
    return result


# -- aggregations ---------------------------------------------------------------------------------
@strawberry.type(description="One value of a grouping dimension.")
class GroupValue:
    dimension: str
    value: str | None = strawberry.field(
        description="The property value, or the related entity's key."
    )
    label: LangText | None = strawberry.field(
        description="The related entity's label, for relationships."
    )


@strawberry.type(description="How many entities share these dimension values.")
class CountGroup:
    values: list[GroupValue]
    count: int


def _dimensions(class_name: str) -> dict[str, analytics.Dimension]:
    cls = ONTOLOGY.cls(class_name)
    dims: dict[str, analytics.Dimension] = {}
    for prop in cls.properties:
        if prop.private:  # grouping by a contact detail would reveal it
            continue
        if (
            prop.datatype
            in (Datatype.ENUM, Datatype.STRING, Datatype.PARTIAL_DATE, Datatype.INTEGER)
            and not prop.many
        ):
            dims[upper_snake(prop.name)] = analytics.Dimension(prop=prop.name)
    for rel in ONTOLOGY.relations_from(class_name):
        dims[upper_snake(rel.field)] = analytics.Dimension(rel_type=rel.type, direction="out")
    for rel in ONTOLOGY.relations_to(class_name):
        dims.setdefault(
            upper_snake(rel.inverse_field), analytics.Dimension(rel_type=rel.type, direction="in")
        )
    return dims


def counts_field(class_name: str) -> tuple[str, Any]:
    dims = _dimensions(class_name)
    dimension_enum = strawberry.enum(
        make_enum(f"{class_name}Dimension", {name: name for name in dims}),
        description=f"What {class_name} counts can be grouped by: a property or a relationship.",
    )

    async def resolve(info: Info, group_by: Any, where: Any = None) -> list[CountGroup]:
        driver, db = _driver(info)
        names = [str(plain(g)) for g in group_by]
        if not names:
            raise api_error(
                "`groupBy` needs at least one dimension", BAD_USER_INPUT, argument="groupBy"
            )
        raw_where = info.selected_fields[0].arguments.get("where")  # type: ignore[union-attr]
        try:
            groups = await analytics.counts(
                driver,
                db,
                class_name,
                to_filter(f"{class_name}Where", raw_where),
                [dims[n] for n in names],
            )
        except GraphUnavailableError as exc:
            raise unavailable_error(exc) from exc
        out = []
        for group in groups:
            values = []
            for name, value, label in zip(names, group.values, group.labels, strict=True):
                text = None if value is None else str(value)
                lang = LangText(zh=label.get("zh"), en=label.get("en")) if label else None
                values.append(GroupValue(dimension=name, value=text, label=lang))
            out.append(CountGroup(values=values, count=group.count))
        return out

    resolve.__annotations__ = {
        "info": Info,
        "group_by": list_of(dimension_enum),
        "where": nullable(INPUTS[f"{class_name}Where"]),
        "return": list[CountGroup],
    }
    return f"{single_field(ONTOLOGY.cls(class_name))}Counts", resolve
