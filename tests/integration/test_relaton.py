"""Relaton catalogue imports into the real Neo4j, on real records copied from the ISO, IEC, ITU
and IEEE catalogues (tests/fixtures/relaton): the mapped graph, seed merge, idempotence, an
incremental update, rejects, strict mode, dry run, archives, and relevance links."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from rdflib import Graph, Literal, URIRef

from graph import gap_scope
from graph.catalogue import BatchCounts, write_catalogue_batch
from graph.changes import EntityStep, LinkStep, apply_changes, stored_change_list
from graph.driver import AsyncDriver, Connection
from graph.entities import count_by_label, count_by_type
from graph.errors import GraphUnavailableError
from graph.gateway import read, write
from graph.maintenance import clear_database
from graph.rdf_export import export_triples
from graph.revisions import recent_changes, replay, revert
from graph.schema import apply_schema
from loaders.errors import LoaderError
from loaders.relaton.run import BatchWriter, Options, RelatonResult, import_relaton
from loaders.seed import load_seed
from ontology.namespaces import expand
from ontology.shacl import validate
from tests.conftest import GraphQLClient, gap_scope_marks

BASE = "https://w3id.org/mskg/"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "relaton"
CATALOGUES = [FIXTURES / name for name in ("iso", "iec", "itu", "ieee")]


@pytest.fixture
async def db(empty_graph: AsyncDriver, neo4j_connection: Connection) -> str:
    await load_seed(empty_graph, neo4j_connection.database, BASE)
    return neo4j_connection.database


async def _import(
    driver: AsyncDriver,
    db: str,
    paths: list[Path],
    tmp_path: Path,
    write: BatchWriter = write_catalogue_batch,
    **options: Any,
) -> RelatonResult:
    opts = Options(rejects=tmp_path / "rejects.jsonl", **options)
    return await import_relaton(driver, db, BASE, paths, opts, write=write)


async def _one(driver: AsyncDriver, db: str, query: str, **params: Any) -> dict[str, Any]:
    rows = await read(driver, db, query, params)
    assert len(rows) == 1, rows
    return rows[0]


async def _revisions(driver: AsyncDriver, db: str) -> int:
    return int((await _one(driver, db, "MATCH (r:Revision) RETURN count(r) AS c"))["c"])


async def test_catalogues_map_onto_the_ontology_and_merge_with_the_seed(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    standards_before = (await count_by_label(empty_graph, db))["Standard"]
    result = await _import(empty_graph, db, CATALOGUES, tmp_path)
    files = sum(1 for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert result.records == files
    assert result.rejects == []
    assert result.created + result.changed == files

    # An edition, exactly as published, with titles in every language, stage and identifiers.
    edition = (
        await _one(
            empty_graph, db,
            "MATCH (e:Standard {designation: 'ISO/IEC 23005-1:2016'}) RETURN properties(e) AS p",
        )
    )["p"]  # fmt: skip
    assert edition["prefLabel_fr"].startswith("Technologies de l'information")
    assert edition["prefLabel_en"].startswith("Information technology - Media context")
    assert edition["stageCode"] == "95.99"
    assert edition["inForce"] is False
    assert edition["level"] == "EDITION"
    assert edition["urn"] == "urn:iso:std:iso-iec:23005:-1:stage-95.99"
    assert edition["edition"] == 3
    assert edition["issued"] == "2016-07"
    assert edition["catalogue"] == ["iso"]
    assert edition["sources"] == ["src-relaton-iso"]
    assert edition["summary_en"].startswith("ISO/IEC 23005-1:2016 specifies the architecture")

    # The seed's edition of the same designation is enriched, not duplicated, keeping its sources.
    seeded = await _one(
        empty_graph, db,
        "MATCH (e:Standard) WHERE e.designation = 'ISO/IEC 23005-1:2020' "
        "RETURN collect(e.key) AS keys, head(collect(properties(e))) AS p",
    )  # fmt: skip
    assert seeded["keys"] == ["iso-iec-23005-1-2020"]
    assert "src-relaton-iso" in seeded["p"]["sources"]
    assert len(seeded["p"]["sources"]) > 1  # the seed's own sources stay
    assert seeded["p"]["prefLabel_zh"]  # the seed's Chinese title stays
    assert seeded["p"]["stageCode"] == "60.60"
    assert seeded["p"]["inForce"] is True

    # The work lists its editions (which are current) and belongs to its series.
    work = await _one(
        empty_graph, db,
        "MATCH (w:Standard {designation: 'ISO/IEC 23005-1'})-[:IS_PART_OF]->(s:Standard) "
        "RETURN w.level AS level, s.key AS series, "
        "[(e)-[:EDITION_OF]->(w) | [e.designation, e.inForce]] AS editions",
    )  # fmt: skip
    assert work["level"] == "WORK"
    assert work["series"] == "iso-iec-23005"  # the seed's series entity
    assert sorted(work["editions"]) == [["ISO/IEC 23005-1:2016", False], ["ISO/IEC 23005-1:2020", True]]  # fmt: skip

    # Edition relations in the direction they mean: 2020 replaces 2016 (obsoletes and ISO's
    # "updates" both say so: one relationship), and 2016 replaces 2014, a stub.
    replaces = await read(
        empty_graph, db,
        "MATCH (a:Standard)-[:REPLACES]->(b:Standard) WHERE a.designation STARTS WITH 'ISO/IEC 23005-1:' "
        "RETURN a.designation AS a, b.designation AS b, b.stub AS stub ORDER BY a",
        {},
    )  # fmt: skip
    assert [(r["a"], r["b"], r["stub"]) for r in replaces] == [
        ("ISO/IEC 23005-1:2016", "ISO/IEC 23005-1:2014", True),
        ("ISO/IEC 23005-1:2020", "ISO/IEC 23005-1:2016", False),
    ]
    cor = await _one(
        empty_graph, db,
        "MATCH (c:Standard {designation: 'ISO/IEC 23005-3:2013/Cor 1:2013'})-[:CORRECTS]->(e) "
        "RETURN c.level AS level, e.designation AS base",
    )  # fmt: skip
    assert cor == {"level": "CORRIGENDUM", "base": "ISO/IEC 23005-3:2013"}
    amd = await _one(
        empty_graph, db,
        "MATCH (a:Standard {designation: 'ISO/IEC 23090-14:2023/Amd 1:2023'})-[:AMENDS]->(e) "
        "RETURN e.key AS base",
    )  # fmt: skip
    assert amd["base"] == "iso-iec-23090-14-2023"  # the seed's edition
    draft = await _one(
        empty_graph, db,
        "MATCH (w:Standard)-[:HAS_DRAFT]->(d:Standard {designation: 'ISO/IEC DIS 23090-14'}) "
        "RETURN w.designation AS work, d.stageCode AS stage",
    )  # fmt: skip
    assert draft == {"work": "ISO/IEC 23090-14", "stage": "40.99"}

    # Committees: found by designation (never duplicating the seed's) and attached to parents.
    committees = await read(
        empty_graph, db,
        "MATCH (c:Committee) WHERE c.designation IN ['ISO/IEC JTC 1/SC 29', 'ITU-T SG21', "
        "'ITU-T Study Group 21', 'IEC TC 100', 'ISO/TC 190/SC 4', 'ISO/TC 190'] "
        "RETURN c.designation AS d, c.key AS key, [(c)-[:SUB_ORGANIZATION_OF]->(p) | p.key] AS parents "
        "ORDER BY d",
        {},
    )  # fmt: skip
    by_designation = {r["d"]: r for r in committees}
    assert set(by_designation) == {
        "ISO/IEC JTC 1/SC 29", "ITU-T SG21", "IEC TC 100", "ISO/TC 190/SC 4", "ISO/TC 190",
    }  # fmt: skip
    assert by_designation["ISO/IEC JTC 1/SC 29"]["key"] == "iso-iec-jtc1-sc29"
    assert "iso-iec-jtc1" in by_designation["ISO/IEC JTC 1/SC 29"]["parents"]
    assert by_designation["ISO/TC 190/SC 4"]["parents"] == ["iso-tc190"]
    assert by_designation["ISO/TC 190"]["parents"] == ["iso"]
    sg21 = await _one(
        empty_graph, db,
        "MATCH (e:Standard {designation: 'ITU-T H.872 (10/2024)'})-[:DEVELOPED_BY]->(c) "
        "RETURN c.key AS key",
    )  # fmt: skip
    assert sg21["key"] == "itu-t-sg21"  # the seed's study group, spelt differently

    # ICS as a SKOS scheme with its hierarchy and the titles the records carry.
    ics = await _one(
        empty_graph, db,
        "MATCH (:Standard {designation: 'IEC TR 63614-3:2026'})-[:CLASSIFIED_AS]->(c:Concept)"
        "-[:BROADER]->(g:Concept)-[:BROADER]->(f:Concept)-[:TOP_CONCEPT_OF]->(s:ConceptScheme) "
        "RETURN c.notation AS code, c.prefLabel_en AS label, g.notation AS group, "
        "f.notation AS field, s.key AS scheme",
    )  # fmt: skip
    assert ics == {
        "code": "33.160.60",
        "label": "33.160.60 Multimedia systems and teleconferencing equipment",
        "group": "33.160",
        "field": "33",
        "scheme": "scheme-ics",
    }

    # IEEE: identifiers, drafts of the work, relations qualified by their description.
    ieee = await _one(
        empty_graph, db,
        "MATCH (e:Standard {designation: 'IEEE 2888.1-2023'})-[:EDITION_OF]->(w)-[:IS_PART_OF]->(s) "
        "RETURN e.doi AS doi, e.isbn AS isbn, w.designation AS work, s.designation AS family, "
        "[(w)-[:HAS_DRAFT]->(d) | d.designation] AS drafts",
    )  # fmt: skip
    assert ieee == {
        "doi": "10.1109/IEEESTD.2024.10384624",
        "isbn": ["979-8-8557-0301-6"],
        "work": "IEEE 2888.1",
        "family": "IEEE 2888",
        "drafts": ["IEEE P2888.1/D-02-2023-08"],
    }
    amends = await _one(
        empty_graph, db,
        "MATCH (:Standard {designation: 'ANSI C63.4a-2017'})-[:AMENDS]->(b) RETURN b.designation AS b",
    )  # fmt: skip
    assert amends["b"] == "ANSI C63.4-2014"
    adopted = await _one(
        empty_graph, db,
        "MATCH (:Standard {designation: 'IEC 61523.1-2023'})-[:ADOPTED_FROM]->(b) RETURN b.designation AS b",
    )  # fmt: skip
    assert adopted["b"] == "IEEE 1481-2019"
    replaced = await _one(
        empty_graph, db,
        "MATCH (n:Standard)-[:REPLACES]->(:Standard {designation: 'AIEE 25-1952'}) RETURN n.designation AS n",
    )  # fmt: skip
    assert replaced["n"] == "AIEE 25-1958"  # obsoletedBy, turned the way it means

    # ITU: the sector added to cited designations; supplements complement Recommendations.
    itu = await _one(
        empty_graph, db,
        "MATCH (s:Standard)-[:COMPLEMENT_OF]->(:Standard {designation: 'ITU-T Y.4515 (06/2026)'}) "
        "RETURN collect(s.designation) AS supplements",
    )  # fmt: skip
    assert "ITU-T Y Suppl. 32 (07/2020)" in itu["supplements"]
    editions = await _one(
        empty_graph, db,
        "MATCH (e)-[:EDITION_OF]->(w:Standard {designation: 'ITU-T H.870'}) "
        "RETURN collect(e.designation) AS e",
    )  # fmt: skip
    assert {"ITU-T H.870 (08/2018)", "ITU-T H.870 (V2) (03/2022)"} <= set(editions["e"])

    # Nothing duplicated: one node per designation among standards and committees.
    dupes = await read(
        empty_graph, db,
        "MATCH (n:Standard|Committee) WITH n.designation AS d, count(*) AS c WHERE d IS NOT NULL AND c > 1 "
        "RETURN d, c",
        {},
    )  # fmt: skip
    assert dupes == []
    assert (await count_by_label(empty_graph, db))["Standard"] > standards_before + files


async def test_a_second_import_writes_nothing_and_an_update_changes_only_what_changed(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    await _import(empty_graph, db, CATALOGUES, tmp_path)
    labels, types = await count_by_label(empty_graph, db), await count_by_type(empty_graph, db)
    revisions = await _revisions(empty_graph, db)
    again = await _import(empty_graph, db, CATALOGUES, tmp_path)
    assert (again.created, again.changed) == (0, 0)
    assert again.unchanged == again.records
    assert sum(again.counts.created.values()) + sum(again.counts.updated.values()) == 0
    assert await _revisions(empty_graph, db) == revisions
    assert (await count_by_label(empty_graph, db), await count_by_type(empty_graph, db)) == (
        labels,
        types,
    )

    # A newer snapshot: one record's stage changed and a relation added.
    newer = tmp_path / "iso"
    shutil.copytree(FIXTURES / "iso", newer)
    record = newer / "iso-iec-18039-2019.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("value: '93'", "value: '92'")
    record.write_text(text, encoding="utf-8")
    dry = await _import(empty_graph, db, [newer], tmp_path, dry_run=True)
    assert (dry.created, dry.changed) == (0, 1)
    assert await _revisions(empty_graph, db) == revisions  # a dry run writes nothing
    update = await _import(empty_graph, db, [newer], tmp_path)
    assert (update.created, update.changed, update.unchanged) == (0, 1, update.records - 1)
    assert await _revisions(empty_graph, db) == revisions + 1
    revision = await _one(
        empty_graph, db,
        "MATCH (r:Revision) WITH r ORDER BY r.seq DESC LIMIT 1 "
        "RETURN r.sources AS sources, r.sourceNotes AS notes, r.changes AS changes",
    )  # fmt: skip
    assert revision["sources"] == ["src-relaton-iso"]
    assert "iso-iec-18039-2019.yaml" in json.loads(revision["notes"])["src-relaton-iso"]
    changes = stored_change_list(revision["changes"])  # compressed JSON on the node
    assert [(c["key"], c["before"], c["after"]) for c in changes] == [
        ("iso-iec-18039-2019", {"stageCode": "90.93"}, {"stageCode": "90.92"})
    ]

    # A later snapshot drops the abstract of a catalogue item (removed from the graph) and the
    # publication date of the seed's edition (the seed's own date stays: it is the seed's fact).
    summary = (await _one(empty_graph, db, "MATCH (n {key: 'iso-iec-18039-2019'}) RETURN n.summary_en AS s"))["s"]  # fmt: skip
    assert summary.startswith("This document defines the scope")
    seed_issued = (await _one(empty_graph, db, "MATCH (n {key: 'iso-iec-23005-1-2020'}) RETURN n.issued AS d"))["d"]  # fmt: skip
    assert seed_issued is not None
    for name, field in (
        ("iso-iec-18039-2019.yaml", "abstract"),
        ("iso-iec-23005-1-2020.yaml", "date"),
    ):
        data = yaml.safe_load((newer / name).read_text(encoding="utf-8"))
        del data[field]
        (newer / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    dropped = await _import(empty_graph, db, [newer], tmp_path)
    assert (dropped.created, dropped.changed) == (0, 1)
    after = await _one(
        empty_graph, db,
        "MATCH (a {key: 'iso-iec-18039-2019'}), (b {key: 'iso-iec-23005-1-2020'}) "
        "RETURN properties(a) AS a, b.issued AS issued",
    )  # fmt: skip
    assert not {"summary_en", "summary_fr"} & after["a"].keys()
    assert after["a"]["stageCode"] == "90.92"  # what the record still gives stays
    assert after["issued"] == seed_issued
    last = await _one(
        empty_graph,
        db,
        "MATCH (r:Revision) WITH r ORDER BY r.seq DESC LIMIT 1 RETURN r.changes AS c",
    )
    assert [(c["key"], c["before"].keys(), c["after"]) for c in stored_change_list(last["c"])] == [
        (
            "iso-iec-18039-2019",
            {"summary_en", "summary_fr"},
            {"summary_en": None, "summary_fr": None},
        )
    ]
    again = await _import(empty_graph, db, [newer], tmp_path)
    assert (again.created, again.changed) == (0, 0)  # the removal is not repeated


async def test_bad_records_are_rejected_with_member_and_field_and_strict_writes_nothing(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    folder = tmp_path / "iso"
    shutil.copytree(FIXTURES / "iso", folder)
    (folder / "broken-yaml.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    bad_date = (FIXTURES / "iso" / "iso-22739-2024.yaml").read_text(encoding="utf-8")
    (folder / "bad-date.yaml").write_text(
        bad_date.replace("value: 2024-01", "value: January 2024").replace(
            "ISO 22739:2024", "ISO 22739:2099"
        ),
        encoding="utf-8",
    )
    (folder / "no-id.yaml").write_text("title:\n- content: Nothing\n", encoding="utf-8")
    labels = await count_by_label(empty_graph, db)

    with pytest.raises(LoaderError) as caught:
        await _import(empty_graph, db, [folder], tmp_path, strict=True)
    assert len(caught.value.problems) == 3
    assert await count_by_label(empty_graph, db) == labels  # strict: nothing written

    result = await _import(empty_graph, db, [folder], tmp_path)
    rejects = {r.member: (r.field, r.message) for r in result.rejects}
    assert set(rejects) == {"broken-yaml.yaml", "bad-date.yaml", "no-id.yaml"}
    assert rejects["bad-date.yaml"][0] == "date.published"
    assert rejects["no-id.yaml"][0] == "docid"
    assert rejects["broken-yaml.yaml"][1].startswith("invalid YAML at line 2")
    lines = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert {(x["archive"], x["member"], x["field"]) for x in lines} == {
        ("iso", "broken-yaml.yaml", "(file)"),
        ("iso", "bad-date.yaml", "date.published"),
        ("iso", "no-id.yaml", "docid"),
    }
    assert result.created > 0  # the good records went in
    assert result.records == len(list(folder.iterdir()))


async def test_archives_are_read_as_streams_and_give_the_same_graph(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    archive = tmp_path / "itu.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(FIXTURES / "itu", arcname="data")
    result = await _import(empty_graph, db, [archive], tmp_path)
    assert result.rejects == []
    assert result.records == len(list((FIXTURES / "itu").iterdir()))
    notes = await _one(
        empty_graph, db,
        "MATCH (r:Revision) WHERE 'src-relaton-itu' IN r.sources RETURN r.sourceNotes AS n LIMIT 1",
    )  # fmt: skip
    assert notes["n"].startswith('{"src-relaton-itu": "itu.tar.xz: data/')
    assert "data/itu-t-h-872-10-2024.yaml" in notes["n"]
    again = await _import(empty_graph, db, [FIXTURES / "itu"], tmp_path)
    assert (again.created, again.changed) == (0, 0)


async def test_relevance_rules_link_items_to_concepts_citing_the_rule(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    result = await _import(empty_graph, db, CATALOGUES, tmp_path)
    links = await read(
        empty_graph, db,
        "MATCH (s:Standard)-[r:ABOUT]->(c:Concept) WHERE any(x IN r.sources WHERE x STARTS WITH 'src-rule-') "
        "RETURN s.designation AS s, c.key AS c, r.sources AS sources ORDER BY s, c",
        {},
    )  # fmt: skip
    found = {(r["s"], r["c"]): r["sources"] for r in links}
    # Terms in the title (English): "metaverse" in IEC TR 63614-3 and ITU-T Y.4515.
    assert found[("IEC TR 63614-3:2026", "concept-metaverse")] == ["src-rule-metaverse-terms"]
    assert "src-rule-metaverse-terms" in found[("ITU-T Y.4515 (06/2026)", "concept-metaverse")]
    # The committee rule: SC 24's items (ISO/IEC 18039 is mixed and augmented reality).
    assert found[("ISO/IEC 18039:2019", "concept-mixed-and-augmented-reality")] == [
        "src-rule-mpeg-v-and-mar-committee"
    ]
    # The ICS rule: 35.140 computer graphics.
    assert "src-rule-computer-graphics-ics" in found[("ISO 8805:1988", "concept-virtual-reality")]
    # A committee-and-designation rule: SG21's H.87x series.
    assert found[("ITU-T H.872 (10/2024)", "concept-metaverse")] == ["src-rule-metaverse-study-group"]  # fmt: skip
    # ISO/TC 307's items are about blockchain; unrelated items get no link.
    # (The seed links the 2024 edition itself, citing ISO's page; the rule adds its own source.)
    assert found[("ISO 22739:2024", "concept-blockchain")] == [
        "src-iso-82208",
        "src-rule-blockchain-committee",
    ]
    assert not any(s in ("IEC 60179:1973", "ISO/TS 10303-1750:2010") for s, _ in found)
    # Every rule is a Source an editor can read.
    rule = await _one(
        empty_graph, db,
        "MATCH (s:Source {key: 'src-rule-metaverse-study-group'}) RETURN s.citation AS c",
    )  # fmt: skip
    assert "ITU-T" in rule["c"]
    assert "concept-metaverse" in rule["c"]
    assert result.rule_links["metaverse-study-group"] >= 4


GAPS = """
query Gaps($scope: GapScope!) {
  gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, first: 100, scope: $scope) { key }
  concept: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, concept: "concept-metaverse") { key }
  standard(key: "itu-t-h.872-10-2024") { key subjects { key } editionOf { key } }
}
"""


async def test_gaps_default_to_the_relevant_items_with_the_whole_catalogue_one_filter_away(
    empty_graph: AsyncDriver, db: str, tmp_path: Path, http: httpx.Client
) -> None:
    await _import(empty_graph, db, CATALOGUES, tmp_path)
    gql = GraphQLClient(http)
    relevant = gql.data(GAPS, {"scope": "RELEVANT"})
    everything = gql.data(GAPS, {"scope": "ALL"})
    in_scope = {g["key"] for g in relevant["gaps"]}
    all_keys = {g["key"] for g in everything["gaps"]}
    assert len(in_scope) < 100  # the scope is complete here, so absence means "left out"
    assert "itu-t-h.872-10-2024" in in_scope  # linked to the metaverse by a rule
    assert "iso-iec-23005-1-2020" in in_scope  # the seed's own item
    assert "aiee-25-1952" not in in_scope  # catalogue only, no rule links it
    assert "aiee-25-1952" in all_keys
    assert "itu-t-h.872-10-2024" in {g["key"] for g in relevant["concept"]}
    assert relevant["standard"] == {
        "key": "itu-t-h.872-10-2024",
        "subjects": [{"key": "concept-metaverse"}],
        "editionOf": {"key": "itu-t-h.872"},
    }


async def _kept_marks_equal_a_rebuild(driver: AsyncDriver, db: str) -> set[str]:
    kept = await gap_scope_marks(driver, db)
    await gap_scope.rebuild(driver, db)
    assert await gap_scope_marks(driver, db) == kept
    return kept


async def test_the_relevant_scope_follows_every_write_that_moves_an_item_in_or_out(
    empty_graph: AsyncDriver, db: str, tmp_path: Path, http: httpx.Client
) -> None:
    """The relevant list walks marks kept by each write (graph.gap_scope): a link to a concept,
    an editor's own source, a revert and a replay each move an item in or out at once, and the
    marks kept write by write are always those a rebuild from scratch gives."""
    await _import(empty_graph, db, CATALOGUES, tmp_path)
    gql = GraphQLClient(http)

    def relevant() -> set[str]:
        found = gql.data(GAPS, {"scope": "RELEVANT"})["gaps"]
        assert len(found) < 100  # the whole list: absence means "left out"
        return {g["key"] for g in found}

    before = relevant()
    assert before == await _kept_marks_equal_a_rebuild(empty_graph, db) & before
    # Two gaps only catalogues describe, which no rule links to a concept: out of scope.
    everything = {g["key"] for g in gql.data(GAPS, {"scope": "ALL"})["gaps"]}
    rows = await read(
        empty_graph, db,
        "MATCH (n:Standard) WHERE n.key IN $keys RETURN n.key AS key ORDER BY key LIMIT 2",
        {"keys": sorted(everything - before)},
    )  # fmt: skip
    linked, cited = (row["key"] for row in rows)

    about = await apply_changes(
        empty_graph, db, BASE, [LinkStep("link", "ABOUT", linked, "concept-metaverse")], "tester"
    )
    assert about is not None
    assert relevant() == before | {linked}
    await apply_changes(
        empty_graph,
        db,
        BASE,
        [EntityStep("update", "Standard", cited, {"sources+": ["src-medbib-jtc1"]})],
        "tester",
    )
    assert relevant() == before | {linked, cited}
    marked = await _kept_marks_equal_a_rebuild(empty_graph, db)

    await revert(empty_graph, db, BASE, about.id, "tester")
    assert relevant() == before | {cited}
    assert await _kept_marks_equal_a_rebuild(empty_graph, db) == marked - {linked}

    # The log replayed into an empty database marks what the writes marked.
    log = await recent_changes(empty_graph, db, first=100_000)
    await clear_database(empty_graph, db)
    await replay(empty_graph, db, BASE, log)
    assert await gap_scope_marks(empty_graph, db) == marked - {linked}
    assert relevant() == before | {cited}

    # A database written before the marks existed gets them when the schema is applied.
    await write(empty_graph, db, "MATCH (m:GapScope) DELETE m")
    await apply_schema(empty_graph, db)
    assert await gap_scope_marks(empty_graph, db) == marked - {linked}
    # Every API process applies the schema at start-up: two rebuilding at once both succeed.
    await write(empty_graph, db, "MATCH (m:GapScope) DELETE m")
    rebuilt = await asyncio.gather(
        gap_scope.rebuild_if_unmarked(empty_graph, db),
        gap_scope.rebuild_if_unmarked(empty_graph, db),
    )
    assert any(rebuilt)
    assert await gap_scope_marks(empty_graph, db) == marked - {linked}


async def test_an_interrupted_import_resumes_where_it_stopped(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    calls = 0

    async def failing(*args: Any, **kwargs: Any) -> BatchCounts:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise GraphUnavailableError("the server went away", "start it again")
        return await write_catalogue_batch(*args, **kwargs)

    with pytest.raises(GraphUnavailableError):
        await _import(empty_graph, db, [FIXTURES / "iso"], tmp_path, batch_size=5, write=failing)
    written = await _revisions(empty_graph, db)
    resumed = await _import(empty_graph, db, [FIXTURES / "iso"], tmp_path, batch_size=5)
    records = len(list((FIXTURES / "iso").iterdir()))
    assert resumed.unchanged == 10  # the two batches committed before the failure
    assert resumed.created + resumed.changed == records - 10
    assert await _revisions(empty_graph, db) > written
    again = await _import(empty_graph, db, [FIXTURES / "iso"], tmp_path)
    assert (again.created, again.changed) == (0, 0)


async def test_the_imported_catalogues_export_as_rdf_that_conforms_to_the_shapes(
    empty_graph: AsyncDriver, db: str, tmp_path: Path
) -> None:
    await _import(empty_graph, db, CATALOGUES, tmp_path)
    graph = Graph()
    async for triple in export_triples(empty_graph, db, BASE):
        graph.add(triple)
    assert validate(graph) == []
    edition = URIRef(f"{BASE}id/standard/iso-iec-23005-1-2016")
    assert (edition, expand("dcterms:isVersionOf"), URIRef(f"{BASE}id/standard/iso-iec-23005-1")) in graph  # fmt: skip
    assert (edition, expand("mskg:stageCode"), Literal("95.99")) in graph
    assert (edition, expand("dcterms:title"), Literal("Information technology - Media context and control - Part 1: Architecture", lang="en")) in graph  # fmt: skip


AT_SIZE = """
query AtSize($sc29: String!) {
  en: search(text: "mixed and augmented reality", first: 20) { entity { key } }
  zh: search(text: "元宇宙", first: 50) { entity { key } }
  mapping: workItems(where: { adopts: { exists: true } }, first: 100) {
    nodes { key adoptsEdges { degree node { key ... on Standard { designation editionOf { key editions { key } } } } } }
  }
  domestic: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, first: 100) { key }
  liaisons: committee(key: "iso-iec-jtc1-sc24-wg8") { liaisons { key category partner { key } } }
  neighborhood(key: $sc29, depth: 1) { truncated nodes { key } edges { type fromKey toKey } }
  paths(from: "iso-iec-18039-2019", to: "iso-iec-jtc1", maxHops: 3) { length nodes { key } }
  editions: standards(
    where: { level: { eq: EDITION }, developedBy: { some: { key: { eq: $sc29 } } } }
    orderBy: [{ field: ISSUED, direction: DESC }]
    first: 100
  ) { totalCount nodes { key issued } }
  history(key: $sc29, first: 10) { seq changes { key fromKey toKey } }
}
"""


def _related_pages(http: httpx.Client, path: str, narrow: str = "") -> tuple[list[str], list[int]]:
    """Follow the related page's "next page" links, two items a page; keys and totals seen."""
    keys: list[str] = []
    totals: list[int] = []
    url: str | None = f"{path}?first=2&lang=en" + (f"&{narrow}" if narrow else "")
    while url is not None:
        response = http.get(url)
        assert response.status_code == 200, response.text
        html = response.text
        totals.append(int(re.search(r'<p id="total">(\d+) in all</p>', html)[1]))  # type: ignore[index]
        block = html.split('id="related">')[1].split("</table>")[0].split("</ul>")[0]
        keys += re.findall(r'<(?:li|tr) data-key="([^"]+)"', block)
        found = re.search(r'id="next-page" rel="next" href="([^"]+)"', html)
        url = found[1].replace("&amp;", "&") if found else None
        assert len(totals) < 100, "paging does not end"
    return keys, totals


