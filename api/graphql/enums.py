"""GraphQL enums: one per ontology vocabulary, the class and relationship-type names, and the
API's own small ones."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry

from api.graphql.naming import make_enum
from ontology.model import EnumDef, Ontology


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True)
class OntologyEnums:
    """The enums one build derives from the ontology."""

    vocabularies: dict[str, type[Enum]]  # by the ontology's enum name
    entity_type: type[Enum]  # the classes
    relation_type: type[Enum]  # the relationship types


def _vocabulary(definition: EnumDef) -> type[Enum]:
    python_enum = make_enum(definition.name, {v.name: v.name for v in definition.values})
    return strawberry.enum(
        python_enum, description=f"{definition.labels.en} ({definition.labels.zh})"
    )


def build_enums(ontology: Ontology) -> OntologyEnums:
    """Fresh enum types for one schema build."""
    return OntologyEnums(
        vocabularies={e.name: _vocabulary(e) for e in ontology.enums},
        entity_type=strawberry.enum(
            make_enum("EntityType", {c.name: c.name for c in ontology.classes}),
            description="The classes of the ontology.",
        ),
        relation_type=strawberry.enum(
            make_enum("RelationType", {r.type: r.type for r in ontology.relations}),
            description="The relationship types of the ontology.",
        ),
    )


def plain(value: Any) -> Any:
    """Enum members (from coerced variables) → their string values; lists element-wise.

    `Any`: argument values arrive from GraphQL as whatever their type coerces to.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
