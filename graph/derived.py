"""The data writes keep beside the graph — the gap lists' scope marks (graph.gap_scope) and the
kept counts (graph.tallies) — maintained together: every place that keeps one keeps both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import AsyncDriver

from graph import gap_scope, tallies
from graph.gateway import Tx, read, transaction

SCHEMA = (*gap_scope.SCOPE_SCHEMA, *tallies.SCHEMA)


async def refresh(tx: Tx, keys: Sequence[str]) -> None:
    """Bring both up to date for the entities with these keys (those a revision touched), in
    the write's own transaction."""
    await gap_scope.refresh(tx, keys)
    await tallies.refresh(tx, keys)


async def rebuild_in(tx: Tx) -> None:
    """Both anew from the graph, in the caller's transaction (a restore's)."""
    await gap_scope.rebuild_in(tx)
    await tallies.rebuild_in(tx)


async def rebuild_if_needed(driver: AsyncDriver, database: str) -> None:
    """At start-up: rebuild what a database written before them (or for another declaration)
    lacks."""
    await gap_scope.rebuild_if_unmarked(driver, database)
    await tallies.rebuild_if_stale(driver, database)


@dataclass(frozen=True)
class DerivedCounts:
    scope_marks: int  # items in the gap lists' relevant scope
    counted: int  # items counted in the kept groupings
    cells: int  # their (related entity, facet value) cells


async def rebuild_derived(driver: AsyncDriver, database: str) -> DerivedCounts:
    """Rebuild both from the graph (after Cypher written past MSKG, which writes do not see), in
    one transaction, and say how many there are."""
    await transaction(driver, database, rebuild_in, bulk=True)
    rows = await read(
        driver,
        database,
        f"RETURN COUNT {{ MATCH (:{gap_scope.SCOPE_LABEL}) }} AS marks, "
        f"COUNT {{ MATCH (:{tallies.ITEM_LABEL}) }} AS counted, "
        f"COUNT {{ MATCH (:{tallies.CELL_LABEL}) }} AS cells",
    )
    row = rows[0]
    return DerivedCounts(int(row["marks"]), int(row["counted"]), int(row["cells"]))
