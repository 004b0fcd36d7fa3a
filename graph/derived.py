"""The data writes keep beside the graph — the gap lists' scope marks (graph.gap_scope) and the
kept counts (graph.tallies) — rebuilt together on demand."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver

from graph import gap_scope, tallies
from graph.gateway import read


@dataclass(frozen=True)
class DerivedCounts:
    scope_marks: int  # items in the gap lists' relevant scope
    counted: int  # items counted in the kept groupings
    cells: int  # their (related entity, facet value) cells


async def rebuild_derived(driver: AsyncDriver, database: str) -> DerivedCounts:
    """Rebuild the marks and the counts from the graph (after Cypher written past MSKG, which
    writes do not see), each in one transaction, and say how many there are."""
    await gap_scope.rebuild(driver, database)
    await tallies.rebuild(driver, database)
    rows = await read(
        driver,
        database,
        f"RETURN COUNT {{ MATCH (:{gap_scope.SCOPE_LABEL}) }} AS marks, "
        f"COUNT {{ MATCH (:{tallies.ITEM_LABEL}) }} AS counted, "
        f"COUNT {{ MATCH (:{tallies.CELL_LABEL}) }} AS cells",
    )
    row = rows[0]
    return DerivedCounts(int(row["marks"]), int(row["counted"]), int(row["cells"]))
