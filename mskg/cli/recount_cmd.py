"""`mskg recount`: rebuild what writes keep beside the graph."""

from __future__ import annotations

import asyncio

from rich.console import Console

from api.connection import connection_from, policy_from
from config.settings import Settings
from graph.derived import DerivedCounts, rebuild_derived
from graph.driver import open_driver
from mskg.cli.local import with_connection

err = Console(stderr=True)


def recount_command() -> None:
    """Rebuild the gap lists' scope marks and the kept counts (groupings by developer and
    stage) from the graph. Writes made through MSKG keep them; run this after changing the
    graph with Cypher of your own."""
    settings = with_connection(Settings())
    connection = connection_from(settings)

    async def run() -> DerivedCounts:
        driver = open_driver(connection, policy_from(settings))
        try:
            return await rebuild_derived(driver, connection.database)
        finally:
            await driver.close()

    err.print("Rebuilding the scope marks and the kept counts…")
    counts = asyncio.run(run())
    err.print(
        f"[green]{counts.scope_marks} item(s) in the gap lists' relevant scope; "
        f"{counts.counted} item(s) counted in {counts.cells} cell(s).[/]"
    )
