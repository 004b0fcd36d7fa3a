"""The seed knowledge graph: YAML files in `loaders/seed_data/`, loaded idempotently.

The files hold the bodies, posts, documents, plan items, standards, concepts and liaisons of the
founding plan for the MIIT Metaverse Standardization Working Group and of sourced public facts;
every entity and relationship names its sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.driver import AsyncDriver
from graph.upserts import EntityRow, RelationRow, UpsertReport, upsert_graph
from loaders.errors import LoaderError, Problem
from loaders.validation import (
    EntityRecord,
    Located,
    RelationRecord,
    check_references,
    validate_entity,
    validate_relation,
)
from loaders.yaml_source import LINE, load_yaml

SEED_ACTOR = "mskg-seed"


def seed_dir() -> Path:
    # Package data installed beside this module (editable or not).
    return Path(__file__).with_name("seed_data")


@dataclass(frozen=True)
class SeedData:
    entities: list[EntityRecord]
    relations: list[RelationRecord]


def _as_list(value: Any, file: str, line: int, what: str, problems: list[Problem]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(file, line, f"`{what}` must be a list"))
        return []
    return value


def read_seed(directory: Path | None = None) -> SeedData:
    """Parse and validate every seed file; raise LoaderError listing all problems."""
    folder = directory or seed_dir()
    problems: list[Problem] = []
    entities: list[EntityRecord] = []
    relations: list[RelationRecord] = []
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise LoaderError([Problem(str(folder), 0, "no seed files (*.yaml) found")])
    for path in paths:
        name = path.name
        try:
            doc = load_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problems.append(Problem(name, line, f"not valid YAML: {exc}"))
            continue
        if not isinstance(doc, dict):
            problems.append(
                Problem(name, 1, "a seed file is a mapping with `entities`/`relations`")
            )
            continue
        defaults = doc.get("defaults") or {}
        default_sources = defaults.get("sources") if isinstance(defaults, dict) else None
        for raw in _as_list(doc.get("entities"), name, doc[LINE], "entities", problems):
            if not isinstance(raw, dict):
                problems.append(Problem(name, doc[LINE], "each entity is a mapping"))
                continue
            if "sources" not in raw and default_sources:
                raw = {**raw, "sources": default_sources}
            record = validate_entity(Located(raw, name, raw.get(LINE, 0)), problems)
            if record is not None:
                entities.append(record)
        for raw in _as_list(doc.get("relations"), name, doc[LINE], "relations", problems):
            if not isinstance(raw, dict):
                problems.append(Problem(name, doc[LINE], "each relation is a mapping"))
                continue
            if "sources" not in raw and default_sources:
                raw = {**raw, "sources": default_sources}
            rel = validate_relation(Located(raw, name, raw.get(LINE, 0)), problems)
            if rel is not None:
                relations.append(rel)
    check_references(entities, relations, problems)
    for entity in entities:
        if not entity.sources:
            problems.append(Problem(entity.file, entity.line, f"{entity.key}: no sources"))
    for rel in relations:
        if not rel.sources:
            problems.append(
                Problem(rel.file, rel.line, f"{rel.type} {rel.start} -> {rel.end}: no sources")
            )
    if problems:
        raise LoaderError(problems)
    return SeedData(entities=entities, relations=relations)


async def load_seed(
    driver: AsyncDriver,
    database: str,
    base_iri: str,
    data: SeedData | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> UpsertReport:
    """Upsert the whole seed in one transaction; a second run changes nothing.
    `on_progress(rows)`: entities and relationships written so far."""
    seed = data or read_seed()
    by_class: dict[str, list[EntityRow]] = defaultdict(list)
    for entity in seed.entities:
        by_class[entity.cls.name].append(entity.row(base_iri))
    by_type: dict[str, list[RelationRow]] = defaultdict(list)
    for rel in seed.relations:
        by_type[rel.type].append(rel.row())
    return await upsert_graph(
        driver,
        database,
        dict(by_class),
        dict(by_type),
        actor=SEED_ACTOR,
        atomic=True,
        on_progress=on_progress,
    )
