"""Root fields for graph questions and analysis: `neighborhood`, `paths`, `gaps` and the
per-class `…Counts` aggregations."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql.enums import plain
from api.graphql.errors import BAD_USER_INPUT, NOT_FOUND, api_error, unavailable_error
from api.graphql.inputs import to_filter
from api.graphql.languages import LangText
from api.graphql.mapping import mapping_of
from api.graphql.naming import list_of, make_enum, nullable, single_field, upper_snake
from api.graphql.selection import build, first_argument
from api.graphql.space import Build
from api.graphql.types import Resolver, Row, resolver_with, row_map, to_rows
from graph import analytics, explore
from graph.driver import AsyncDriver
from graph.errors import GraphUnavailableError
from graph.explore import GraphEdge as StoredEdge
from graph.selection import Selection
from ontology.model import ClassDef, Datatype, Ontology
from ontology.provenance import RECORD_META
from ontology.vocab import ICS_CODE, STAGE_PREFIX, ics_key


def _driver(info: Info) -> tuple[AsyncDriver, str]:
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
    return build(mapping_of(info), nodes.selections, "Entity") if nodes else Selection()


@strawberry.type(description="A property of a relationship, as text.")
class EdgeProperty:
    name: str
    value: str


@strawberry.type(description="A relationship between two entities.")
class GraphEdge:
    type: str = strawberry.field(description="Relationship type, e.g. DOMESTIC_COUNTERPART_OF.")
    label: object = strawberry.field(
        graphql_type=LangText, description="The relationship type's zh/en name."
    )
    from_key: str = strawberry.field(description="Key of the start entity.")
    to_key: str = strawberry.field(description="Key of the end entity.")
    sources: list[str] = strawberry.field(description="Keys of its sources.")
    properties: list[EdgeProperty] = strawberry.field(
        description="Its other properties (degree, evidence, …)."
    )


# Shown elsewhere (`sources`) or bookkeeping.
_HIDDEN_EDGE_PROPS = {"sources", *(term.name for term in RECORD_META)}


def _edge(ontology: Ontology, edge: StoredEdge) -> GraphEdge:
    labels = ontology.relation(edge.type).labels
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


def _filters(
    only: list[Enum] | None,
    skip: list[Enum] | None,
    classes: list[Enum] | None,
    avoid: list[Enum] | None,
) -> explore.Filters:
    return explore.Filters(
        only=tuple(plain(t) for t in only) if only is not None else None,
        skip=tuple(plain(t) for t in skip or ()),
        classes=tuple(plain(t) for t in classes) if classes is not None else None,
        avoid=tuple(plain(t) for t in avoid or ()),
    )


async def _neighborhood(
    info: Info, key: str, depth: int, filters: explore.Filters
) -> tuple[list[Row], list[StoredEdge], bool]:
    driver, db = _driver(info)
    if not 1 <= depth <= explore.MAX_DEPTH:
        raise api_error(
            f"`depth` must be between 1 and {explore.MAX_DEPTH}", BAD_USER_INPUT, argument="depth"
        )
    try:
        found = await explore.neighborhood(driver, db, key, depth, _nodes_selection(info), filters)
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    if found is None:
        raise api_error(f"no entity with key {key!r}", NOT_FOUND, key=key)
    return to_rows(found.nodes), found.edges, found.truncated


async def _paths(
    info: Info, from_: str, to: str, max_hops: int, filters: explore.Filters
) -> list[explore.Path]:
    driver, db = _driver(info)
    if not 1 <= max_hops <= explore.MAX_HOPS:
        raise api_error(
            f"`maxHops` must be between 1 and {explore.MAX_HOPS}",
            BAD_USER_INPUT,
            argument="maxHops",
        )
    try:
        return await explore.shortest_paths(
            driver, db, from_, to, max_hops, _nodes_selection(info), filters=filters
        )
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc


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


MAX_OFFSET = 10_000  # deepest page of the adoption map


def _narrowing(
    concept: str | None, committee: str | None, ics: str | None, stage: str | None
) -> analytics.Narrowing:
    if stage is not None and not re.fullmatch(STAGE_PREFIX, stage):
        raise api_error(
            f"`stage` must be a harmonized stage code (60.60) or its first two digits (60), "
            f"got {stage!r}",
            BAD_USER_INPUT,
            argument="stage",
        )
    if ics is not None and not re.fullmatch(ICS_CODE, ics):
        raise api_error(
            f"`ics` must be an ICS class code (35, 35.240 or 35.240.01), got {ics!r}",
            BAD_USER_INPUT,
            argument="ics",
        )
    return analytics.Narrowing(
        concept=concept,
        committee=committee,
        ics=ics_key(ics) if ics is not None else None,
        stage=stage,
    )


def _unknown(exc: analytics.UnknownKeyError) -> GraphQLError:
    return api_error(str(exc), NOT_FOUND, argument=exc.argument, key=exc.key)


async def _gaps(
    info: Info,
    direction: GapDirection,
    concept: str | None = None,
    committee: str | None = None,
    ics: str | None = None,
    stage: str | None = None,
    first: int = 100,
    after: str | None = None,
    scope: GapScope = GapScope.RELEVANT,
) -> list[Row]:
    driver, db = _driver(info)
    limit = first_argument(first)
    narrowing = _narrowing(concept, committee, ics, stage)
    field = info.selected_fields[0]
    assert isinstance(field, SelectedField)
    selection = build(mapping_of(info), field.selections, "Entity")
    try:
        rows = await analytics.gaps(
            driver, db, direction.value, narrowing, selection, limit, scope.value, row_map, after
        )
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    except analytics.UnknownKeyError as exc:
        raise _unknown(exc) from exc
    return rows


async def _adoption_map(
    info: Info,
    concept: str | None = None,
    committee: str | None = None,
    ics: str | None = None,
    stage: str | None = None,
    first: int = 100,
    offset: int = 0,
) -> analytics.AdoptionPage:
    driver, db = _driver(info)
    limit = first_argument(first)
    if not 0 <= offset <= MAX_OFFSET:
        raise api_error(
            f"`offset` must be between 0 and {MAX_OFFSET}, got {offset}: narrow the map",
            BAD_USER_INPUT,
            argument="offset",
        )
    narrowing = _narrowing(concept, committee, ics, stage)
    rows = _sub(info, "rows")
    mapping = mapping_of(info)
    sides: dict[str, Selection] = {"domestic": Selection(), "international": Selection()}
    for sub in rows.selections if rows else []:
        if isinstance(sub, SelectedField) and sub.name in sides:
            sides[sub.name] = build(mapping, sub.selections, "Entity")
    try:
        return await analytics.adoption_map(
            driver,
            db,
            narrowing,
            sides["domestic"],
            sides["international"],
            limit,
            offset,
            row_map,
        )
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    except analytics.UnknownKeyError as exc:
        raise _unknown(exc) from exc


def _graph_type(name: str, entity: type, description: str, **more: tuple[object, object]) -> type:
    """A type of entities and the relationships among them; `more`: further fields."""
    namespace: dict[str, object] = {"__module__": __name__}
    annotations: dict[str, object] = {"nodes": list_of(entity), "edges": list[GraphEdge]}
    for field_name, (annotation, field) in more.items():
        annotations[field_name] = annotation
        if field is not None:
            namespace[field_name] = field
    namespace["__annotations__"] = annotations
    made: type = strawberry.type(type(name, (), namespace), description=description)
    return made


def analysis_fields(build_: Build) -> dict[str, tuple[Resolver, str]]:
    """`neighborhood`, `paths` and `gaps`, with their descriptions."""
    ontology = build_.ontology
    entity = build_.space["Entity"]
    subgraph = _graph_type(
        "Subgraph",
        entity,
        "Entities and the relationships among them.",
        truncated=(
            bool,
            strawberry.field(description="True when a level was capped at 300 entities."),
        ),
    )
    graph_path = _graph_type(
        "GraphPath",
        entity,
        "One shortest connection: entities in order and the relationships between them.",
        length=(int, None),
    )

    async def neighborhood(
        info: Info,
        key: str,
        depth: int = 1,
        relation_types: list[Enum] | None = None,
        skip_relation_types: list[Enum] | None = None,
        types: list[Enum] | None = None,
        avoid_types: list[Enum] | None = None,
    ) -> object:
        filters = _filters(relation_types, skip_relation_types, types, avoid_types)
        nodes, edges, truncated = await _neighborhood(info, key, depth, filters)
        return subgraph(nodes=nodes, edges=[_edge(ontology, e) for e in edges], truncated=truncated)

    async def paths(
        info: Info,
        from_: str,
        to: str,
        max_hops: int = 4,
        relation_types: list[Enum] | None = None,
        skip_relation_types: list[Enum] | None = None,
        avoid_types: list[Enum] | None = None,
    ) -> list[object]:
        filters = _filters(relation_types, skip_relation_types, None, avoid_types)
        return [
            graph_path(
                nodes=to_rows(p.nodes),
                edges=[_edge(ontology, e) for e in p.edges],
                length=len(p.edges),
            )
            for p in await _paths(info, from_, to, max_hops, filters)
        ]

    adoption = strawberry.type(
        type(
            "Adoption",
            (),
            {
                "__module__": __name__,
                "__annotations__": {
                    "domestic": entity,
                    "international": entity,
                    "degree": nullable(build_.enums.vocabularies["AdoptionDegree"]),
                },
            },
        ),
        description="A domestic item adopting an international one.",
    )
    adoption_page = strawberry.type(
        type(
            "AdoptionMap",
            (),
            {
                "__module__": __name__,
                "__annotations__": {"total": int, "rows": list_of(adoption)},
            },
        ),
        description="One page of the domestic ↔ international map, and how many rows in all.",
    )
    narrowing_args: dict[str, object] = {
        "concept": Annotated[
            str | None,
            strawberry.argument(description="A concept key: items about it or a narrower one."),
        ],
        "committee": Annotated[
            str | None,
            strawberry.argument(
                description="A committee's or organization's key: items it or a body below it "
                "develops."
            ),
        ],
        "ics": Annotated[
            str | None,
            strawberry.argument(
                description="An ICS class code (35.240): items classified in it or below it."
            ),
        ],
        "stage": Annotated[
            str | None,
            strawberry.argument(
                description="A harmonized stage code (60.60) or its first two digits (60)."
            ),
        ],
    }
    relation_list = nullable(list_of(build_.enums.relation_type))
    class_list = nullable(list_of(build_.enums.entity_type))
    filter_args: dict[str, object] = {
        "relation_types": Annotated[
            relation_list,
            strawberry.argument(description="Follow only these relationship types."),
        ],
        "skip_relation_types": Annotated[
            relation_list,
            strawberry.argument(description="Follow every relationship type but these."),
        ],
        "avoid_types": Annotated[
            class_list,
            strawberry.argument(
                description="Never pass through entities of these classes (e.g. `[Concept]`: "
                "topic concepts join almost everything)."
            ),
        ],
    }

    return {
        "neighborhood": (
            resolver_with(
                neighborhood,
                {
                    "info": Info,
                    "key": str,
                    "depth": int,
                    **filter_args,
                    "types": Annotated[
                        class_list,
                        strawberry.argument(description="Add only entities of these classes."),
                    ],
                    "return": nullable(subgraph),
                },
            ),
            "Entities within `depth` (1–3) relationships of an entity, either direction, "
            "and every relationship among them.",
        ),
        "paths": (
            resolver_with(
                paths,
                {
                    "info": Info,
                    "from_": Annotated[
                        str,
                        strawberry.argument(name="from", description="Key of the first entity."),
                    ],
                    "to": Annotated[
                        str, strawberry.argument(description="Key of the last entity.")
                    ],
                    "max_hops": int,
                    **filter_args,
                    "return": list_of(graph_path),
                },
            ),
            "The shortest connections (at most `maxHops`, up to 6) between two entities, "
            "with every entity and relationship on the way.",
        ),
        "gaps": (
            resolver_with(
                _gaps,
                {
                    "info": Info,
                    "direction": GapDirection,
                    **narrowing_args,
                    "first": int,
                    "after": Annotated[
                        str | None,
                        strawberry.argument(
                            description="The key of the last item of the previous page: "
                            "items are in key order."
                        ),
                    ],
                    "scope": Annotated[
                        GapScope,
                        strawberry.argument(
                            description="RELEVANT (default): leave out catalogue items that no "
                            "relevance rule or editor linked to a concept; ALL: every item of "
                            "the imported catalogues."
                        ),
                    ],
                    "return": list_of(entity),
                },
            ),
            "Delegates' gap analysis: international standards and work items with no "
            "domestic adoption, or domestic ones adopting no international item, in key "
            "order; narrowed by concept area, body, ICS class and stage.",
        ),
        "adoptionMap": (
            resolver_with(
                _adoption_map,
                {
                    "info": Info,
                    **narrowing_args,
                    "first": int,
                    "offset": Annotated[
                        int,
                        strawberry.argument(description=f"Rows to skip (up to {MAX_OFFSET})."),
                    ],
                    "return": adoption_page,
                },
            ),
            "The domestic ↔ international map: one row per adoption (ADOPTS) with its degree, "
            "ordered by the domestic designation, with the number of rows in all; a row is "
            "kept when either side meets each filter (a concept area, a body, an ICS class, "
            "a stage).",
        ),
    }


# -- aggregations ---------------------------------------------------------------------------------
@strawberry.type(description="One value of a grouping dimension.")
class GroupValue:
    dimension: str
    value: str | None = strawberry.field(
        description="The property value, or the related entity's key."
    )
    label: object = strawberry.field(
        graphql_type=nullable(LangText),
        description="The related entity's label, for relationships.",
    )


@strawberry.type(description="How many entities share these dimension values.")
class CountGroup:
    values: list[GroupValue]
    count: int


def _dimensions(ontology: Ontology, cls: ClassDef) -> dict[str, analytics.Dimension]:
    class_name = cls.name
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
    for rel in ontology.relations_from(class_name):
        dims[upper_snake(rel.field)] = analytics.Dimension(rel_type=rel.type, direction="out")
    for rel in ontology.relations_to(class_name):
        dims.setdefault(
            upper_snake(rel.inverse_field), analytics.Dimension(rel_type=rel.type, direction="in")
        )
    return dims


def _counts_field(build_: Build, cls: ClassDef) -> Resolver:
    class_name = cls.name
    dims = _dimensions(build_.ontology, cls)
    dimension_enum = strawberry.enum(
        make_enum(f"{class_name}Dimension", {name: name for name in dims}),
        description=f"What {class_name} counts can be grouped by: a property or a relationship.",
    )

    async def resolve(info: Info, group_by: list[Enum], where: object = None) -> list[CountGroup]:
        driver, db = _driver(info)
        names = [str(plain(g)) for g in group_by]
        if not names:
            raise api_error(
                "`groupBy` needs at least one dimension", BAD_USER_INPUT, argument="groupBy"
            )
        field = info.selected_fields[0]
        assert isinstance(field, SelectedField)
        try:
            groups = await analytics.counts(
                driver,
                db,
                class_name,
                to_filter(mapping_of(info), f"{class_name}Where", field.arguments.get("where")),
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

    return resolver_with(
        resolve,
        {
            "info": Info,
            "group_by": list_of(dimension_enum),
            "where": nullable(build_.space[f"{class_name}Where"]),
            "return": list[CountGroup],
        },
    )


def counts_fields(build_: Build) -> dict[str, tuple[Resolver, str]]:
    """A `…Counts` aggregation per class."""
    return {
        f"{single_field(cls)}Counts": (
            _counts_field(build_, cls),
            f"How many {cls.labels.en} entities per combination of `groupBy` values.",
        )
        for cls in build_.ontology.classes
    }
