"""The state of one schema build: the types it has made, by name, and the references between them.

Generated types refer to each other in cycles (`Committee.parent` → `Organization`,
`Organization.committees` → `Committee`; `CommitteeWhere` → `PartOfFilter` → `OrganizationWhere`
→ …), so a field names its type before that type exists. A `TypeSpace` holds one build's types;
`space.ref("Committee")` is a lazy reference strawberry resolves when the schema is assembled.
Nothing is written into a module, so two builds in one process share no types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.types.lazy_type import LazyType

from api.graphql.enums import OntologyEnums
from api.graphql.mapping import GraphMapping
from ontology.model import Ontology


class TypeSpace:
    """One build's generated GraphQL types (object types and inputs), by GraphQL name."""

    def __init__(self) -> None:
        self._types: dict[str, type] = {}

    def add(self, made: type) -> type:
        """Record a generated type under its class name (its GraphQL name) and return it."""
        if made.__name__ in self._types:
            raise ValueError(f"GraphQL type {made.__name__} is built twice")
        self._types[made.__name__] = made
        return made

    def __getitem__(self, name: str) -> type:
        return self._types[name]

    def ref(self, name: str) -> object:
        """A reference to the type `name`, which may be built later in the same build; it stands
        in an annotation, where strawberry accepts it like the type itself."""
        return _SpaceRef(name, __name__, None, self)


@dataclass(frozen=True)
class _SpaceRef(LazyType[str, str]):
    """strawberry's lazy type, looked up in a `TypeSpace` instead of a module."""

    space: TypeSpace | None = field(default=None, repr=False)

    def resolve_type(self) -> type:
        assert self.space is not None
        return self.space[self.type_name]


@dataclass(frozen=True)
class Build:
    """What the builder's steps share within one build: the ontology, the enums derived from it,
    the types made so far and the mapping being recorded."""

    ontology: Ontology
    enums: OntologyEnums
    space: TypeSpace
    mapping: GraphMapping
