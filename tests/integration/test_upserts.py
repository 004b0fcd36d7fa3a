"""The batched upserts every loader writes through (graph.upserts), against the real Neo4j: one
statement serves every class and one every relationship type, with the class, type, domain and
range as parameters, so each class gets its label, each type its relationship, and the checks
of classes and ends still refuse what the ontology does not allow, writing nothing. Those
parameters need Neo4j 5.26, which the schema step checks first."""

from __future__ import annotations

import os

import pytest

from graph.driver import AsyncDriver, Connection
from graph.errors import IntegrityError
from graph.gateway import read
from graph.schema import check_server_version, server_version, version_problem
from graph.upserts import EntityRow, RelationRow, upsert_graph
from neo4j_local.server import neo4j_version

BASE = "https://w3id.org/mskg/id/"


def _entity(cls: str, key: str) -> EntityRow:
    return EntityRow(key, f"{BASE}{cls.lower()}/{key}", {"prefLabel_en": key, "prefLabel_zh": key})


async def _state(driver: AsyncDriver, db: str) -> tuple[list[tuple[str, list[str]]], list[str]]:
    nodes = await read(
        driver, db, "MATCH (n:Resource) RETURN n.key AS k, labels(n) AS l ORDER BY k"
    )
    rels = await read(
        driver, db,
        "MATCH (a:Resource)-[r]->(b:Resource) RETURN a.key + ' ' + type(r) + ' ' + b.key AS r ORDER BY r",
    )  # fmt: skip
    return [(n["k"], sorted(n["l"])) for n in nodes], [r["r"] for r in rels]


async def test_each_class_and_type_is_written_and_a_second_run_changes_nothing(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    driver, db = empty_graph, neo4j_connection.database
    entities = {
        "Committee": [_entity("Committee", "up-tc"), _entity("Committee", "up-sc")],
        "Standard": [_entity("Standard", "up-std")],
        "Concept": [_entity("Concept", "up-concept")],
    }
    relations = {
        "DEVELOPED_BY": [RelationRow("up-std", "up-sc", {})],
        "ABOUT": [RelationRow("up-std", "up-concept", {})],
        "SUB_ORGANIZATION_OF": [RelationRow("up-sc", "up-tc", {})],
    }
    report = await upsert_graph(driver, db, entities, relations, "tester")
    assert {c: r.created for c, r in report.entities.items()} == {
        "Committee": 2, "Standard": 1, "Concept": 1,
    }  # fmt: skip
    assert {t: r.created for t, r in report.relations.items()} == {
        "DEVELOPED_BY": 1, "ABOUT": 1, "SUB_ORGANIZATION_OF": 1,
    }  # fmt: skip
    nodes, rels = await _state(driver, db)
    assert nodes == [
        ("up-concept", ["Concept", "Resource"]),
        ("up-sc", ["Committee", "Resource"]),
        ("up-std", ["Resource", "Standard"]),
        ("up-tc", ["Committee", "Resource"]),
    ]
    assert rels == [
        "up-sc SUB_ORGANIZATION_OF up-tc",
        "up-std ABOUT up-concept",
        "up-std DEVELOPED_BY up-sc",
    ]
    again = await upsert_graph(driver, db, entities, relations, "tester")
    assert all(r.created == r.updated == 0 for r in again.entities.values())
    assert all(r.created == r.updated == 0 for r in again.relations.values())
    assert await _state(driver, db) == (nodes, rels)


async def test_a_key_of_another_class_and_a_wrong_end_are_refused_and_nothing_is_written(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    driver, db = empty_graph, neo4j_connection.database
    await upsert_graph(
        driver, db,
        {"Committee": [_entity("Committee", "up-tc")], "Concept": [_entity("Concept", "up-concept")]},
        {}, "tester",
    )  # fmt: skip
    before = await _state(driver, db)

    with pytest.raises(IntegrityError, match="not a Standard: up-tc"):
        await upsert_graph(
            driver, db,
            {"Standard": [_entity("Standard", "up-new"), _entity("Standard", "up-tc")]},
            {}, "tester",
        )  # fmt: skip
    # A concept does not develop anything (DEVELOPED_BY's range is bodies), and no node has
    # the key `up-missing`.
    for start, end in (("up-new", "up-concept"), ("up-new", "up-missing")):
        with pytest.raises(IntegrityError, match=f"DEVELOPED_BY needs .*{start} -> {end}"):
            await upsert_graph(
                driver, db,
                {"Standard": [_entity("Standard", "up-new")]},
                {"DEVELOPED_BY": [RelationRow(start, end, {})]},
                "tester",
            )  # fmt: skip
    assert await _state(driver, db) == before


async def test_the_server_reports_a_version_that_can_run_these_statements(
    driver: AsyncDriver, neo4j_connection: Connection
) -> None:
    version = await server_version(driver, neo4j_connection.database)
    assert version is not None
    if not os.environ.get("NEO4J_URI"):  # the suite's own server: the pinned release
        assert version == neo4j_version()
    assert version_problem(version) is None
    await check_server_version(driver, neo4j_connection.database)
