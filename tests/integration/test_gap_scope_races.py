"""Marks of the relevant scope (graph.gap_scope) under writes racing on one item.

An item with many relationships (Neo4j's "dense" nodes, 50 and more) is not locked when a
relationship of it is created or deleted, so two transactions can each decide its mark from
their own view of it. The refresh locks the item first: the second decides after the first
has committed, and the mark ends as a rebuild from scratch would make it.
"""

from __future__ import annotations

import asyncio

from graph.driver import AsyncDriver, Connection
from graph.gap_scope import rebuild, refresh
from graph.gateway import Tx, read, write
from tests.conftest import gap_scope_marks

ITEM = "race-item"
SETUP = """
CREATE (x:Resource:Standard {key: $item, sources: ['src-relaton-iso']})
CREATE (x)-[:ABOUT]->(:Resource:Concept {key: 'race-concept-1'})
CREATE (:Resource:Concept {key: 'race-concept-2'})
WITH x UNWIND range(1, 60) AS i
CREATE (:Resource:Standard {key: 'race-citing-' + i, sources: ['src-relaton-iso']})-[:REFERENCES]->(x)
"""
UNLINK = "MATCH (:Resource {key: $item})-[r:ABOUT]->(:Resource {key: 'race-concept-1'}) DELETE r"
LINK = (
    "MATCH (x:Resource {key: $item}), (c:Resource {key: 'race-concept-2'}) CREATE (x)-[:ABOUT]->(c)"
)


async def _run(tx: Tx, statement: str) -> None:
    await (await tx.run(statement, {"item": ITEM})).consume()


async def test_a_link_made_while_another_is_removed_leaves_the_item_marked(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    driver, db = empty_graph, neo4j_connection.database
    await write(driver, db, SETUP, {"item": ITEM})
    await rebuild(driver, db)
    assert await gap_scope_marks(driver, db) == {ITEM}  # about a concept: in scope

    async with driver.session(database=db) as first, driver.session(database=db) as second:
        # The first write removes the item's only link to a concept and unmarks it, not yet
        # committed; the second links it to another concept meanwhile.
        unlinking = await first.begin_transaction()
        await _run(Tx(unlinking), UNLINK)
        await refresh(Tx(unlinking), [ITEM])

        async def link() -> None:
            linking = await second.begin_transaction()
            await _run(Tx(linking), LINK)
            await refresh(Tx(linking), [ITEM])
            await linking.commit()

        linked = asyncio.create_task(link())
        await asyncio.sleep(1.5)  # time for the second to finish, were it not held back
        await unlinking.commit()
        await asyncio.wait_for(linked, 30)

    about = await read(
        driver, db, "MATCH (:Resource {key: $item})-[:ABOUT]->(c) RETURN c.key AS c", {"item": ITEM}
    )
    assert [row["c"] for row in about] == ["race-concept-2"]
    assert await gap_scope_marks(driver, db) == {ITEM}, (
        "the item is about a concept: it must be marked"
    )
