"""`mskg sparql …`: the local Apache Jena Fuseki server that holds the SPARQL store."""

from __future__ import annotations

import typer
from rich.console import Console

from config.settings import Settings
from mskg.cli.local import local_fuseki
from sparql_local.server import FusekiError, jena_version

app = typer.Typer(
    help="Run a local Apache Jena Fuseki server (from Maven Central) for /sparql. The API keeps "
    "its store current from the revision log. Not needed when MSKG_SPARQL_URL points at your "
    "own Fuseki.",
    no_args_is_help=True,
)
err = Console(stderr=True)


def _external_note(settings: Settings) -> bool:
    if settings.sparql_url is not None:
        err.print(
            f"[yellow]MSKG_SPARQL_URL is set ({settings.sparql_url}); the local server is not used.[/]"
        )
        return True
    return False


@app.command()
def start() -> None:
    """Start the local server (or reuse the running one) and print its dataset URL.

    `mskg serve` restarts it if it dies, until `mskg sparql stop`."""
    settings = Settings()
    if _external_note(settings):
        return
    server = local_fuseki(settings)
    try:
        with err.status("Starting Fuseki…") as status:
            result, started = server.start(on_progress=lambda msg: status.update(msg))
    except FusekiError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    verb = "started" if started else "already running"
    err.print(f"Fuseki {jena_version()} {verb} (pid {result.pid}), data in {server.home / 'tdb2'}")
    print(result.url)


@app.command()
def stop() -> None:
    """Stop the local server started by `mskg sparql start` (it then stays stopped)."""
    settings = Settings()
    if _external_note(settings):
        return
    stopped = local_fuseki(settings).stop()
    err.print("Fuseki stopped" if stopped else "Fuseki was not running")


@app.command()
def status() -> None:
    """Say whether the local server runs, with its URL. Exit code 3 when stopped."""
    settings = Settings()
    if _external_note(settings):
        return
    state = local_fuseki(settings).status()
    if state.running:
        print(f"running (pid {state.pid}) {state.url}")
        return
    print(f"stopped {state.url}")
    raise typer.Exit(3)
