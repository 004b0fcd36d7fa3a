"""The seed graph in the real Neo4j: idempotent, complete for the sample facts, searchable,
and conforming to the SHACL shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from rdflib import Graph

from graph.driver import AsyncDriver, Connection
from graph.entities import Direction, count_by_label, count_by_type, get_entity, related
from graph.maintenance import clear_database
from graph.rdf_export import export_triples
from graph.schema import apply_schema
from graph.search import search
from graph.upserts import UpsertReport
from loaders.seed import SEED_ACTOR, load_seed, read_seed
from ontology.shacl import validate

BASE = "https://w3id.org/mskg/"


@dataclass(frozen=True)
class Seeded:
    driver: AsyncDriver
    db: str
    first: UpsertReport
    second: UpsertReport
    progress: list[int]
    total: int
    labels_after_first: dict[str, int]
    labels_after_second: dict[str, int]
    types_after_first: dict[str, int]
    types_after_second: dict[str, int]


@pytest.fixture(scope="module")
async def seeded(driver: AsyncDriver, neo4j_connection: Connection) -> AsyncIterator[Seeded]:
    db = neo4j_connection.database
    await clear_database(driver, db)
    await apply_schema(driver, db)
    data = read_seed()
    progress: list[int] = []
    first = await load_seed(driver, db, BASE, data, on_progress=progress.append)
    labels1, types1 = await count_by_label(driver, db), await count_by_type(driver, db)
    second = await load_seed(driver, db, BASE, read_seed())
    labels2, types2 = await count_by_label(driver, db), await count_by_type(driver, db)
    total = len(data.entities) + len(data.relations)
    yield Seeded(driver, db, first, second, progress, total, labels1, labels2, types1, types2)
    await clear_database(driver, db)


async def test_loading_twice_changes_nothing(seeded: Seeded) -> None:
    assert seeded.labels_after_first == seeded.labels_after_second
    assert seeded.types_after_first == seeded.types_after_second
    for counts in (*seeded.second.entities.values(), *seeded.second.relations.values()):
        assert (counts.created, counts.updated) == (0, 0)
    created = sum(c.created for c in seeded.first.entities.values())
    unchanged = sum(c.unchanged for c in seeded.second.entities.values())
    assert created == unchanged == sum(seeded.labels_after_first.values())
    assert seeded.labels_after_first["Organization"] >= 20
    assert seeded.labels_after_first["Committee"] >= 25


async def test_the_one_transaction_reports_its_progress(seeded: Seeded) -> None:
    """`mskg load seed` draws its progress bar from these: rows written so far, class by
    class and type by type, ending at every entity and relationship of the seed."""
    assert len(seeded.progress) >= 20
    assert seeded.progress == sorted(set(seeded.progress))
    assert seeded.progress[-1] == seeded.total


async def test_no_duplicate_nodes_or_relationships(seeded: Seeded) -> None:
    records, _, _ = await seeded.driver.execute_query(
        "MATCH (n:Resource) WITH n.key AS k, count(*) AS c WHERE c > 1 RETURN k",
        database_=seeded.db,
    )
    assert records == []
    records, _, _ = await seeded.driver.execute_query(
        "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS c WHERE c > 1 RETURN a.key, t, b.key",
        database_=seeded.db,
    )
    assert records == []


async def test_every_fact_carries_a_source_and_provenance(seeded: Seeded) -> None:
    records, _, _ = await seeded.driver.execute_query(
        """
        MATCH (n:Resource) WHERE n.sources IS NULL OR size(n.sources) = 0 RETURN n.key AS k
        UNION
        MATCH (:Resource)-[r]->(:Resource) WHERE r.sources IS NULL OR size(r.sources) = 0 RETURN type(r) AS k
        """,
        database_=seeded.db,
    )
    assert records == []
    records, _, _ = await seeded.driver.execute_query(
        "MATCH (n:Resource) WHERE n.createdBy <> $actor OR n.createdAt IS NULL OR n.version <> 1 "
        "RETURN n.key",
        parameters_={"actor": SEED_ACTOR},
        database_=seeded.db,
    )
    assert records == []


async def test_every_entity_is_bilingual(seeded: Seeded) -> None:
    records, _, _ = await seeded.driver.execute_query(
        "MATCH (n:Resource) WHERE n.prefLabel_zh IS NULL OR n.prefLabel_en IS NULL RETURN n.key",
        database_=seeded.db,
    )
    assert records == []


async def keys(seeded: Seeded, key: str, rel: str, direction: Direction = "out") -> set[str]:
    return {e.key for e, _ in await related(seeded.driver, seeded.db, key, rel, direction)}


async def test_working_group_secretariat_is_cesi(seeded: Seeded) -> None:
    wg = await get_entity(seeded.driver, seeded.db, "miit-metaverse-wg")
    assert wg.cls.name == "Committee"
    assert wg.props["prefLabel_zh"] == "工业和信息化部元宇宙标准化工作组"
    assert wg.props["committeeKind"] == "MINISTRY_WORKING_GROUP"
    assert await keys(seeded, "miit-metaverse-wg", "SECRETARIAT") == {"cesi"}
    assert "miit" in await keys(seeded, "miit-metaverse-wg", "SUB_ORGANIZATION_OF")
    cesi = await get_entity(seeded.driver, seeded.db, "cesi")
    assert cesi.props["prefLabel_zh"] == "中国电子技术标准化研究院"


async def test_working_group_posts_follow_the_plan(seeded: Seeded) -> None:
    posts = [
        e for e, _ in await related(seeded.driver, seeded.db, "miit-metaverse-wg", "POST_IN", "in")
    ]
    roles = {p.props["role"] for p in posts}
    assert {
        "CHAIR",
        "VICE_CHAIR",
        "SECRETARY_GENERAL",
        "DEPUTY_SECRETARY_GENERAL",
        "MEMBER",
    } <= roles
    secretary_general = next(p for p in posts if p.props["role"] == "SECRETARY_GENERAL")
    assert await keys(seeded, secretary_general.key, "NOMINATED_FROM") == {"cesi"}
    assert "中国电子技术标准化研究院" in secretary_general.props["holderDescription_zh"]


async def test_cesi_counts_are_kept_as_sourced_properties(seeded: Seeded) -> None:
    cesi = await get_entity(seeded.driver, seeded.db, "cesi")
    assert cesi.props["domesticCounterpartCount"] == 58
    assert cesi.props["nationalTcSecretariatCount"] == 14
    assert cesi.props["nationalScSecretariatCount"] == 24
    assert "seed-plan" in cesi.props["sources"]


async def test_committee_hierarchy(seeded: Seeded) -> None:
    assert await keys(seeded, "tc28-sg4", "SUB_ORGANIZATION_OF") == {"sac-tc28"}
    assert await keys(seeded, "cesa-mwc", "SUB_ORGANIZATION_OF") == {"cesa"}
    assert await keys(seeded, "iso-iec-jseg15", "SUB_ORGANIZATION_OF") == {"iso", "iec"}
    assert "iso-iec-jtc1" in await keys(seeded, "iso-iec-jtc1-sc24", "SUB_ORGANIZATION_OF")


async def test_sac_tc28_mirrors_jtc1_as_stated(seeded: Seeded) -> None:
    mirrors = await related(seeded.driver, seeded.db, "sac-tc28", "DOMESTIC_COUNTERPART_OF")
    by_key = {e.key: props for e, props in mirrors}
    assert by_key["iso-iec-jtc1"]["evidence"] == "STATED"
    assert by_key["iso-iec-jtc1"]["sources"]
    tc590 = {
        e.key: p
        for e, p in await related(seeded.driver, seeded.db, "sac-tc590", "DOMESTIC_COUNTERPART_OF")
    }
    assert tc590["iso-tc307"]["evidence"] == "ADOPTION_PRACTICE"


async def test_four_demand_directions_are_bilingual_top_concepts(seeded: Seeded) -> None:
    expected = {
        "concept-foundational-standards": "基础标准",
        "concept-key-technologies": "关键技术",
        "concept-application-implementation": "应用实施",
        "concept-technology-governance": "技术治理",
    }
    for key, zh in expected.items():
        concept = await get_entity(seeded.driver, seeded.db, key)
        assert concept.props["prefLabel_zh"] == zh
        assert concept.props["prefLabel_en"]
        assert concept.props["conceptKind"] == "DEMAND_DIRECTION"
        assert await keys(seeded, key, "TOP_CONCEPT_OF") == {"scheme-demand-directions"}
    narrower = await keys(seeded, "concept-foundational-standards", "BROADER", "in")
    labels = {
        (await get_entity(seeded.driver, seeded.db, k)).props["prefLabel_zh"] for k in narrower
    }
    assert {"术语", "参考架构"} <= labels


async def test_idt_adoption_of_iso_22739(seeded: Seeded) -> None:
    records, _, _ = await seeded.driver.execute_query(
        "MATCH (d)-[a:ADOPTS]->(i:Standard) WHERE i.designation STARTS WITH 'ISO 22739' "
        "RETURN d.designation AS d, a.degree AS degree",
        database_=seeded.db,
    )
    assert [(r["d"], r["degree"]) for r in records] == [("20210929-T-469", "IDT")]


@pytest.mark.parametrize("text", ["区块链", "blockchain"])
async def test_fulltext_finds_sac_tc590(seeded: Seeded, text: str) -> None:
    hits = await search(seeded.driver, seeded.db, text, limit=20)
    by_key = {h.entity.key: h for h in hits}
    assert "sac-tc590" in by_key
    assert by_key["sac-tc590"].field == ("prefLabel_zh" if text == "区块链" else "prefLabel_en")
    assert hits == sorted(hits, key=lambda h: -h.score)
    committees = await search(seeded.driver, seeded.db, text, classes=["Committee"], limit=3)
    assert "sac-tc590" in {h.entity.key for h in committees}


async def test_fulltext_treats_user_text_as_text(seeded: Seeded) -> None:
    hits = await search(seeded.driver, seeded.db, "SAC/TC590", limit=5)
    assert hits[0].entity.key == "sac-tc590"
    committees = await search(
        seeded.driver, seeded.db, "标准化技术委员会", classes=["Committee"], limit=50
    )
    assert committees
    assert all(h.entity.cls.name == "Committee" for h in committees)


async def export_graph(seeded: Seeded) -> Graph:
    graph = Graph()
    async for triple in export_triples(seeded.driver, seeded.db, BASE):
        graph.add(triple)
    return graph


async def test_seed_rdf_conforms_to_the_shapes(seeded: Seeded) -> None:
    graph = await export_graph(seeded)
    assert len(graph) > 1000
    assert validate(graph) == []


async def test_broken_record_is_reported_naming_node_and_property(seeded: Seeded) -> None:
    # Written around the validators on purpose, as a faulty import or manual edit would.
    await seeded.driver.execute_query(
        "CREATE (:Resource:Committee {key: 'broken-tc', iri: $iri, committeeKind: 'BOGUS', "
        "sources: ['seed-plan']})",
        parameters_={"iri": f"{BASE}id/committee/broken-tc"},
        database_=seeded.db,
    )
    try:
        violations = validate(await export_graph(seeded))
    finally:
        await seeded.driver.execute_query(
            "MATCH (n {key: 'broken-tc'}) DETACH DELETE n", database_=seeded.db
        )
    focus = f"{BASE}id/committee/broken-tc"
    paths = {v.path for v in violations if v.focus_node == focus}
    assert paths == {
        "https://w3id.org/mskg/ontology#committeeKind",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    }
    assert all(v.focus_node == focus for v in violations)
