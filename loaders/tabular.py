"""Spreadsheet-style imports: CSV, JSON or YAML files with one record per row.

Columns (CSV) or fields (JSON/YAML) are named after the ontology:

- `key`; a bilingual property as `<name>_zh` and `<name>_en` (e.g. `prefLabel_zh`); any other
  property by its name; several values separated by `;`;
- a relationship by its GraphQL field name (e.g. `parents`, `developedBy`, `to`), holding the
  related keys separated by `;`, each optionally followed by `|name=value,…` for the
  relationship's own properties (e.g. `iso-iec-jtc1-sc24|purpose=FOR_ACTION`);
- `sources`: keys of Source entities, `;`-separated.

`--kind adoptions` rows are relationships instead: `from`, `to`, `degree`, `sources`, `note_zh`,
`note_en`. Every row is validated into the ontology's models first; every problem is reported
with file, line and field.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.upserts import EntityRow, RelationRow
from loaders.errors import Problem
from loaders.validation import (
    EntityRecord,
    Located,
    RelationRecord,
    validate_entity,
    validate_relation,
)
from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype, PropertyDef, RelationDef

# Every class imports: its `--kind` is its IRI segment in the plural (`work-items`, `plan-items`,
# `liaison-statements`), derived so a new class needs no entry here. `workitems` and `statements`
# are the shorter names files and scripts already use.
KINDS: dict[str, str | None] = {
    **{f"{cls.slug}s": cls.name for cls in ONTOLOGY.classes},
    "workitems": "WorkItem",
    "statements": "LiaisonStatement",
    "adoptions": None,  # ADOPTS relationships
}
SEPARATOR = ";"


@dataclass(frozen=True)
class Row:
    data: dict[str, Any]
    line: int
    original: dict[str, Any]


@dataclass
class Parsed:
    entities: list[EntityRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    rows: list[Row] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a CSV (header line first), JSON (a list of objects) or YAML (a list) file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                cleaned = {
                    k.strip(): (v.strip() if isinstance(v, str) else v)
                    for k, v in record.items()
                    if k
                }
                yield Row(
                    {k: v for k, v in cleaned.items() if v not in ("", None)},
                    reader.line_num,
                    record,
                )
        return
    text = path.read_text(encoding="utf-8")
    items = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    if not isinstance(items, list):
        raise ValueError(f"{path.name}: expected a list of records")
    for index, item in enumerate(items, start=1):
        yield Row(dict(item) if isinstance(item, dict) else {"__invalid__": item}, index, item)


def _split(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [part.strip() for part in str(value).split(SEPARATOR) if part.strip()]


def _links(value: Any) -> list[tuple[str, dict[str, str]]]:
    out = []
    for item in _split(value):
        if isinstance(item, dict):  # JSON/YAML: {"key": …, "properties": {…}}
            out.append((str(item["key"]), dict(item.get("properties") or {})))
            continue
        key, _, props = str(item).partition("|")
        pairs = dict(p.split("=", 1) for p in props.split(",") if "=" in p)
        out.append((key.strip(), {k.strip(): v.strip() for k, v in pairs.items()}))
    return out


_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def _scalar(prop: PropertyDef, value: Any) -> Any:
    """A spreadsheet cell (always text) as the property's type; left as text when it does not
    parse, so the validator reports it with the row and field."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if prop.datatype is Datatype.INTEGER:
            return int(text)
        if prop.datatype is Datatype.DOUBLE:
            return float(text)
    except ValueError:
        return value
    if prop.datatype is Datatype.BOOLEAN:
        return _BOOLEANS.get(text.lower(), value)
    return value


def _relation_fields(cls: ClassDef) -> dict[str, tuple[RelationDef, str]]:
    fields = {r.field: (r, "out") for r in ONTOLOGY.relations_from(cls.name)}
    fields.update({r.inverse_field: (r, "in") for r in ONTOLOGY.relations_to(cls.name)})
    return fields


