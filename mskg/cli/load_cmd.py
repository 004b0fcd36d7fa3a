"""`mskg load …`: the seed and (later) bulk imports."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.table import Table

from api.app import connection_from
from graph.driver import open_driver
from graph.errors import GraphError
from graph.schema import apply_schema
from graph.upserts import UpsertCounts, UpsertReport
from loaders.errors import LoaderError
from loaders.seed import load_seed, read_seed
from mskg.cli.local import with_connection
from mskg.settings import Settings

app = typer.Typer(help="Load data into the graph.", no_args_is_help=True)
err = Console(stderr=True)


def summary_table(report: UpsertReport) -> Table:
    table = Table(title="Seed load")
    for column in ("kind", "type", "created", "updated", "unchanged"):
        table.add_column(
            column, justify="right" if column in ("created", "updated", "unchanged") else "left"
        )

    def add(kind: str, rows: dict[str, UpsertCounts]) -> None:
        for name, counts in sorted(rows.items()):
            table.add_row(
                kind, name, str(counts.created), str(counts.updated), str(counts.unchanged)
            )

    add("node", report.entities)
    add("relationship", report.relations)
    return table


@app.command()
def seed() -> None:
    """Load the seed graph (idempotent: a second run changes nothing)."""
    settings = with_connection(Settings())
    try:
        data = read_seed()
    except LoaderError as exc:
        err.print(f"[red]The seed files are invalid:[/]\n{exc}")
        raise typer.Exit(2) from exc
    connection = connection_from(settings)

    async def run() -> UpsertReport:
        driver = open_driver(connection)
        try:
            await apply_schema(driver, connection.database)
            return await load_seed(driver, connection.database, settings.base_iri, data)
        finally:
            await driver.close()

    try:
        with err.status(
            f"Loading {len(data.entities)} entities and {len(data.relations)} relationships…"
        ):
            report = asyncio.run(run())
    except GraphError as exc:
        hint = getattr(exc, "hint", "")
        err.print(f"[red]error:[/] {exc}" + (f"\n{hint}" if hint else ""))
        raise typer.Exit(1) from exc
    err.print(summary_table(report))
