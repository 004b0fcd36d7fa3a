"""How each generated GraphQL field maps to the graph, as one schema build derived it.

The builder records, for every object type, what each field reads (a stored property, a
relationship, the sources, a value computed in Cypher), for every filter input what each field
tests, and the stored property behind each sort-field name. Resolvers read it to compile a
whole operation into one Cypher statement. It travels with its schema (`MappedSchema`), so a
resolver reaches the mapping of the schema it runs in through `info.schema`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.types import Info

from api.graphql.document_cache import DocumentCache
from api.graphql.executor import RowExecutor
from graph.selection import Direction
from ontology.model import PropertyDef, RelationDef


# -- object type fields → what a selection reads ----------------------------------------------------
@dataclass(frozen=True)
class PropMeta:
    """A stored property."""

    prop: PropertyDef


@dataclass(frozen=True)
class RelMeta:
    """A relationship field (`with_edge`: the `…Edges` variant with the relationship's data)."""

    rel: RelationDef
    direction: Direction
    target_type: str  # GraphQL type name of the far end (a class or "Entity")
    with_edge: bool


@dataclass(frozen=True)
class SourcesMeta:
    """The entity's sources."""


@dataclass(frozen=True)
class ComputedMeta:
    """A field computed in Cypher (one `graph.compile` knows); `target_type` for entity results."""

    name: str
    target_type: str | None = None


@dataclass(frozen=True)
class NeedsMeta:
    """A field resolved in Python from some stored properties."""

    props: tuple[str, ...]


FieldMeta = PropMeta | RelMeta | SourcesMeta | NeedsMeta | ComputedMeta


# -- filter input fields → graph filters ----------------------------------------------------------------
@dataclass(frozen=True)
class PropField:
    """Operators on a stored property."""

    prop: PropertyDef


@dataclass(frozen=True)
class RelField:
    """`some`/`none`/`all`/`exists`/`edge` on a relationship."""

    rel: RelationDef
    direction: Direction
    target_where: str  # input type name of the far end
    edge_where: str


@dataclass(frozen=True)
class Logical:
    """`AND`, `OR`, `NOT`, `types` or `unsourced`."""

    op: str


WhereField = PropField | RelField | Logical


@dataclass
class GraphMapping:
    """What one build derived: object type → field → meta, filter input → field → meta, and
    sort-field enum names → stored properties."""

    fields: dict[str, dict[str, FieldMeta]] = field(default_factory=dict)
    filters: dict[str, dict[str, WhereField]] = field(default_factory=dict)
    sort_fields: dict[str, str] = field(default_factory=dict)

    def field_meta(self, type_name: str, field_name: str) -> FieldMeta | None:
        """The meta of `field_name` on `type_name`, or on the `Entity` interface."""
        for candidate in (type_name, "Entity"):
            entry = self.fields.get(candidate, {}).get(field_name)
            if entry is not None:
                return entry
        return None


class MappedSchema(strawberry.Schema):
    """A strawberry schema together with the mapping its builder derived."""

    def __init__(
        self,
        mapping: GraphMapping,
        *,
        query: type,
        mutation: type,
        subscription: type,
        types: Iterable[type],
        extensions: Iterable[type[SchemaExtension] | Callable[[], SchemaExtension]],
        document_cache: DocumentCache,
    ) -> None:
        super().__init__(
            query=query,
            mutation=mutation,
            subscription=subscription,
            types=types,
            extensions=extensions,
            execution_context_class=RowExecutor,
        )
        self.mapping = mapping
        self.document_cache = document_cache


def mapping_of(info: Info) -> GraphMapping:
    """The mapping of the schema this operation runs in."""
    schema = info.schema
    assert isinstance(schema, MappedSchema), "the schema was not made by the builder"
    return schema.mapping
