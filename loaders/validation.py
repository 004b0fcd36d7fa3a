"""Raw dicts (from YAML, CSV, JSON, GraphQL) → validated rows for `graph.upserts`.

Shared by every loader so that one rule set applies everywhere. Problems are collected, never
raised one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from graph.upserts import EntityRow, RelationRow
from loaders.errors import Problem
from ontology import ONTOLOGY
from ontology.iris import entity_iri
from ontology.model import ClassDef, Datatype, PropertyDef
from ontology.records import (
    entity_model,
    entity_properties,
    field_problems,
    relation_model,
    relation_properties,
)


@dataclass(frozen=True)
class Located:
    """A raw record and where it came from."""

    data: dict[str, Any]
    file: str
    line: int


@dataclass(frozen=True)
class EntityRecord:
    cls: ClassDef
    key: str
    props: dict[str, Any]
    sources: tuple[str, ...]
    file: str
    line: int

    def row(self, base_iri: str) -> EntityRow:
        return EntityRow(
            key=self.key, iri=entity_iri(base_iri, self.cls, self.key), props=self.props
        )


@dataclass(frozen=True)
class RelationRecord:
    type: str
    start: str
    end: str
    props: dict[str, Any]
    sources: tuple[str, ...]
    file: str
    line: int

    def row(self) -> RelationRow:
        return RelationRow(start=self.start, end=self.end, props=self.props)


def _plain(value: Any) -> Any:
    """Drop the bookkeeping keys (`__line__`) a line-aware parser adds to nested mappings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _lenient(props: Iterable[PropertyDef], data: dict[str, Any]) -> dict[str, Any]:
    """Undo YAML's eager typing where the ontology wants text: `founded: 1983` or an unquoted
    date for a partial date, a number for a string."""
    fixed = dict(data)
    for prop in props:
        value = fixed.get(prop.name)
        if prop.datatype is Datatype.PARTIAL_DATE and isinstance(value, (int, dt.date)):
            fixed[prop.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        elif prop.datatype is Datatype.STRING and isinstance(value, (int, float)):
            fixed[prop.name] = str(value)
    return fixed


def validate_entity(raw: Located, problems: list[Problem]) -> EntityRecord | None:
    data = _plain(raw.data)
    class_name = data.pop("class", None)
    try:
        cls = ONTOLOGY.cls(str(class_name))
    except KeyError:
        known = ", ".join(c.name for c in ONTOLOGY.classes)
        problems.append(Problem(raw.file, raw.line, f"class: {class_name!r} is not one of {known}"))
        return None
    label = f"{cls.name} {data.get('key', '<no key>')}"
    try:
        record = entity_model(cls.name).model_validate(
            _lenient(ONTOLOGY.class_properties(cls), data)
        )
    except ValidationError as exc:
        for problem in field_problems(exc):
            problems.append(
                Problem(raw.file, raw.line, f"{label}: {problem.path}: {problem.message}")
            )
        return None
    props = entity_properties(cls, record)
    return EntityRecord(
        cls=cls,
        key=props["key"],
        props=props,
        sources=tuple(props.get("sources") or ()),
        file=raw.file,
        line=raw.line,
    )


def validate_relation(raw: Located, problems: list[Problem]) -> RelationRecord | None:
    data = _plain(raw.data)
    rel_type, start, end = data.pop("type", None), data.pop("from", None), data.pop("to", None)
    try:
        rel = ONTOLOGY.relation(str(rel_type))
    except KeyError:
        problems.append(
            Problem(raw.file, raw.line, f"type: {rel_type!r} is not a relationship type")
        )
        return None
    label = f"{rel.type} {start} -> {end}"
    if not isinstance(start, str) or not isinstance(end, str) or not start or not end:
        problems.append(Problem(raw.file, raw.line, f"{label}: needs `from` and `to` keys"))
        return None
    try:
        record = relation_model(rel.type).model_validate(
            _lenient(ONTOLOGY.relation_properties(rel), data)
        )
    except ValidationError as exc:
        for problem in field_problems(exc):
            problems.append(
                Problem(raw.file, raw.line, f"{label}: {problem.path}: {problem.message}")
            )
        return None
    props = relation_properties(rel, record)
    return RelationRecord(
        type=rel.type,
        start=start,
        end=end,
        props=props,
        sources=tuple(props.get("sources") or ()),
        file=raw.file,
        line=raw.line,
    )


def check_references(
    entities: list[EntityRecord],
    relations: list[RelationRecord],
    problems: list[Problem],
    known: dict[str, str] | None = None,
) -> None:
    """Keys unique; relationship ends exist with classes in domain/range; sources exist.

    `known` maps keys already in the graph to their class names.
    """
    classes: dict[str, str] = dict(known or {})
    first_seen: dict[str, EntityRecord] = {}
    for entity in entities:
        if entity.key in first_seen:
            other = first_seen[entity.key]
            problems.append(
                Problem(
                    entity.file,
                    entity.line,
                    f"key {entity.key!r} is already used at {other.file}:{other.line}",
                )
            )
            continue
        first_seen[entity.key] = entity
        classes[entity.key] = entity.cls.name

    def check_sources(sources: tuple[str, ...], file: str, line: int, label: str) -> None:
        for source in sources:
            if classes.get(source) != "Source":
                problems.append(
                    Problem(file, line, f"{label}: sources: {source!r} is not a Source key")
                )

    for entity in entities:
        check_sources(entity.sources, entity.file, entity.line, f"{entity.cls.name} {entity.key}")
    for rel in relations:
        definition = ONTOLOGY.relation(rel.type)
        label = f"{rel.type} {rel.start} -> {rel.end}"
        for end, allowed, role in (
            (rel.start, definition.domain, "from"),
            (rel.end, definition.range, "to"),
        ):
            if end not in classes:
                problems.append(
                    Problem(rel.file, rel.line, f"{label}: {role}: no entity with key {end!r}")
                )
            elif classes[end] not in allowed:
                problems.append(
                    Problem(
                        rel.file,
                        rel.line,
                        f"{label}: {role}: {end!r} is a {classes[end]}, expected {' or '.join(allowed)}",
                    )
                )
        check_sources(rel.sources, rel.file, rel.line, label)
