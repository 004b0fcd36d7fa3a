"""The one gateway for reads: counts Cypher round trips per request (for tests and metrics)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired

from graph.driver import unavailable


@dataclass
class RoundTrips:
    count: int = 0


_current: ContextVar[RoundTrips | None] = ContextVar("mskg_round_trips", default=None)


def start_counting() -> RoundTrips:
    """Count the round trips made from now on in this context (e.g. one GraphQL request)."""
    counter = RoundTrips()
    _current.set(counter)
    return counter


async def read(
    driver: AsyncDriver, database: str, query: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run one read query (routed to a reader in a cluster) and return its records as dicts."""
    counter = _current.get()
    if counter is not None:
        counter.count += 1
    try:
        records, _, _ = await driver.execute_query(
            query, parameters_=params, database_=database, routing_="r"
        )
    except (ServiceUnavailable, SessionExpired, DriverError) as exc:
        raise unavailable(exc) from exc
    return [record.data() for record in records]
