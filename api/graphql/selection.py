"""GraphQL selections → `graph.selection.Selection`, so that a whole query compiles to one
Cypher statement."""

from __future__ import annotations

from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from api.graphql.errors import BAD_USER_INPUT, api_error
from api.graphql.inputs import to_filter, to_order, where_name
from api.graphql.mapping import (
    ComputedMeta,
    GraphMapping,
    NeedsMeta,
    PropMeta,
    RelMeta,
    SourcesMeta,
)
from api.graphql.types import MAX_PAGE
from graph.selection import Computed, RelationSelection, Selection, SourcesSelection

Selections = list[SelectedField | InlineFragment | FragmentSpread]


class PageSizeError(ValueError):
    """`first` outside 0…MAX_PAGE."""


def page_size(first: Any) -> int:
    value = MAX_PAGE if first is None else int(first)
    if not 0 <= value <= MAX_PAGE:
        raise PageSizeError(f"`first` must be between 0 and {MAX_PAGE}, got {value}")
    return value


def first_argument(first: Any) -> int:
    """A resolver's `first`, or the GraphQL error naming it."""
    try:
        return page_size(first)
    except PageSizeError as exc:
        raise api_error(str(exc), BAD_USER_INPUT, argument="first") from exc


def _flatten(selections: Selections, type_name: str) -> list[tuple[SelectedField, str]]:
    """Fields with the type they are selected on (fragments narrow the type)."""
    out: list[tuple[SelectedField, str]] = []
    for item in selections:
        if isinstance(item, SelectedField):
            out.append((item, type_name))
        else:
            narrowed = item.type_condition or type_name
            out += _flatten(item.selections, narrowed)
    return out


def build(mapping: GraphMapping, selections: Selections, type_name: str) -> Selection:
    """The Selection for `selections` made on an object of GraphQL type `type_name`."""
    props: set[str] = set()
    relations: list[RelationSelection] = []
    sources: list[SourcesSelection] = []
    computed: list[Computed] = []
    for field, on_type in _flatten(selections, type_name):
        meta = mapping.field_meta(on_type, field.name)
        key = field.alias or field.name
        if isinstance(meta, PropMeta):
            props.add(meta.prop.name)
        elif isinstance(meta, NeedsMeta):
            props.update(meta.props)
        elif isinstance(meta, SourcesMeta):
            sources.append(SourcesSelection(key, build(mapping, field.selections, "Source")))
        elif isinstance(meta, RelMeta):
            relations.append(_relation(mapping, field, key, meta))
        elif isinstance(meta, ComputedMeta):
            target = (
                build(mapping, field.selections, meta.target_type) if meta.target_type else None
            )
            computed.append(Computed(key, meta.name, target))
    return Selection(
        props=frozenset(props),
        relations=tuple(relations),
        sources=tuple(sources),
        computed=tuple(computed),
    )


def _relation(
    mapping: GraphMapping, field: SelectedField, key: str, meta: RelMeta
) -> RelationSelection:
    far = meta.rel.range if meta.direction == "out" else meta.rel.domain
    args = field.arguments
    edge_sources: list[SourcesSelection] = []
    edge_props: set[str] = set()
    if meta.with_edge:
        target = Selection()
        for sub, _ in _flatten(field.selections, "edge"):
            if sub.name == "node":
                target = build(mapping, sub.selections, meta.target_type)
            elif sub.name == "sources":
                edge_sources.append(
                    SourcesSelection(
                        sub.alias or sub.name, build(mapping, sub.selections, "Source")
                    )
                )
            else:  # an edge's own fields are named as its stored properties
                edge_props.add(sub.name)
    else:
        target = build(mapping, field.selections, meta.target_type)
    return RelationSelection(
        response_key=key,
        rel_type=meta.rel.type,
        direction=meta.direction,
        target=target,
        with_edge=meta.with_edge,
        edge_sources=tuple(edge_sources),
        edge_props=frozenset(edge_props),
        where=to_filter(mapping, where_name(far), args.get("where")),
        order=to_order(mapping, args.get("orderBy")),
        limit=page_size(args.get("first")) if meta.rel.many or meta.direction == "in" else 1,
    )
