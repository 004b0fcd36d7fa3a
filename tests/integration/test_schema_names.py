"""Neo4j knows every name the ontology declares, so a query asking for a property no entity
has yet draws no warning — and one asking for a name the ontology does not declare still does."""

from __future__ import annotations

from neo4j import AsyncDriver

from graph.driver import Connection
from graph.schema import apply_schema


async def _warnings(driver: AsyncDriver, database: str, query: str) -> list[str]:
    async with driver.session(database=database, notifications_min_severity="WARNING") as session:
        result = await session.run(query)
        summary = await result.consume()
    return [
        status.status_description
        for status in summary.gql_status_objects
        if status.gql_status.startswith("01")  # warnings (00: success, 02: no data)
    ]


async def test_declared_names_draw_no_warning_undeclared_ones_do(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await apply_schema(empty_graph, db)
    declared = (
        "MATCH (n:PolicyDocument)-[r:ADOPTS]->(m:StageEvent) "
        "RETURN n.callsFor_ar, n.description_es, r.degree, m.reached LIMIT 1"
    )
    assert await _warnings(empty_graph, db, declared) == []
    undeclared = "MATCH (n:Standard)-[:NO_SUCH_TYPE]->(m) RETURN n.noSuchProperty LIMIT 1"
    warnings = await _warnings(empty_graph, db, undeclared)
    assert any("noSuchProperty" in w for w in warnings)
    assert any("NO_SUCH_TYPE" in w for w in warnings)
    # The declaration leaves nothing behind: the one node of an empty database is the note
    # that its (no) tallies are current (graph.tallies).
    async with empty_graph.session(database=db) as session:
        left = await (await session.run("MATCH (n) RETURN labels(n) AS l")).values()
    assert left == [[["TallyState"]]]
