"""Constraints and indexes, applied idempotently (every statement uses IF NOT EXISTS)."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, ServiceUnavailable

from graph.driver import unavailable
from ontology import RESOURCE_LABEL

# Every resource node, whatever its class, carries the shared label and a unique IRI
# (the neosemantics convention): the RDF export and the Linked Data routes look nodes up by it.
BASE_STATEMENTS: tuple[str, ...] = (
    f"CREATE CONSTRAINT resource_iri IF NOT EXISTS "
    f"FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE",
)


def schema_statements() -> tuple[str, ...]:
    """All schema statements MSKG needs, in the order they must run."""
    return BASE_STATEMENTS


async def apply_schema(
    driver: AsyncDriver, database: str, statements: Sequence[str] | None = None
) -> int:
    """Apply the schema statements; return how many ran. Safe to call on every start-up."""
    todo = schema_statements() if statements is None else tuple(statements)
    try:
        for statement in todo:
            # Schema commands cannot share a transaction with each other; each runs on its own.
            await driver.execute_query(statement, database_=database)
        await driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    except (ServiceUnavailable, DriverError, OSError) as exc:
        raise unavailable(exc) from exc
    return len(todo)
