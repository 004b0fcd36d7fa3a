"""Entry point of the `mskg` console script."""

from __future__ import annotations

import threading
from typing import Any

import typer

from config.settings import Settings
from mskg.cli import load_cmd, neo4j_cmd, ontology_cmd, sparql_cmd, user_cmd
from mskg.cli.export_cmd import export_command
from mskg.cli.generate_cmd import generate_command
from mskg.cli.graphql_cmd import print_schema
from mskg.cli.local import local_fuseki, with_connection, with_sparql
from mskg.cli.recount_cmd import recount_command
from mskg.cli.validate_cmd import validate_command
from mskg.cli.workers import hand_over

app = typer.Typer(
    help="MSKG — the Metaverse Standards Knowledge Graph (Neo4j, GraphQL, RDF).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(neo4j_cmd.app, name="neo4j")
app.add_typer(sparql_cmd.app, name="sparql")
app.add_typer(load_cmd.app, name="load")
app.add_typer(ontology_cmd.app, name="ontology")
app.add_typer(user_cmd.app, name="user")
app.command(name="validate")(validate_command)
app.command(name="graphql-schema")(print_schema)
app.command(name="export")(export_command)
app.command(name="generate")(generate_command)
app.command(name="recount")(recount_command)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Listen address [default: MSKG_HOST or 127.0.0.1]"),
    port: int | None = typer.Option(None, help="Listen port [default: MSKG_PORT or 8000]"),
    workers: int = typer.Option(
        1,
        min=1,
        help="API processes sharing the port (each with its own Neo4j driver); `make run` uses "
        "one per core",
    ),
) -> None:
    """Serve the API (GraphQL at /graphql, probes at /healthz and /readyz) under uvicorn."""
    import uvicorn

    from api.app import create_app

    settings = with_connection(Settings())
    if settings.sparql_url is None:
        # The local Fuseki: restarted within a second or so if it dies (until `mskg sparql stop`).
        local_fuseki(settings).supervise(threading.Event())
        settings = with_sparql(settings)
    options: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level,
        "proxy_headers": True,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    hand_over(settings)
    uvicorn.run("mskg.cli.workers:app", factory=True, workers=workers, **options)


if __name__ == "__main__":
    app()
