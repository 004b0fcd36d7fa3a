"""GraphQL enums: one per ontology vocabulary, plus the API's own small ones."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from api.graphql.naming import make_enum
from ontology import ONTOLOGY
from ontology.model import EnumDef


def _ontology_enum(definition: EnumDef) -> Any:
    python_enum = make_enum(definition.name, {v.name: v.name for v in definition.values})
    return strawberry.enum(
        python_enum,
        description=f"{definition.labels.en} ({definition.labels.zh})",
    )


ENUMS: dict[str, Any] = {e.name: _ontology_enum(e) for e in ONTOLOGY.enums}

EntityType: Any = strawberry.enum(
    make_enum("EntityType", {c.name: c.name for c in ONTOLOGY.classes}),
    description="The classes of the ontology.",
)


@strawberry.enum(description="A language of text: zh and en, and ITU's other official languages.")
class Lang(Enum):  # members == ontology.model.LANGUAGES (checked by a unit test)
    ZH = "zh"
    EN = "en"
    FR = "fr"
    RU = "ru"
    ES = "es"
    AR = "ar"


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def plain(value: Any) -> Any:
    """Enum members (from coerced variables) → their string values; lists element-wise."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
