"""`mskg neo4j …`: the local Neo4j Community server."""

from __future__ import annotations

import shlex

import typer
from rich.console import Console

from config.settings import Settings
from mskg.cli.local import local_server
from neo4j_local.server import LocalServerError, neo4j_version

app = typer.Typer(
    help="Run a local Neo4j Community server (from Maven Central) for development and tests. "
    "Not needed when NEO4J_URI points at your own Neo4j.",
    no_args_is_help=True,
)
err = Console(stderr=True)


def _external_note(settings: Settings) -> bool:
    if settings.neo4j_uri is not None:
        err.print(
            f"[yellow]NEO4J_URI is set ({settings.neo4j_uri}); the local server is not used.[/]"
        )
        return True
    return False


@app.command()
def start() -> None:
    """Start the local server (or reuse the running one) and print its bolt:// URI."""
    settings = Settings()
    if _external_note(settings):
        return
    server = local_server(settings)
    try:
        with err.status("Starting Neo4j…") as status:
            result, started = server.start(on_progress=lambda msg: status.update(msg))
    except LocalServerError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    verb = "started" if started else "already running"
    err.print(f"Neo4j {neo4j_version()} {verb} (pid {result.pid}), data in {server.home / 'data'}")
    print(result.uri)


@app.command()
def stop() -> None:
    """Stop the local server started by `mskg neo4j start` (only that process)."""
    settings = Settings()
    if _external_note(settings):
        return
    stopped = local_server(settings).stop()
    err.print("Neo4j stopped" if stopped else "Neo4j was not running")


@app.command()
def status() -> None:
    """Say whether the local server runs, with its URI. Exit code 3 when stopped."""
    settings = Settings()
    if _external_note(settings):
        return
    state = local_server(settings).status()
    if state.running:
        print(f"running (pid {state.pid}) {state.uri}")
        return
    print(f"stopped {state.uri}")
    raise typer.Exit(3)


@app.command()
def env() -> None:
    """Print the connection as shell exports: eval "$(mskg neo4j env)"."""
    settings = Settings()
    if settings.neo4j_uri is not None:
        uri, user = settings.neo4j_uri, settings.neo4j_user
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    else:
        server = local_server(settings)
        uri, user, password = server.options.uri, "neo4j", server.password()
    print(f"export NEO4J_URI={shlex.quote(uri)}")
    print(f"export NEO4J_USER={shlex.quote(user)}")
    print(f"export NEO4J_PASSWORD={shlex.quote(password)}")
    print(f"export NEO4J_DATABASE={shlex.quote(settings.neo4j_database)}")
