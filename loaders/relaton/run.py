"""Running a Relaton import: scan, read and map (in a worker process), resolve keys, write.

1. Scan each path once without parsing: how many records (for the progress bar) and which
   member wins when a catalogue lists one designation twice (ISO keeps legacy copies such as
   ``iso-17555:2003.yaml`` beside ``iso-17555-2003.yaml``: the newer schema version wins).
2. Read and map records in chunks in a worker process (YAML parsing is the CPU-heavy part), so
   the next chunk is parsed while the current batch is written.
3. Resolve designations to keys — an entity already in the graph with the same designation
   (normalised for spacing and dashes) keeps its key, so seed entities are enriched, not
   duplicated — and write one transaction per batch through `graph.catalogue` (one revision per
   batch, none when nothing changed). An interrupted import resumes by running it again: batches
   already written are unchanged and write nothing.

Bad records are collected (archive, member, field, message), written to a reject file, and the
rest continues; `strict` checks every record first and writes nothing if any is bad.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.catalogue import (
    BatchCounts,
    CatalogueLink,
    CatalogueRow,
    known_entities,
    write_catalogue_batch,
)
from graph.driver import AsyncDriver
from graph.gap_scope import CATALOGUE_SOURCE_PREFIX
from loaders.errors import LoaderError, Problem
from loaders.relaton.archive import Member, iter_members
from loaders.relaton.designations import (
    committee_designation,
    committee_slug,
    normalise,
    normalise_committee,
    slug,
)
from loaders.relaton.mapping import BY_DESIGNATION, Link, Mapped, cleared_fields, map_record
from loaders.relaton.record import RecordError, parse_yaml, read_record
from loaders.relaton.relevance import Item, Rule, load_rules, relevant
from ontology import ONTOLOGY
from ontology.iris import entity_iri

CHUNK = 250  # records parsed per worker call
SOURCES: dict[str, tuple[str, str, str]] = {
    "iso": ("ISO", "relaton/relaton-data-iso", "https://github.com/relaton/relaton-data-iso"),
    "iec": ("IEC", "relaton/relaton-data-iec", "https://github.com/relaton/relaton-data-iec"),
    "itu": ("ITU", "relaton/relaton-data-itu", "https://github.com/relaton/relaton-data-itu"),
    "ieee": (
        "IEEE",
        "ietf-tools/relaton-data-ieee",
        "https://github.com/ietf-tools/relaton-data-ieee",
    ),
}


def catalogue_source(catalogue: str) -> str:
    # The prefix tells gap analysis which items come from a catalogue only.
    return f"{CATALOGUE_SOURCE_PREFIX}{catalogue}"


@dataclass(frozen=True)
class Reject:
    origin: str
    member: str
    field: str
    message: str
    line: int = 0

    def problem(self) -> Problem:
        return Problem(f"{self.origin}:{self.member}", self.line, f"{self.field}: {self.message}")


@dataclass(frozen=True)
class Parsed:
    member: str
    origin: str
    mapped: Mapped | None
    rules: tuple[str, ...]  # keys of the relevance rules the record matches
    reject: Reject | None


@dataclass
class RelatonResult:
    records: int = 0
    duplicates: int = 0  # members skipped because another copy of the designation won
    created: int = 0  # records by the outcome for their own entity and links
    changed: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    rejects_file: Path | None = None
    counts: BatchCounts = field(default_factory=BatchCounts)
    rule_links: Counter[str] = field(default_factory=Counter)  # rule key → items it links
    unmapped_relations: Counter[str] = field(default_factory=Counter)
    skipped_rules: list[str] = field(default_factory=list)  # rules whose concept is missing
    revisions: int = 0


@dataclass
class Options:
    actor: str = "mskg-relaton"
    strict: bool = False
    dry_run: bool = False
    batch_size: int = 500
    rejects: Path | None = None  # default: relaton-rejects.jsonl in the working directory
    rules: list[Rule] | None = None  # default: the packaged relevance rules
    workers: int = 1


# -- scanning ---------------------------------------------------------------------------------
_FIRST_ID = re.compile(rb"^(?:docid:\n- id|docidentifier:\n- content): *(.+)$", re.M)
_SCHEMA = re.compile(rb"^schema[-_]version: *v?([\d.]+)", re.M)


def _version(data: bytes) -> tuple[int, ...]:
    match = _SCHEMA.search(data)
    return tuple(int(p) for p in match[1].split(b".") if p) if match else ()


@dataclass
class Scan:
    total: int
    skip: set[str]  # member names that lose to another copy of their designation


def scan(path: Path) -> Scan:
    """Count the records of `path` and pick one member per designation (newest schema)."""
    best: dict[bytes, tuple[tuple[int, ...], str]] = {}
    skip: set[str] = set()
    total = 0
    for member in iter_members(path):
        total += 1
        if member.data is None:
            continue
        match = _FIRST_ID.search(member.data)
        if match is None:
            continue
        ident = match[1].strip().strip(b"'\"")
        candidate = (_version(member.data), member.name)
        current = best.get(ident)
        if current is None:
            best[ident] = candidate
        elif candidate[0] > current[0] or (
            candidate[0] == current[0] and candidate[1] < current[1]
        ):
            skip.add(current[1])
            best[ident] = candidate
        else:
            skip.add(member.name)
    return Scan(total, skip)


# -- reading and mapping (in a worker process) -------------------------------------------------
def _catalogue_hint(origin: str) -> str | None:
    lowered = origin.lower()
    for name in ("ieee", "iso", "iec", "itu"):  # ieee first: "ieee" contains no other name
        if name in lowered:
            return name
    return None


def parse_member(member: Member, rules: list[Rule]) -> Parsed:
    """Read and map one member and match it against the relevance rules; a problem becomes a
    `Reject` naming the field."""
    if member.data is None:
        reject = Reject(member.origin, member.name, "(file)", "too large to be a record")
        return Parsed(member.name, member.origin, None, (), reject)
    try:
        record = read_record(parse_yaml(member.data))
        mapped = map_record(record, _catalogue_hint(member.origin))
    except RecordError as exc:
        line = 0
        found = re.search(r"at line (\d+)", exc.message)
        if found:
            line = int(found[1])
        reject = Reject(member.origin, member.name, exc.field, exc.message, line)
        return Parsed(member.name, member.origin, None, (), reject)
    texts = {
        lang: " ".join(t for t in (record.titles.get(lang), record.abstracts.get(lang)) if t)
        for lang in set(record.titles) | set(record.abstracts)
    }
    committees = tuple(
        committee_designation(name, mapped.catalogue, record.committee_body)
        for name, _ in record.committees
    )
    item = Item(record.designation, committees, tuple(code for code, _ in record.ics), texts)
    matched = tuple(rule.key for rule in relevant(rules, item))
    return Parsed(member.name, member.origin, mapped, matched, None)


# The relevance rules of the import, set once in each worker process (compiled patterns are
# costly to send with every chunk).
_WORKER_RULES: list[Rule] = []


def _set_worker_rules(rules: list[Rule]) -> None:
    _WORKER_RULES[:] = rules


def parse_chunk(members: list[Member]) -> list[Parsed]:
    """Read, map and match a chunk (in a worker process: parsing YAML and searching titles and
    abstracts for the rules' terms are the import's CPU-heavy steps)."""
    return [parse_member(m, _WORKER_RULES) for m in members]


def _chunks(path: Path, skip: set[str], result: RelatonResult) -> Iterator[list[Member]]:
    chunk: list[Member] = []
    for member in iter_members(path):
        if member.name in skip:
            result.duplicates += 1
            continue
        chunk.append(member)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- keys -----------------------------------------------------------------------------------------
class Keys:
    """Designations → keys: existing entities keep theirs; new ones get a slug, made unique."""

    def __init__(self, keys: dict[str, str], designations: dict[tuple[str, str], str]) -> None:
        self.taken = set(keys)
        self.by_form: dict[tuple[str, str], str] = {}
        for (cls, designation), key in designations.items():
            self.by_form.setdefault((cls, self._form(cls, designation)), key)

    @staticmethod
    def _form(cls: str, designation: str) -> str:
        return normalise_committee(designation) if cls == "Committee" else normalise(designation)

    def key(self, cls: str, ident: str) -> str:
        if cls not in BY_DESIGNATION:
            return ident
        form = (cls, self._form(cls, ident))
        found = self.by_form.get(form)
        if found is not None:
            return found
        base = committee_slug(ident) if cls == "Committee" else slug(ident)
        key = base
        if key in self.taken:
            digest = hashlib.sha1(form[1].encode()).hexdigest()[:8]  # noqa: S324 -- a name
            key = f"{base}-{digest}"
        self.taken.add(key)
        self.by_form[form] = key
        return key


# -- batches --------------------------------------------------------------------------------------
def _source_rows(base_iri: str, rules: list[Rule]) -> list[CatalogueRow]:
    cls = ONTOLOGY.cls("Source")
    rows = []
    for catalogue, (name, repo, url) in SOURCES.items():
        key = catalogue_source(catalogue)
        props = {
            "prefLabel_zh": f"{name}标准目录（Relaton数据）",
            "prefLabel_en": f"{name} catalogue (Relaton data)",
            "citation": f"Relaton YAML catalogue {repo}",
            "url": url,
            "reliability": "PRIMARY",
        }
        rows.append(CatalogueRow(key, entity_iri(base_iri, cls, key), props, True, key))
    for rule in rules:
        props = {
            "prefLabel_zh": f"相关性规则：{rule.label_zh}",
            "prefLabel_en": f"Relevance rule: {rule.label_en}",
            "citation": rule.citation(),
        }
        key = rule.source_key
        rows.append(CatalogueRow(key, entity_iri(base_iri, cls, key), props, True, key))
    return rows


@dataclass
class Batch:
    nodes: dict[str, dict[str, CatalogueRow]] = field(default_factory=dict)
    links: dict[str, dict[tuple[str, str], CatalogueLink]] = field(default_factory=dict)
    # (origin, member, key of its edition, catalogue) of each record in the batch
    records: list[tuple[str, str, str, str]] = field(default_factory=list)

    def node(self, cls: str, row: CatalogueRow) -> None:
        rows = self.nodes.setdefault(cls, {})
        current = rows.get(row.key)
        if current is None or (row.full and not current.full):
            rows[row.key] = row

    def link(self, rel_type: str, link: CatalogueLink) -> None:
        self.links.setdefault(rel_type, {}).setdefault((link.start, link.end), link)


def _add(
    batch: Batch,
    parsed: Parsed,
    keys: Keys,
    base_iri: str,
    rules: dict[str, Rule],
    result: RelatonResult,
) -> None:
    mapped = parsed.mapped
    assert mapped is not None
    source = catalogue_source(mapped.catalogue)
    own_key = keys.key("Standard", mapped.designation)
    for node in mapped.nodes:
        key = keys.key(node.cls, node.ident)
        cls = ONTOLOGY.cls(node.cls)
        own = node.full and node.cls == "Standard"
        batch.node(
            node.cls,
            CatalogueRow(
                key,
                entity_iri(base_iri, cls, key),
                node.props,
                node.full,
                source,
                mapped.catalogue if own else None,
                cleared_fields(node.props) if own else (),
            ),
        )
    for link in mapped.links:
        _link(batch, keys, link, source)
    for rule in (rules[key] for key in parsed.rules):
        result.rule_links[rule.key] += 1
        batch.link("ABOUT", CatalogueLink(own_key, rule.concept, rule.source_key))
    result.unmapped_relations.update(mapped.unmapped_relations)
    batch.records.append((parsed.origin, parsed.member, own_key, mapped.catalogue))


def _link(batch: Batch, keys: Keys, link: Link, source: str) -> None:
    start = keys.key(*link.start)
    end = keys.key(*link.end)
    if start != end:  # two spellings of one designation: no self-loops
        batch.link(link.type, CatalogueLink(start, end, source))


def _in_classes(batch: Batch) -> dict[str, list[CatalogueRow]]:
    # Organizations and committees before the standards that point at them (only ordering
    # within one transaction; every link's ends are in the batch or already in the graph).
    order = ["Source", "Organization", "ConceptScheme", "Concept", "Committee", "Standard"]
    return {cls: list(batch.nodes[cls].values()) for cls in order if cls in batch.nodes}


BatchWriter = Callable[..., Awaitable[BatchCounts]]
"""Writes one batch: `write_catalogue_batch`'s signature (the benchmark swaps in a plain one)."""


