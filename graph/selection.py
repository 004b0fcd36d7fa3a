"""What a read wants, independent of GraphQL: the fields of an entity, the relationships to
follow (with their own filters, order and limits), and filters on nodes and relationships.

`graph.compile` turns these into one Cypher statement, so a whole GraphQL operation — however
deeply nested — costs one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["out", "in"]
Quantifier = Literal["some", "none", "all"]
Operator = Literal[
    "eq", "ne", "in", "contains", "startsWith", "endsWith", "lt", "lte", "gt", "gte", "isNull"
]


# -- filters ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Compare:
    """`property op value`. For TEXT properties `lang` picks a language; None = any of them."""

    prop: str
    op: Operator
    value: Any
    lang: str | None = None


@dataclass(frozen=True)
class And:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    part: Filter


@dataclass(frozen=True)
class Related:
    """Nodes with (`some`), without (`none`) or only (`all`) relationships matching the filters."""

    rel_type: str
    direction: Direction
    quantifier: Quantifier = "some"
    target: Filter | None = None
    edge: Filter | None = None


@dataclass(frozen=True)
class KeyIs:
    """The node is the one with this key (used inside relationship filters)."""

    key: str


@dataclass(frozen=True)
class ClassIs:
    """The node belongs to one of these classes."""

    classes: tuple[str, ...]


Filter = Compare | And | Or | Not | Related | KeyIs | ClassIs


# -- selections ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Order:
    prop: str  # a stored property name, e.g. key, designation, prefLabel_en
    descending: bool = False


@dataclass(frozen=True)
class RelationSelection:
    """Follow one relationship type from the current node."""

    response_key: str  # the key the results go under (a GraphQL alias or field name)
    rel_type: str
    direction: Direction
    target: Selection
    with_edge: bool = False  # return {node, props} pairs instead of nodes
    edge_sources: tuple[SourcesSelection, ...] = ()  # resolve the relationship's sources
    # The relationship's properties to return with each edge; None: all of them.
    edge_props: frozenset[str] | None = None
    where: Filter | None = None
    edge_where: Filter | None = None
    order: tuple[Order, ...] = ()
    limit: int = 100


@dataclass(frozen=True)
class SourcesSelection:
    """Resolve a list of Source keys (on the node, or on the relationship for edges)."""

    response_key: str
    target: Selection


@dataclass(frozen=True)
class Computed:
    """A value computed in Cypher from the node, e.g. per-liaison activity."""

    response_key: str
    name: str  # one of graph.computed.COMPUTED
    target: Selection | None = None  # for computed entities


@dataclass(frozen=True)
class Selection:
    """Everything to fetch for one entity."""

    props: frozenset[str] = frozenset()  # ontology property names (TEXT as one name)
    relations: tuple[RelationSelection, ...] = ()
    sources: tuple[SourcesSelection, ...] = ()
    computed: tuple[Computed, ...] = ()
