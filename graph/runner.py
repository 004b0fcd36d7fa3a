"""Cypher round trips per request (for tests and metrics): the gateway counts every statement it
sends — reads, writes, streams — into the counter of the current context."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RoundTrips:
    count: int = 0


_current: ContextVar[RoundTrips | None] = ContextVar("mskg_round_trips", default=None)


def start_counting() -> RoundTrips:
    """Count the round trips made from now on in this context (e.g. one GraphQL request)."""
    counter = RoundTrips()
    _current.set(counter)
    return counter


def count_round_trip() -> None:
    """One more statement sent to Neo4j in this context (a no-op outside a counted context)."""
    counter = _current.get()
    if counter is not None:
        counter.count += 1