async def _flush(
    driver: AsyncDriver,
    database: str,
    batch: Batch,
    options: Options,
    result: RelatonResult,
    base_iri: str,
    rules: list[Rule],
    write: BatchWriter,
    seen: set[str],
) -> None:
    if not batch.records:
        return
    for row in _source_rows(base_iri, rules):
        batch.node("Source", row)
    # Keys neither in the graph when the import began nor in an earlier batch: created without
    # a lookup (batches commit in order, and this runs before this batch's first await).
    absent = frozenset(key for rows in batch.nodes.values() for key in rows if key not in seen)
    seen.update(absent)
    members: dict[str, dict[str, list[str]]] = {}  # source → origin → members
    for origin, member, _, catalogue in batch.records:
        by_origin = members.setdefault(catalogue_source(catalogue), {})
        by_origin.setdefault(origin, []).append(member)
    catalogue_sources = sorted(members)
    notes = {
        src: "; ".join(f"{origin}: {', '.join(names)}" for origin, names in by_origin.items())
        for src, by_origin in members.items()
    }
    comment = "Relaton import of " + ", ".join(sorted({r[0] for r in batch.records}))
    counts = await write(
        driver,
        database,
        _in_classes(batch),
        {t: list(rows.values()) for t, rows in batch.links.items()},
        actor=options.actor,
        comment=comment,
        sources=catalogue_sources,
        source_notes=notes,
        dry_run=options.dry_run,
        absent=absent,
    )
    result.counts.add(counts)
    if counts.revision is not None and not options.dry_run:
        result.revisions += 1
    for _, _, key, _ in batch.records:
        outcome = counts.outcome_by_key.get(key, "unchanged")
        if outcome == "created":
            result.created += 1
        elif outcome in ("updated", "noted") or key in counts.linked:
            result.changed += 1
        else:
            result.unchanged += 1


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for r in rejects:
            line: dict[str, Any] = {
                "archive": r.origin,
                "member": r.member,
                "field": r.field,
                "error": r.message,
            }
            if r.line:
                line["line"] = r.line
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


