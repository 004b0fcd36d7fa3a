"""`mskg export`: the whole graph as RDF."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from api.app import connection_from, policy_from
from config.settings import Settings
from graph.driver import open_driver
from graph.errors import GraphError
from graph.rdf_export import blocking_batches
from graph.rdf_formats import FORMATS, serialize_export
from mskg.cli.local import with_connection

err = Console(stderr=True)


def export_command(
    format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "turtle",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: standard output)."),
    ] = None,
) -> None:
    """Export the whole graph as RDF, streamed (memory stays bounded on large graphs)."""
    if format not in FORMATS:
        err.print(f"[red]error:[/] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = with_connection(Settings())
    connection = connection_from(settings)

    async def run() -> None:
        driver = open_driver(connection, policy_from(settings))
        handle = output.open("wb") if output else sys.stdout.buffer
        try:
            chunks = serialize_export(
                lambda: blocking_batches(driver, connection),
                FORMATS[format],
                settings.base_iri,
                reveal=True,
            )
            async for chunk in chunks:
                handle.write(chunk)
        finally:
            if output:
                handle.close()
            await driver.close()

    try:
        asyncio.run(run())
    except GraphError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    if output:
        err.print(f"wrote {output}")
