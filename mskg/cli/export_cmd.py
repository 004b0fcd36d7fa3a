"""`mskg export`: the whole graph as RDF."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from api.connection import connection_from, policy_from
from config.settings import Settings
from graph.driver import open_driver
from graph.errors import GraphError
from graph.rdf_export import blocking_batches
from graph.rdf_formats import FORMATS, write_export
from graph.rdf_parts import Helpers
from mskg.cli.local import with_connection

err = Console(stderr=True)


def export_command(
    format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "turtle",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: standard output)."),
    ] = None,
    processes: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes writing an N-Triples or N-Quads export at once (default: one per "
            "core, up to 4); other syntaxes are written by one.",
        ),
    ] = min(4, os.cpu_count() or 1),
) -> None:
    """Export the whole graph as RDF, streamed (memory stays bounded on large graphs)."""
    if format not in FORMATS:
        err.print(f"[red]error:[/] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = with_connection(Settings())
    connection = connection_from(settings)
    policy = policy_from(settings)

    async def run() -> None:
        driver = open_driver(connection, policy)
        handle = output.open("wb") if output else sys.stdout.buffer
        try:
            # The serializer writes straight to the file from a worker thread.
            await asyncio.to_thread(
                write_export,
                lambda: blocking_batches(driver, connection),
                FORMATS[format],
                settings.base_iri,
                True,
                handle,
                Helpers(processes, policy, connection),
            )
        finally:
            if output:
                handle.close()
            else:
                handle.flush()
            await driver.close()

    try:
        asyncio.run(run())
    except GraphError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    if output:
        err.print(f"wrote {output}")