async def test_after_an_import_every_other_view_still_answers_on_the_catalogue_items(
    empty_graph: AsyncDriver, db: str, tmp_path: Path, http: httpx.Client
) -> None:
    await _import(empty_graph, db, CATALOGUES, tmp_path)
    sc29 = "iso-iec-jtc1-sc29"
    developed = await read(
        empty_graph, db,
        "MATCH (s:Standard)-[:DEVELOPED_BY]->(:Committee {key: $k}) "
        "RETURN s.key AS key, s.level AS level, s.stageCode AS stage, s.issued AS issued",
        {"k": sc29},
    )  # fmt: skip
    assert len(developed) >= 8
    _views_answer(http, sc29, developed)

    # A catalogue edition's page: its work's editions as the catalogue gives them, the one
    # the catalogue publishes (60.60) marked current, and the edition that replaced it.
    editions = await read(
        empty_graph, db,
        "MATCH (e:Standard)-[:EDITION_OF]->(:Standard {key: 'iso-iec-23005-1'}) "
        "RETURN e.key AS key, e.stageCode AS stage",
    )  # fmt: skip
    stages = {e["key"]: e["stage"] for e in editions}
    assert stages["iso-iec-23005-1-2016"] == "95.99"
    assert stages["iso-iec-23005-1-2020"] == "60.60"
    _edition_page_answers(http, stages)

    # Gaps within an ICS class: every item classified in it or a subclass, none adopted.
    in_35 = await read(
        empty_graph, db,
        "MATCH (s:Standard)-[:CLASSIFIED_AS]->(c:Concept) "
        "WHERE (c.key = 'ics-35' OR c.key STARTS WITH 'ics-35.') "
        "AND NOT EXISTS { (s)<-[:ADOPTS]-() } AND NOT EXISTS { (s)<-[:EDITION_OF]-()<-[:ADOPTS]-() } "
        "RETURN DISTINCT s.key AS key ORDER BY key",
    )  # fmt: skip
    assert len(in_35) >= 3
    _ics_narrows(http, "35", [row["key"] for row in in_35])