def _entity_raw(cls: ClassDef, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Row → (entity record as the validators take it, relationship columns)."""
    raw: dict[str, Any] = {"class": cls.name}
    links: dict[str, Any] = {}
    relations = _relation_fields(cls)
    props = {p.name: p for p in ONTOLOGY.class_properties(cls)}
    for column, value in row.items():
        base, _, lang = column.rpartition("_")
        if base in props and lang in LANGUAGES and props[base].datatype is Datatype.TEXT:
            prop = props[base]
            raw.setdefault(base, {})[lang] = _split(value) if prop.many else value
        elif column in props:
            prop = props[column]
            values = _split(value) if prop.many and not isinstance(value, list) else value
            if isinstance(values, list):
                raw[column] = [_scalar(prop, v) for v in values]
            else:
                raw[column] = _scalar(prop, values)
        elif column in relations:
            links[column] = value
        else:
            raw[column] = value  # unknown columns are reported by the validator
    return raw, links


def parse(path: Path, kind: str) -> Parsed:
    """Validate every row of the file; collect records and problems (never stop at the first)."""
    if kind not in KINDS:
        raise ValueError(f"--kind must be one of {', '.join(KINDS)}")
    out = Parsed()
    name = path.name
    class_name = KINDS[kind]
    for row in read_rows(path):
        out.rows.append(row)
        before = len(out.problems)
        if class_name is None:
            data = {"type": "ADOPTS", **row.data}
            for column in ("sources",):
                if column in data:
                    data[column] = _split(data[column])
            for lang in LANGUAGES:
                if f"note_{lang}" in data:
                    data.setdefault("note", {})[lang] = data.pop(f"note_{lang}")
            record = validate_relation(Located(data, name, row.line), out.problems)
            if record is not None:
                out.relations.append(record)
        else:
            cls = ONTOLOGY.cls(class_name)
            raw, links = _entity_raw(cls, row.data)
            entity = validate_entity(Located(raw, name, row.line), out.problems)
            if entity is not None:
                out.entities.append(entity)
                relations = _relation_fields(cls)
                for column, value in links.items():
                    rel, direction = relations[column]
                    for key, props in _links(value):
                        start, end = (entity.key, key) if direction == "out" else (key, entity.key)
                        data = {"type": rel.type, "from": start, "to": end, **props}
                        if "sources" in data:
                            data["sources"] = _split(data["sources"])
                        elif entity.sources:
                            data["sources"] = list(entity.sources)
                        link = validate_relation(Located(data, name, row.line), out.problems)
                        if link is not None:
                            out.relations.append(link)
        if len(out.problems) > before:
            out.bad_lines.add(row.line)
    return out


def rows_by_type(
    parsed: Parsed, base_iri: str
) -> tuple[dict[str, list[EntityRow]], dict[str, list[RelationRow]]]:
    """Valid records (from rows without problems) grouped for `graph.upserts.upsert_graph`."""
    entities: dict[str, list[EntityRow]] = defaultdict(list)
    relations: dict[str, list[RelationRow]] = defaultdict(list)
    for entity in parsed.entities:
        if entity.line not in parsed.bad_lines:
            entities[entity.cls.name].append(entity.row(base_iri))
    for relation in parsed.relations:
        if relation.line not in parsed.bad_lines:
            relations[relation.type].append(relation.row())
    return dict(entities), dict(relations)


def write_rejects(path: Path, parsed: Parsed) -> Path | None:
    """Bad rows, as they were, with an `errors` column, beside the input (CSV) — or None."""
    if not parsed.bad_lines:
        return None
    target = path.with_name(f"{path.stem}.rejects.csv")
    messages: dict[int, list[str]] = defaultdict(list)
    for problem in parsed.problems:
        messages[problem.line].append(problem.message)
    bad = [row for row in parsed.rows if row.line in parsed.bad_lines]
    columns = sorted(
        {k for row in bad for k in (row.original if isinstance(row.original, dict) else {})}
    )
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["line", *columns, "errors"])
        writer.writeheader()
        for row in bad:
            original = row.original if isinstance(row.original, dict) else {}
            writer.writerow(
                {
                    "line": row.line,
                    **{k: original.get(k, "") for k in columns},
                    "errors": " | ".join(messages[row.line]),
                }
            )
    return target
