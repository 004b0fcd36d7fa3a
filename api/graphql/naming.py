"""GraphQL names derived from ontology names (one rule each, used everywhere)."""

from __future__ import annotations

import keyword
import re
from enum import Enum
from typing import Any, Optional

from ontology.model import ClassDef, RelationDef

_PLURALS = {"Person": "persons", "Liaison": "liaisons"}


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def camel(upper_snake: str) -> str:
    """`SUB_ORGANIZATION_OF` → `SubOrganizationOf`."""
    return "".join(part.capitalize() for part in upper_snake.split("_"))


def upper_snake(lower_camel: str) -> str:
    """`prefLabel_en` → `PREF_LABEL_EN`, `stageCode` → `STAGE_CODE`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", lower_camel).upper()


def single_field(cls: ClassDef) -> str:
    return lower_first(cls.name)


def list_field(cls: ClassDef) -> str:
    if cls.name in _PLURALS:
        return _PLURALS[cls.name]
    name = lower_first(cls.name)
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def edge_type(rel: RelationDef, inverse: bool) -> str:
    return f"{camel(rel.type)}{'Inverse' if inverse else ''}Edge"


def edges_field(field: str) -> str:
    return f"{field}Edges"


def py(name: str) -> str:
    """A Python attribute name for a GraphQL field name (`from` → `from_`)."""
    return f"{name}_" if keyword.iskeyword(name) else name


def nullable(annotation: object) -> object:
    """`Optional[annotation]` for types built at run time."""
    return Optional[annotation]  # noqa: UP045 -- works for every runtime type object, unlike `|`


def list_of(annotation: object) -> object:
    """`list[annotation]` for types built at run time."""
    return list[annotation]  # type: ignore[valid-type]  # a runtime type object, not a static type


def make_enum(name: str, members: dict[str, str]) -> type[Enum]:
    """A Python Enum built at run time (mypy cannot type the functional API with a variable name)."""
    factory: Any = Enum
    made: type[Enum] = factory(name, members)
    return made