def _ics_narrows(http: httpx.Client, code: str, expected: list[str]) -> None:
    query = """query ($ics: String!) {
      gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, ics: $ics, scope: ALL) { key } }"""
    found = GraphQLClient(http).data(query, {"ics": code})["gaps"]
    assert [g["key"] for g in found] == expected
    page = http.get("/mapping", params={"lang": "en", "ics": code, "whole": "1"}).text
    listing = page.split('id="gaps-intl"')[1].split("</ul>")[0]
    assert re.findall(r'<li data-key="([^"]+)"', listing) == expected[:50]


def _edition_page_answers(http: httpx.Client, stages: dict[str, str]) -> None:
    html = http.get("/entity/iso-iec-23005-1-2016", params={"lang": "en"}).text
    shown = re.findall(
        r'<tr data-key="([^"]+)"( class="current")?>', html.split('id="editions"')[1]
    )
    assert {key for key, _ in shown} >= set(stages)
    assert [key for key, current in shown if current] == ["iso-iec-23005-1-2020"]
    keys = [key for key, _ in shown]
    assert keys.index("iso-iec-23005-1-2020") < keys.index("iso-iec-23005-1-2016")
    lineage = html.split('id="lineage"')[1].split("</dl>")[0]
    assert 'data-type="REPLACES" data-direction="incoming"' in lineage
    assert "/entity/iso-iec-23005-1-2020?lang=en" in lineage


