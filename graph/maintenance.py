"""Whole-database operations: emptying a database (tests, replays, round-trip checks)."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from graph import tallies
from graph.gateway import autocommit, read
from graph.records import native_tree
from ontology import RESOURCE_LABEL


async def clear_database(driver: AsyncDriver, database: str) -> None:
    """Delete every node and relationship, in batches so large graphs fit in memory."""
    await autocommit(
        driver, database, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
    )
    # Nothing left to count: the (empty) tallies are current, so groupings may read them.
    await tallies.mark_current(driver, database)


async def snapshot(driver: AsyncDriver, database: str) -> dict[str, Any]:
    """Every resource node and relationship with all stored properties, keyed for comparison
    (revisions, accounts and sequences excluded)."""
    nodes = await read(
        driver,
        database,
        f"MATCH (n:{RESOURCE_LABEL}) RETURN n.key AS k, labels(n) AS l, properties(n) AS p",
        bulk=True,
    )
    rels = await read(
        driver,
        database,
        f"MATCH (a:{RESOURCE_LABEL})-[r]->(b:{RESOURCE_LABEL}) "
        "RETURN type(r) AS t, a.key AS a, b.key AS b, properties(r) AS p",
        bulk=True,
    )
    return {
        "nodes": {r["k"]: (sorted(r["l"]), native_tree(r["p"])) for r in nodes},
        "relationships": {(r["t"], r["a"], r["b"]): native_tree(r["p"]) for r in rels},
    }
