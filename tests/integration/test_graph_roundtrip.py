from __future__ import annotations

import pytest

from graph.changes import EntityStep, apply_changes
from graph.driver import AsyncDriver, Connection, ping
from graph.entities import get_entity
from graph.errors import ConflictError, NotFoundError

BASE = "https://w3id.org/mskg/"


def committee(key: str, zh: str) -> EntityStep:
    return EntityStep("create", "Committee", key, {"prefLabel_zh": zh, "prefLabel_en": "Test"})


async def test_node_written_and_read_back_over_bolt(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await apply_changes(
        empty_graph, db, BASE, [committee("sac-tc28", "全国信息技术标准化技术委员会")], "t"
    )
    stored = await get_entity(empty_graph, db, "sac-tc28")
    assert stored.iri == f"{BASE}id/committee/sac-tc28"
    assert stored.cls.name == "Committee"
    assert stored.props["prefLabel_zh"] == "全国信息技术标准化技术委员会"


async def test_keys_and_iris_are_unique(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await apply_changes(empty_graph, db, BASE, [committee("x-1", "一")], "t")
    with pytest.raises(ConflictError, match="already exists"):
        await apply_changes(empty_graph, db, BASE, [committee("x-1", "二")], "t")
    records, _, _ = await empty_graph.execute_query(
        "MATCH (n:Resource {key: 'x-1'}) RETURN count(n) AS c, max(n.prefLabel_zh) AS zh",
        database_=db,
    )
    assert (records[0]["c"], records[0]["zh"]) == (1, "一")
    constraints, _, _ = await empty_graph.execute_query(
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type", database_=db
    )
    shown = [dict(c) for c in constraints]
    for name, prop in (("resource_iri", "iri"), ("resource_key", "key")):
        assert {
            "name": name,
            "labelsOrTypes": ["Resource"],
            "properties": [prop],
            "type": "UNIQUENESS",
        } in shown


async def test_missing_entity_is_not_found(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    with pytest.raises(NotFoundError, match="no-such-key"):
        await get_entity(empty_graph, neo4j_connection.database, "no-such-key")


async def test_ping_reports_server_version(
    driver: AsyncDriver, neo4j_connection: Connection
) -> None:
    agent = await ping(driver, neo4j_connection.database)
    assert agent.startswith("Neo4j/5.26.")