async def import_relaton(
    driver: AsyncDriver,
    database: str,
    base_iri: str,
    paths: list[Path],
    options: Options,
    on_total: Callable[[int], None] | None = None,
    on_records: Callable[[int], None] | None = None,
    write: BatchWriter = write_catalogue_batch,
) -> RelatonResult:
    """Import the catalogues at `paths` (archives, folders, YAML files); see the module doc."""
    result = RelatonResult()
    rules = options.rules if options.rules is not None else load_rules()
    known = await known_entities(driver, database, BY_DESIGNATION)
    present = [r for r in rules if r.concept in known.keys]
    by_key = {r.key: r for r in present}
    result.skipped_rules = [r.key for r in rules if r.concept not in known.keys]
    keys = Keys(known.keys, known.designations)
    seen = set(known.keys)
    scans = [scan(path) for path in paths]
    if on_total is not None:
        on_total(sum(s.total - len(s.skip) for s in scans) * (2 if options.strict else 1))
    loop = asyncio.get_running_loop()
    # spawn, not fork: the parent runs the driver's threads and an event loop.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, options.workers),
        mp_context=context,
        initializer=_set_worker_rules,
        initargs=(present,),
    ) as pool:

        async def parsed_chunks() -> Any:
            for path, plan in zip(paths, scans, strict=True):
                chunks = _chunks(path, plan.skip, result)
                pending = None
                for chunk in chunks:
                    future = loop.run_in_executor(pool, parse_chunk, chunk)
                    if pending is not None:
                        yield await pending
                    pending = future
                if pending is not None:
                    yield await pending

        if options.strict:
            problems = []
            async for chunk_result in parsed_chunks():
                problems += [p.reject for p in chunk_result if p.reject is not None]
                if on_records is not None:
                    on_records(len(chunk_result))
            if problems:
                result.rejects = problems
                _write_rejects_file(options, result)
                raise LoaderError([r.problem() for r in problems])
            result.duplicates = 0
        batch = Batch()
        # One batch is written while the next is assembled; batches still commit in order (a
        # batch's links may end at nodes the one before created).
        writing: asyncio.Task[None] | None = None

        async def flush(full: Batch) -> asyncio.Task[None]:
            if writing is not None:
                await writing
            return asyncio.create_task(
                _flush(driver, database, full, options, result, base_iri, present, write, seen)
            )

        try:
            async for chunk_result in parsed_chunks():
                for parsed in chunk_result:
                    result.records += 1
                    if parsed.reject is not None:
                        result.rejects.append(parsed.reject)
                        continue
                    _add(batch, parsed, keys, base_iri, by_key, result)
                    if len(batch.records) >= options.batch_size:
                        writing = await flush(batch)
                        batch = Batch()
                if on_records is not None:
                    on_records(len(chunk_result))
            writing = await flush(batch)
            await writing
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await writing
    result.records += result.duplicates
    _write_rejects_file(options, result)
    return result


def _write_rejects_file(options: Options, result: RelatonResult) -> None:
    if result.rejects:
        path = options.rejects or Path.cwd() / "relaton-rejects.jsonl"
        write_rejects(path, result.rejects)
        result.rejects_file = path
