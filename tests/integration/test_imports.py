"""Tabular imports (CSV/JSON/YAML) into the real Neo4j: every kind with a good file, bad rows
strict and lenient, idempotency, dry run, an interrupted import resumed, and revisions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.change_record import EntityChange
from graph.driver import AsyncDriver, Connection
from graph.entities import count_by_label, count_by_type, get_entity, related
from graph.maintenance import clear_database
from graph.revisions import history
from loaders.errors import LoaderError
from loaders.imports import import_file
from loaders.seed import load_seed

BASE = "https://w3id.org/mskg/"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
async def db(empty_graph: AsyncDriver, neo4j_connection: Connection) -> str:
    await load_seed(empty_graph, neo4j_connection.database, BASE)
    return neo4j_connection.database


@pytest.mark.parametrize(
    ("file", "kind", "key"),
    [
        ("statements.csv", "statements", "ls-sample-001"),
        ("committees.csv", "committees", "sample-tc28-wg99"),
        ("standards.json", "standards", "sample-gb-t-99999-2026"),
        ("adoptions.csv", "adoptions", None),
    ],
)
async def test_sample_files_import_and_a_second_run_changes_nothing(
    empty_graph: AsyncDriver, db: str, tmp_path: Path, file: str, kind: str, key: str | None
) -> None:
    path = Path(shutil.copy(SAMPLES / file, tmp_path / file))
    first = await import_file(empty_graph, db, BASE, path, kind, "importer")
    assert first.problems == []
    created = sum(
        c.created for c in (*first.report.entities.values(), *first.report.relations.values())
    )
    assert created > 0
    labels, types = await count_by_label(empty_graph, db), await count_by_type(empty_graph, db)
    second = await import_file(empty_graph, db, BASE, path, kind, "importer")
    changed = sum(
        c.created + c.updated
        for c in (*second.report.entities.values(), *second.report.relations.values())
    )
    assert changed == 0
    assert (await count_by_label(empty_graph, db), await count_by_type(empty_graph, db)) == (
        labels,
        types,
    )
    if key is not None:
        entity = await get_entity(empty_graph, db, key)
        assert entity.props["createdBy"] == "importer"
        # One revision per committed batch (entities, then each relationship type).
        revisions = await history(empty_graph, db, key)
        assert revisions
        assert {r.actor for r in revisions} == {"importer"}
        assert {tuple(r.sources) for r in revisions} == {(first.source_key,)}
        assert {r.comment for r in revisions} == {f"import of {file} ({kind})"}
        assert any(
            isinstance(c, EntityChange) and c.key == key and c.op == "create"
            for r in revisions
            for c in r.changes
        )


async def test_statement_register_rows_carry_recipients_purposes_and_replies(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    path = Path(shutil.copy(SAMPLES / "statements.csv", tmp_path / "statements.csv"))
    await import_file(empty_graph, db, BASE, path, "statements", "importer")
    to = {
        e.key: p["purpose"] for e, p in await related(empty_graph, db, "ls-sample-001", "SENT_TO")
    }
    assert to == {"iso-iec-jtc1-sc24": "FOR_ACTION", "iso-iec-jtc1-sc29": "FOR_INFORMATION"}
    assert [
        e.key for e, _ in await related(empty_graph, db, "ls-sample-002", "IN_RESPONSE_TO")
    ] == ["ls-sample-001"]
    statement = await get_entity(empty_graph, db, "ls-sample-001")
    assert statement.props["identifiers"] == ["TC28-LS-2026-007"]
    assert statement.props["responseAddresses"] == ["secretariat@example.org"]
    assert str(statement.props["deadline"]) == "2027-01-31"


BAD = """key,prefLabel_zh,prefLabel_en,committeeKind,parents,colour
good-one,好,Good,TC,sac-tc28,
Bad Key,坏,Bad,TECHNICAL,,red
dangling,悬,Dangling,WG,no-such-parent,
"""


async def test_bad_rows_strict_writes_nothing_lenient_writes_the_rest(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    before = await count_by_label(empty_graph, db)
    with pytest.raises(LoaderError) as strict:
        await import_file(empty_graph, db, BASE, path, "committees", "importer", strict=True)
    messages = [str(p) for p in strict.value.problems]
    assert any(m.startswith("bad.csv:3: Committee Bad Key: key:") for m in messages)
    assert any(
        m.startswith("bad.csv:3: Committee Bad Key: committeeKind: must be one of")
        for m in messages
    )
    assert "bad.csv:3: Committee Bad Key: colour: is not a property of this class" in messages
    assert any(
        m.startswith("bad.csv:4: SUB_ORGANIZATION_OF dangling -> no-such-parent: to: no entity")
        for m in messages
    )
    assert await count_by_label(empty_graph, db) == before

    lenient = await import_file(empty_graph, db, BASE, path, "committees", "importer")
    assert lenient.written_rows == 1
    assert (await get_entity(empty_graph, db, "good-one")).props["committeeKind"] == "TC"
    assert lenient.rejects is not None
    rejected = lenient.rejects.read_text(encoding="utf-8")
    assert rejected.splitlines()[0].startswith("line,")
    assert "Bad Key" in rejected
    assert "no-such-parent" in rejected
    assert "good-one" not in rejected


async def test_dry_run_reports_but_writes_nothing(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    path = Path(shutil.copy(SAMPLES / "statements.csv", tmp_path / "statements.csv"))
    before = (await count_by_label(empty_graph, db), await count_by_type(empty_graph, db))
    dry = await import_file(empty_graph, db, BASE, path, "statements", "importer", dry_run=True)
    assert dry.report.entities["LiaisonStatement"].created == 2
    assert dry.report.relations["SENT_TO"].created == 3
    assert (await count_by_label(empty_graph, db), await count_by_type(empty_graph, db)) == before
    assert not (tmp_path / "statements.rejects.csv").exists()


class ImportStoppedError(Exception):
    pass


async def test_an_interrupted_import_run_again_completes_without_duplicates(
    empty_graph: AsyncDriver, db: str, neo4j_connection: Connection, tmp_path: Path
) -> None:
    rows = ["key,prefLabel_zh,prefLabel_en,conceptKind,broader"]
    rows += [
        f"bulk-{i:03d},概念{i},Concept {i},TOPIC,concept-foundational-standards" for i in range(40)
    ]
    path = tmp_path / "concepts.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    done = 0

    def stop_after_three(n: int) -> None:
        nonlocal done
        done += 1
        if done == 3:
            raise ImportStoppedError

    with pytest.raises(ImportStoppedError):
        await import_file(
            empty_graph,
            db,
            BASE,
            path,
            "concepts",
            "importer",
            batch_size=10,
            on_batch=stop_after_three,
        )
    partial = (await count_by_label(empty_graph, db))["Concept"]
    resumed = await import_file(empty_graph, db, BASE, path, "concepts", "importer", batch_size=10)
    assert resumed.report.entities["Concept"].unchanged > 0  # the part written before the stop
    counts = await count_by_label(empty_graph, db)
    narrower = await related(empty_graph, db, "concept-foundational-standards", "BROADER", "in")
    assert sum(1 for e, _ in narrower if e.key.startswith("bulk-")) == 40
    await clear_database(empty_graph, db)
    await load_seed(empty_graph, db, BASE)
    await import_file(empty_graph, db, BASE, path, "concepts", "importer", batch_size=10)
    assert (await count_by_label(empty_graph, db))["Concept"] == counts["Concept"]
    assert partial < counts["Concept"]


async def test_classes_without_a_sample_import_too(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    """Every class has a kind: a plan item stated in a seed policy document, and a source."""
    sources = tmp_path / "sources.csv"
    sources.write_text(
        "key,prefLabel_zh,prefLabel_en\nsrc-import-a,导入来源,Imported source\n", encoding="utf-8"
    )
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "key,prefLabel_zh,prefLabel_en,planKind,statedIn\n"
        "pi-import-a,导入任务,Imported task,WORK_PLAN,doc-national-standardization-outline\n",
        encoding="utf-8",
    )
    for path, kind in ((sources, "sources"), (plan, "plan-items")):
        result = await import_file(empty_graph, db, BASE, path, kind, "importer")
        assert result.problems == []
    assert (await get_entity(empty_graph, db, "src-import-a")).cls.name == "Source"
    assert (await get_entity(empty_graph, db, "pi-import-a")).props["planKind"] == "WORK_PLAN"
    stated_in = await related(empty_graph, db, "pi-import-a", "STATED_IN")
    assert [e.key for e, _ in stated_in] == ["doc-national-standardization-outline"]
