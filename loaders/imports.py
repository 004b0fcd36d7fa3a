"""Running a tabular import: validate, check references, then write in batches with revisions
attributed to the importing user and the file as their source."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.driver import AsyncDriver
from graph.entities import classes_of
from graph.upserts import EntityRow, UpsertReport, upsert_graph
from loaders.errors import LoaderError, Problem
from loaders.tabular import Parsed, parse, rows_by_type, write_rejects
from loaders.validation import check_references
from ontology import ONTOLOGY
from ontology.iris import entity_iri


@dataclass(frozen=True)
class ImportResult:
    report: UpsertReport
    problems: list[Problem]
    rejects: Path | None
    rows: int
    written_rows: int
    source_key: str


def file_source(path: Path, base_iri: str) -> EntityRow:
    """The imported file as a Source entity (same content → same key)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    key = f"src-file-{digest}"
    props = {
        "key": key,
        "prefLabel_zh": f"导入文件 {path.name}",
        "prefLabel_en": f"Imported file {path.name}",
        "citation": f"{path.name} (sha256 {digest}…)",
    }
    return EntityRow(key=key, iri=entity_iri(base_iri, ONTOLOGY.cls("Source"), key), props=props)


async def _check_references(driver: AsyncDriver, database: str, parsed: Parsed) -> None:
    in_file = {e.key for e in parsed.entities}
    wanted = {k for r in parsed.relations for k in (r.start, r.end)}
    wanted |= {s for e in parsed.entities for s in e.sources} | {
        s for r in parsed.relations for s in r.sources
    }
    known = await classes_of(driver, database, sorted(wanted - in_file))
    before = len(parsed.problems)
    check_references(parsed.entities, parsed.relations, parsed.problems, known)
    parsed.bad_lines |= {p.line for p in parsed.problems[before:]}


async def import_file(
    driver: AsyncDriver,
    database: str,
    base_iri: str,
    path: Path,
    kind: str,
    actor: str,
    strict: bool = False,
    dry_run: bool = False,
    batch_size: int = 1000,
    on_batch: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file. Strict: any problem → nothing written. Lenient: valid rows are written
    and bad rows go to `<name>.rejects.csv` beside the file. Dry run: counts only."""
    parsed = parse(path, kind)
    await _check_references(driver, database, parsed)
    if strict and parsed.problems:
        raise LoaderError(parsed.problems)
    rejects = None if dry_run else write_rejects(path, parsed)
    entities, relations = rows_by_type(parsed, base_iri)
    source = file_source(path, base_iri)
    # Rows citing nothing cite the file they came from.
    for rows in entities.values():
        for row in rows:
            row.props["sources"] = row.props.get("sources") or [source.key]
    for rel_rows in relations.values():
        for rel_row in rel_rows:
            rel_row.props["sources"] = rel_row.props.get("sources") or [source.key]
    entities = {"Source": [source], **entities}
    report = await upsert_graph(
        driver,
        database,
        entities,
        relations,
        actor=actor,
        batch_size=batch_size,
        atomic=False,
        comment=f"import of {path.name} ({kind})",
        sources=[source.key],
        dry_run=dry_run,
        on_batch=on_batch,
    )
    return ImportResult(
        report=report,
        problems=parsed.problems,
        rejects=rejects,
        rows=len(parsed.rows),
        written_rows=len(parsed.rows) - len(parsed.bad_lines),
        source_key=source.key,
    )
