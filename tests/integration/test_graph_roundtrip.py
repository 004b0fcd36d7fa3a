from __future__ import annotations

import pytest

from graph.driver import AsyncDriver, Connection, ping
from graph.errors import NotFoundError
from graph.resources import get_resource, upsert_resource


async def test_node_written_and_read_back_over_bolt(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    iri = "https://w3id.org/mskg/id/committee/sac-tc28"
    stored = await upsert_resource(
        empty_graph, db, iri, {"prefLabel_zh": "全国信息技术标准化技术委员会"}
    )
    assert stored["iri"] == iri
    again = await get_resource(empty_graph, db, iri)
    assert again["prefLabel_zh"] == "全国信息技术标准化技术委员会"


async def test_iri_is_unique(empty_graph: AsyncDriver, neo4j_connection: Connection) -> None:
    db = neo4j_connection.database
    await upsert_resource(empty_graph, db, "urn:x:1", {"n": 1})
    await upsert_resource(empty_graph, db, "urn:x:1", {"n": 2})
    records, _, _ = await empty_graph.execute_query(
        "MATCH (n:Resource {iri: 'urn:x:1'}) RETURN count(n) AS c, max(n.n) AS n", database_=db
    )
    assert (records[0]["c"], records[0]["n"]) == (1, 2)
    constraints, _, _ = await empty_graph.execute_query(
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type", database_=db
    )
    assert {
        "name": "resource_iri",
        "labelsOrTypes": ["Resource"],
        "properties": ["iri"],
        "type": "UNIQUENESS",
    } in [dict(c) for c in constraints]


async def test_missing_resource_is_not_found(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    with pytest.raises(NotFoundError, match="urn:none"):
        await get_resource(empty_graph, neo4j_connection.database, "urn:none")


async def test_ping_reports_server_version(
    driver: AsyncDriver, neo4j_connection: Connection
) -> None:
    agent = await ping(driver, neo4j_connection.database)
    assert agent.startswith("Neo4j/5.26.")
