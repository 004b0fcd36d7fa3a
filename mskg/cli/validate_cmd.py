"""`mskg validate`: SHACL over the current graph."""

from __future__ import annotations

import asyncio

import typer
from rdflib import Graph
from rich.console import Console

from api.connection import connection_from, policy_from
from config.settings import Settings
from graph.driver import open_driver
from graph.rdf_export import export_triples
from mskg.cli.local import with_connection
from ontology.shacl import Violation, validate

err = Console(stderr=True)


def validate_command() -> None:
    """Run the SHACL shapes over the whole graph and print every violation (exit 1 if any)."""
    settings = with_connection(Settings())
    connection = connection_from(settings)

    async def run() -> list[Violation]:
        driver = open_driver(connection, policy_from(settings))
        try:
            graph = Graph()
            async for triple in export_triples(driver, connection.database, settings.base_iri):
                graph.add(triple)
        finally:
            await driver.close()
        err.print(f"Validating {len(graph)} triples against the SHACL shapes…")
        return validate(graph)

    violations = asyncio.run(run())
    for violation in violations:
        print(violation)
    if violations:
        err.print(f"[red]{len(violations)} violation(s)[/]")
        raise typer.Exit(1)
    err.print("[green]The graph conforms to the shapes.[/]")
