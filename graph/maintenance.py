"""Whole-database operations: emptying a database (tests, replays, round-trip checks)."""

from __future__ import annotations

from neo4j import AsyncDriver


async def clear_database(driver: AsyncDriver, database: str) -> None:
    """Delete every node and relationship, in batches so large graphs fit in memory."""
    # CALL … IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    async with driver.session(database=database) as session:
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()
