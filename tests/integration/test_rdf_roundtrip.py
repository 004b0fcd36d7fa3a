"""Lossless round trip: the seed plus edits made over HTTP (Chinese text, ITU's other languages,
doubles that writers like to shorten, a liaison statement's whole workflow) → export in every
syntax → empty database → `--restore` → export again: the two graphs are isomorphic, and the
stored nodes, relationships and revision log are the ones we started from."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic as isomorphic_with_blank_nodes

from graph import gap_scope, tallies
from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from graph.gateway import policy_of
from graph.maintenance import clear_database, snapshot
from graph.rdf_export import blocking_batches, export_plan, export_triples, split_plan
from graph.rdf_formats import FORMATS, serialize_export
from graph.revisions import recent_changes
from loaders.errors import LoaderError
from loaders.rdf import import_rdf, read_graph
from ontology.namespaces import expand
from ontology.provenance import REVISION_CLASS, STATEMENT_EVENT_CLASS
from tests.conftest import (
    MSKG,
    TLS,
    ApiProcess,
    GraphQLClient,
    api_env,
    gap_scope_marks,
    tally_cells,
)

BASE = "https://w3id.org/mskg/"
PROGRESS = [37.5, 0.1, 99.99999999999999, 1e-05, 12345.678 / 1000]
PARSERS = {"ntriples": "nt", "nquads": "nquads", "trig": "trig"}


async def _export(driver: AsyncDriver, db: str) -> Graph:
    graph = Graph()
    async for triple in export_triples(driver, db, BASE):
        graph.add(triple)
    return graph


async def _write(driver: AsyncDriver, connection: Connection, path: Path, fmt: str) -> None:
    # The whole-graph writer (pyoxigraph), compared below with rdflib's reading of the graph.
    batches = lambda: blocking_batches(driver, connection)  # noqa: E731
    with path.open("wb") as out:
        async for chunk in serialize_export(batches, FORMATS[fmt], BASE, reveal=True):
            out.write(chunk)


def isomorphic(a: Graph, b: Graph) -> bool:
    """rdflib's isomorphism; without blank nodes that is equality of the sets of triples, which
    Python decides in a fraction of the time canonical hashing takes."""
    if any(isinstance(t, BNode) for g in (a, b) for triple in g for t in triple):
        return isomorphic_with_blank_nodes(a, b)
    return len(a) == len(b) and set(a) == set(b)


def _parse(path: Path, fmt: str) -> Graph:
    # The importer's own reader (named graphs merged), with each syntax named explicitly.
    return read_graph(path, PARSERS.get(fmt, FORMATS[fmt].rdflib))


def _as_sets(value: Any) -> Any:
    # Multi-valued properties are sets in RDF: their order is not part of the data.
    if isinstance(value, dict):
        return {k: _as_sets(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted(value, key=repr)
    if isinstance(value, tuple):
        return tuple(_as_sets(v) for v in value)
    return value


async def _stored(driver: AsyncDriver, db: str) -> Any:
    return _as_sets(await snapshot(driver, db))


async def _log(driver: AsyncDriver, db: str) -> list[Any]:
    return sorted(await recent_changes(driver, db, first=100_000), key=lambda r: r.seq)


def _edit(gql: GraphQLClient) -> None:
    """Edits through the API: new work items with doubles and six languages, a committee's
    labels in more languages, a person's contact details (IRIs in RDF, strings when stored) and
    an outgoing liaison statement taken through its workflow."""
    gql.data(
        """mutation ($input: PersonInput!) { createPerson(input: $input) { applied } }""",
        {
            "input": {
                "key": "rt-person",
                "prefLabel": {"zh": "王芳", "en": "Wang Fang"},
                "email": "wang.fang+rt@example.org",
                "phone": "+86 21 8765 4321",
                "homepage": "https://example.org/~wang",
            }
        },
    )
    for i, progress in enumerate(PROGRESS):
        gql.data(
            """mutation ($input: WorkItemInput!) { createWorkItem(input: $input,
                 sources: [{url: "https://example.org/plan", title: "Plan"}], comment: "往返测试") {
                 applied } }""",
            {
                "input": {
                    "key": f"rt-work-item-{i}",
                    "prefLabel": {
                        "zh": f"元宇宙 参考架构 第{i}部分：“术语”",
                        "en": f'Metaverse reference architecture — Part {i}: "Terms"',
                        "fr": f"Architecture de référence du métavers — Partie {i}",
                        "ru": f"Эталонная архитектура метавселенной — Часть {i}",
                        "es": f"Arquitectura de referencia del metaverso, parte {i}",
                        "ar": f"البنية المرجعية للميتافيرس - الجزء {i}",
                    },
                    "designation": f"20230{i}-T-339",
                    "progress": progress,
                }
            },
        )
    version = gql.data('{ committee(key: "sac-tc28") { version } }')["committee"]["version"]
    gql.data(
        """mutation ($v: Int!) { updateCommittee(key: "sac-tc28", expectedVersion: $v,
             patch: {altLabel: {fr: ["Comité technique national 28"], ru: ["ТК 28"],
                                zh: ["信标委", "第28技术委员会\\n（换行）"]}},
             comment: "多语种别名") { applied } }""",
        {"v": version},
    )
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    key = "rt-ls-1"
    gql.data(
        """mutation ($key: String!, $deadline: Date!) { draftStatement(input: {
             key: $key, prefLabel: {zh: "关于往返的联络函", en: "LS on round trips"},
             purpose: FOR_ACTION, direction: OUTGOING, replyStatus: AWAITING, deadline: $deadline,
             links: {from: [{key: "sac-tc28"}], to: [{key: "iso-iec-jtc1-sc24",
               properties: {purpose: "FOR_ACTION"}}]}}) { applied } }""",
        {"key": key, "deadline": deadline},
    )
    for action in ("submitStatement", "approveStatement", "postStatement"):
        version = gql.data(
            "query ($k: String!) { liaisonStatement(key: $k) { version } }", {"k": key}
        )["liaisonStatement"]["version"]
        gql.data(
            f"mutation ($k: String!, $v: Int!) {{ {action}(key: $k, expectedVersion: $v) "
            "{ applied } }",
            {"k": key, "v": version},
        )
    gql.data(
        'mutation { commentOnStatement(key: "rt-ls-1", text: "请 SC 24 于截止日前答复。") { applied } }'
    )


@pytest.fixture(scope="module")
async def original(
    seeded_db: AsyncDriver, neo4j_connection: Connection, api: ApiProcess
) -> dict[str, Any]:
    """The seed plus the edits: its export graph, stored snapshot and revision log."""
    db = neo4j_connection.database
    _, token = await create_account(seeded_db, db, f"rt-editor-{uuid.uuid4().hex[:6]}", "editor")
    with httpx.Client(
        verify=TLS, base_url=api.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        _edit(GraphQLClient(client))
    return {
        "graph": await _export(seeded_db, db),
        "snapshot": await _stored(seeded_db, db),
        "log": await _log(seeded_db, db),
    }


def test_the_export_carries_bookkeeping_revisions_and_statement_events(
    original: dict[str, Any],
) -> None:
    graph: Graph = original["graph"]
    item = URIRef(f"{BASE}id/work-item/rt-work-item-1")
    assert graph.value(item, expand("mskg:progress")) == Literal(PROGRESS[1], datatype=XSD.double)
    assert graph.value(item, expand("mskg:version")) == Literal(1)
    created = graph.value(item, expand("dcterms:created"))
    assert isinstance(created, Literal)
    assert isinstance(created.toPython(), dt.datetime)
    assert str(graph.value(item, expand("mskg:createdBy"))).startswith(f"{BASE}id/agent/rt-editor-")
    titles = {
        o.language: str(o)
        for o in graph.objects(item, expand("dcterms:title"))
        if isinstance(o, Literal)
    }
    assert set(titles) == {"zh", "en", "fr", "ru", "es", "ar"}
    assert titles["ar"] == "البنية المرجعية للميتافيرس - الجزء 1"
    # Every revision is a PROV activity; the statement's workflow is a sequence of events.
    revisions = set(graph.subjects(RDF.type, REVISION_CLASS))
    assert len(revisions) == len(original["log"])
    statement = URIRef(f"{BASE}id/liaison-statement/rt-ls-1")
    events = {
        str(graph.value(e, expand("mskg:eventType")))
        for e in graph.subjects(expand("mskg:eventOf"), statement)
    }
    assert {"drafted", "submitted", "approved", "posted", "comment added"} <= events
    for event in graph.subjects(RDF.type, STATEMENT_EVENT_CLASS):
        assert graph.value(event, expand("prov:wasInformedBy")) in revisions
    person = URIRef(f"{BASE}id/person/rt-person")
    assert set(graph.objects(person, RDF.type)) == {expand("mskg:Person"), expand("foaf:Person")}
    assert graph.value(person, expand("vcard:hasEmail")) == URIRef(
        "mailto:wang.fang+rt@example.org"
    )
    assert graph.value(person, expand("vcard:hasTelephone")) == URIRef("tel:+86-21-8765-4321")
    assert graph.value(person, expand("foaf:homepage")) == URIRef("https://example.org/~wang")


async def _as_original(
    original: dict[str, Any], driver: AsyncDriver, db: str, tmp_path: Path
) -> None:
    """The database as `original` left it (a test before may have cleared or restored it)."""
    if await _stored(driver, db) != original["snapshot"]:
        await clear_database(driver, db)
        seed_file = tmp_path / "original.nt"
        seed_file.write_text(original["graph"].serialize(format="nt"), encoding="utf-8")
        await import_rdf(driver, db, BASE, seed_file, "unused", restore_log=True)


@pytest.mark.parametrize("fmt", ["ntriples", "nquads"])
async def test_an_export_written_by_several_processes_is_the_same_file(
    original: dict[str, Any], driver: AsyncDriver, neo4j_connection: Connection, tmp_path: Path,
    fmt: str,
) -> None:  # fmt: skip
    db = neo4j_connection.database
    await _as_original(original, driver, db, tmp_path)
    plan = export_plan()
    parts = split_plan(policy_of(driver), neo4j_connection, 3)
    # Consecutive runs of statements covering the plan once, in order: the file's order. (A
    # statement is never cut, so one that holds most of the work leaves fewer parts.)
    assert 2 <= len(parts) <= 3
    assert [i for part in parts for i in part] == list(range(len(plan)))

    env = api_env(neo4j_connection)
    files = {}
    for processes in (1, 3):
        path = tmp_path / f"by-{processes}.{FORMATS[fmt].extension}"
        done = await asyncio.to_thread(
            subprocess.run,
            [MSKG, "export", "--format", fmt, "--processes", str(processes), "-o", str(path)],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        # A declared type that nothing uses yet is not reported as a misspelling.
        assert "does not exist" not in done.stderr
        files[processes] = path.read_bytes()
    assert files[3] == files[1]
    assert isomorphic(_parse(tmp_path / f"by-3.{FORMATS[fmt].extension}", fmt), original["graph"])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
async def test_export_restore_export_is_isomorphic_in_every_syntax(
    original: dict[str, Any], driver: AsyncDriver, neo4j_connection: Connection, tmp_path: Path,
    fmt: str,
) -> None:  # fmt: skip
    db = neo4j_connection.database
    await _as_original(original, driver, db, tmp_path)  # every parametrization starts alike

    path = tmp_path / f"mskg.{FORMATS[fmt].extension}"
    await _write(driver, neo4j_connection, path, fmt)
    parsed = _parse(path, fmt)
    assert isomorphic(parsed, original["graph"]), f"{fmt} lost or changed triples"

    await clear_database(driver, db)
    result = await import_rdf(driver, db, BASE, path, "unused", restore_log=True)
    assert result.revisions == len(original["log"])
    assert isomorphic(await _export(driver, db), original["graph"])
    assert await _stored(driver, db) == original["snapshot"]
    assert await _log(driver, db) == original["log"]


async def test_a_restored_graph_takes_new_edits_and_continues_its_log(
    original: dict[str, Any], driver: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    db = neo4j_connection.database
    await clear_database(driver, db)
    path = tmp_path / "original.ttl"
    path.write_text(original["graph"].serialize(format="turtle"), encoding="utf-8")
    await import_rdf(driver, db, BASE, path, "unused", restore_log=True)
    # A restore writes no revision; it marks the items in the gap lists' scope itself.
    restored = await gap_scope_marks(driver, db)
    await gap_scope.rebuild(driver, db)
    assert restored
    assert restored == await gap_scope_marks(driver, db)
    # … and counts the standards and work items for the tallied groupings (graph.tallies).
    cells = await tally_cells(driver, db)
    await tallies.rebuild(driver, db)
    assert cells
    assert cells == await tally_cells(driver, db)
    _, token = await create_account(driver, db, f"rt-after-{uuid.uuid4().hex[:6]}", "editor")
    env = api_env(neo4j_connection)
    from tests.conftest import start_api, stop_api

    api = start_api(env, tmp_path)
    try:
        with httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            gql = GraphQLClient(client)
            item = gql.data('{ workItem(key: "rt-work-item-3") { version progress } }')
            assert item["workItem"] == {"version": 1, "progress": 1e-05}
            gql.data(
                """mutation { updateWorkItem(key: "rt-work-item-3", expectedVersion: 1,
                   patch: {progress: 2.5}) { applied } }"""
            )
            history = gql.data('{ history(key: "rt-work-item-3") { seq actor } }')["history"]
    finally:
        stop_api(api)
    assert [h["seq"] for h in history] == [
        original["log"][-1].seq + 1,
        next(r.seq for r in original["log"] if "rt-work-item-3" in str(r.changes)),
    ]


async def test_restore_needs_an_empty_database_and_an_import_reports_left_out_revisions(
    original: dict[str, Any], driver: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    db = neo4j_connection.database
    path = tmp_path / "original.nt"
    path.write_text(original["graph"].serialize(format="nt"), encoding="utf-8")
    await clear_database(driver, db)
    await import_rdf(driver, db, BASE, path, "unused", restore_log=True)
    before = await snapshot(driver, db)
    with pytest.raises(LoaderError) as refused:
        await import_rdf(driver, db, BASE, path, "unused", restore_log=True)
    assert "empty database" in str(refused.value)
    assert await snapshot(driver, db) == before
    # An ordinary import of the same file merges the facts (no change) and says what it left out.
    completed = await asyncio.to_thread(
        subprocess.run,
        [MSKG, "load", "rdf", str(path)],
        env=api_env(neo4j_connection),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert f"{len(original['log'])} revisions in the file were left out" in completed.stderr
    assert "--restore" in completed.stderr
