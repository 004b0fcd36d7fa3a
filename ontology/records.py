"""Pydantic models derived from the ontology, and their flat Neo4j form.

`entity_model("Committee")` is a pydantic model whose fields are exactly the class's declared
properties (TEXT as ``{"zh": …, "en": …}``), so every writer — loaders, GraphQL mutations, RDF
import — validates input the same way. Models are built once per class and cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)

from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype, Lang, PropertyDef, RelationDef

PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
URI_PATTERN = r"^(https?|urn|mailto|ftp):\S+$"

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    """Base of every derived model: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a record: where (field names and list indexes) and what."""

    loc: tuple[str, ...]
    message: str

    @property
    def path(self) -> str:
        """The dotted field path, `record` when the record as a whole is at fault."""
        return ".".join(self.loc) or "record"


def field_problems(exc: ValidationError) -> list[FieldProblem]:
    """Every problem of a failed validation, worded once for every writer — the loaders' reports
    and GraphQL's validation errors say the same thing about the same bad record."""
    problems = []
    for error in exc.errors():
        message = str(error["msg"])
        if error["type"] == "extra_forbidden":
            message = "is not a property of this class"
        elif error["type"] == "literal_error":
            message = f"must be one of {error['ctx']['expected']}"
        elif error["type"] == "missing":
            message = "is required"
        problems.append(FieldProblem(tuple(str(part) for part in error["loc"]), message))
    return problems


def _scalar_type(prop: PropertyDef) -> Any:
    match prop.datatype:
        case Datatype.STRING:
            return Annotated[str, StringConstraints(min_length=1, pattern=prop.pattern)]
        case Datatype.TEXT:
            return NonEmpty
        case Datatype.INTEGER:
            return Annotated[int, Field(ge=prop.minimum, le=prop.maximum, strict=True)]
        case Datatype.DOUBLE:
            return Annotated[float, Field(ge=prop.minimum, le=prop.maximum)]
        case Datatype.BOOLEAN:
            return Annotated[bool, Field(strict=True)]
        case Datatype.DATE:
            return dt.date
        case Datatype.DATETIME:
            return dt.datetime
        case Datatype.PARTIAL_DATE:
            return Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]
        case Datatype.URI:
            return Annotated[str, StringConstraints(pattern=URI_PATTERN)]
        case Datatype.ENUM:
            assert prop.enum is not None
            vocabulary = ONTOLOGY.enum(prop.enum)
            # An alias (ISO/IEC's older Category D) is stored as the value it names.
            return Annotated[Literal[vocabulary.names], BeforeValidator(vocabulary.canonical)]
    raise AssertionError(prop.datatype)


def field_type(prop: PropertyDef) -> Any:
    """The Python type of one property's value in a record."""
    scalar = _scalar_type(prop)
    if prop.datatype is Datatype.TEXT:
        value = list[scalar] if prop.many else scalar  # type: ignore[valid-type]
        return dict[Lang, value]  # type: ignore[valid-type]
    return list[scalar] if prop.many else scalar  # type: ignore[valid-type]


def _fields(props: tuple[PropertyDef, ...]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for prop in props:
        description = prop.labels.definition_en or prop.labels.en
        if prop.required:
            fields[prop.name] = (field_type(prop), Field(description=description))
        else:
            fields[prop.name] = (field_type(prop) | None, Field(None, description=description))
    return fields


@cache
def entity_model(class_name: str) -> type[Record]:
    """The pydantic model of one class's data properties."""
    cls = ONTOLOGY.cls(class_name)
    model: type[Record] = create_model(
        cls.name,
        __base__=Record,
        __doc__=cls.labels.definition_en or cls.labels.en,
        **_fields(ONTOLOGY.class_properties(cls)),
    )
    return model


@cache
def relation_model(rel_type: str) -> type[Record]:
    """The pydantic model of one relationship type's edge properties."""
    rel = ONTOLOGY.relation(rel_type)
    name = "".join(part.capitalize() for part in rel.type.split("_")) + "Edge"
    model: type[Record] = create_model(
        name, __base__=Record, **_fields(ONTOLOGY.relation_properties(rel))
    )
    return model


def _flatten(props: tuple[PropertyDef, ...], record: Record) -> dict[str, Any]:
    """Record → Neo4j properties. Every declared storage name is present (None = absent), so
    `SET n += $props` also removes values that were dropped."""
    out: dict[str, Any] = {}
    for prop in props:
        value = getattr(record, prop.name)
        if prop.datatype is Datatype.TEXT:
            for lang in LANGUAGES:
                text = None if value is None else value.get(lang)
                out[f"{prop.name}_{lang}"] = (
                    (list(text) or None) if isinstance(text, list) else text
                )
        else:
            # An empty list is stored as absent: one way to say "none" (filters rely on it).
            out[prop.name] = (list(value) or None) if isinstance(value, list) else value
    return out


def entity_properties(cls: ClassDef, record: Record) -> dict[str, Any]:
    """A validated entity record as Neo4j properties (TEXT split per language)."""
    return _flatten(ONTOLOGY.class_properties(cls), record)


def relation_properties(rel: RelationDef, record: Record) -> dict[str, Any]:
    """A validated relationship record as Neo4j properties (TEXT split per language)."""
    return _flatten(ONTOLOGY.relation_properties(rel), record)


@cache
def entity_patch_model(class_name: str) -> type[Record]:
    """Like `entity_model` but every field optional: a partial update. (Whether a required
    field may be cleared is checked by the writer: null means "remove".)"""
    cls = ONTOLOGY.cls(class_name)
    fields: dict[str, Any] = {}
    for prop in ONTOLOGY.class_properties(cls):
        if prop.name == "key":
            continue
        fields[prop.name] = (field_type(prop) | None, Field(None))
    model: type[Record] = create_model(f"{cls.name}Patch", __base__=Record, **fields)
    return model


def patch_properties(cls: ClassDef, record: Record) -> dict[str, Any]:
    """Only the fields the patch sets (None = remove), flattened for Neo4j."""
    out: dict[str, Any] = {}
    props = {p.name: p for p in ONTOLOGY.class_properties(cls)}
    for name in record.model_fields_set:
        prop = props[name]
        value = getattr(record, name)
        if prop.datatype is Datatype.TEXT:
            for lang in LANGUAGES:
                text = None if value is None else value.get(lang)
                out[f"{name}_{lang}"] = list(text) if isinstance(text, list) else text
        else:
            out[name] = list(value) if isinstance(value, list) else value
    return out