def _views_answer(http: httpx.Client, sc29: str, developed: list[dict[str, Any]]) -> None:
    data = GraphQLClient(http).data(AT_SIZE, {"sc29": sc29})

    assert "iso-iec-18039-2019" in {h["entity"]["key"] for h in data["en"]}
    assert "concept-metaverse" in {h["entity"]["key"] for h in data["zh"]}
    # The seed's adoptions now point at real catalogue items (the edition ISO 22739:2020, whose
    # work ISO 22739 holds both catalogue editions).
    targets = {e["node"]["key"]: e["node"] for n in data["mapping"]["nodes"] for e in n["adoptsEdges"]}  # fmt: skip
    work = targets["iso-22739-2020"]["editionOf"]
    assert work["key"] == "iso-22739"
    assert {"iso-22739-2020", "iso-22739-2024"} <= {e["key"] for e in work["editions"]}
    assert data["domestic"]  # the seed's domestic items without an international counterpart
    assert "liaison-sc24-wg8-ogc" in {link["key"] for link in data["liaisons"]["liaisons"]}
    around = {n["key"] for n in data["neighborhood"]["nodes"]}
    assert data["neighborhood"]["truncated"] is False
    assert {"iso-iec-jtc1", *(d["key"] for d in developed)} <= around
    assert data["paths"]
    assert data["paths"][0]["nodes"][0]["key"] == "iso-iec-18039-2019"
    editions = data["editions"]
    assert editions["totalCount"] == sum(1 for d in developed if d["level"] == "EDITION")
    # The committee's history holds only its own changes, not the rest of each import batch.
    changes = [c for rev in data["history"] for c in rev["changes"]]
    assert changes
    assert all(sc29 in (c["key"], c["fromKey"], c["toKey"]) for c in changes)
    issued = [n["issued"] for n in editions["nodes"] if n["issued"]]
    assert issued == sorted(issued, reverse=True)

    # Every RDF syntax carries the catalogue's facts.
    designation = (
        URIRef(f"{BASE}id/standard/iso-iec-18039-2019"),
        expand("dcterms:identifier"),
        Literal("ISO/IEC 18039:2019"),
    )
    syntaxes = {"turtle": "turtle", "trig": "trig", "ntriples": "nt", "nquads": "nquads",
                "jsonld": "json-ld", "rdfxml": "xml"}  # fmt: skip
    for name, parser in syntaxes.items():
        exported = http.get("/rdf/export", params={"format": name})
        assert exported.status_code == 200, (name, exported.text[:300])
        graph = Graph()
        graph.parse(data=exported.content, format=parser)
        assert designation in graph, name

    # SPARQL sees the same editions as Cypher.
    query = (
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?s WHERE { "
        f"?s dcterms:creator <{BASE}id/committee/{sc29}> }}"
    )
    sparql = http.get("/sparql", params={"query": query})
    assert sparql.status_code == 200, sparql.text
    found = {b["s"]["value"].rsplit("/", 1)[1] for b in sparql.json()["results"]["bindings"]}
    assert found == {d["key"] for d in developed}

    # The committee's page, and paging through everything it develops.
    page = http.get(f"/entity/{sc29}", params={"lang": "en"})
    assert page.status_code == 200
    assert "ISO/IEC JTC 1/SC 29" in page.text
    keys, totals = _related_pages(http, f"/entity/{sc29}/related/DEVELOPED_BY/incoming")
    assert set(totals) == {sum(1 for d in developed)}
    assert sorted(keys) == sorted(d["key"] for d in developed)  # each once, none missed
    # Narrowed by stage and year, counted by stage, ordered newest first.
    listing = f"/entity/{sc29}/related/DEVELOPED_BY/incoming"
    first = http.get(listing, params={"lang": "en", "first": 100}).text
    counted = {
        code: int(n)
        for code, n in re.findall(r'<option value="(\d\d)"[^>]*>\d\d · [^(<]+\((\d+)\)', first)
    }
    by_stage: dict[str, int] = {}
    for d in developed:
        if d["stage"]:
            by_stage[d["stage"][:2]] = by_stage.get(d["stage"][:2], 0) + 1
    assert counted == by_stage
    assert "60" in counted
    published = _related_pages(http, listing, "stage=60")[0]
    assert sorted(published) == sorted(
        d["key"] for d in developed if (d["stage"] or "").startswith("60")
    )
    year = next(str(d["issued"])[:4] for d in developed if d["issued"])
    of_year = _related_pages(http, listing, f"year={year}")[0]
    assert sorted(of_year) == sorted(
        d["key"] for d in developed if str(d["issued"] or "").startswith(year)
    )
    newest = http.get(listing, params={"lang": "en", "first": 100, "sort": "newest"}).text
    rows = newest.split('id="related">')[1].split("</table>")[0]
    years = re.findall(r"<td>(\d{4}[^<]*)</td></tr>", rows)
    assert years == sorted(years, reverse=True)
    assert len(years) > 1
    missing = http.get(f"/entity/{sc29}/related/NO_SUCH_TYPE/incoming", params={"lang": "en"})
    assert missing.status_code == 404
