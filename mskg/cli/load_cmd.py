"""`mskg load …`: the seed and (later) bulk imports."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from api.connection import connection_from, policy_from
from config.settings import Settings
from graph.driver import open_driver
from graph.errors import GraphError
from graph.schema import apply_schema
from graph.upserts import UpsertCounts, UpsertReport
from loaders.errors import LoaderError
from loaders.seed import load_seed, read_seed
from loaders.tabular import KINDS
from mskg.cli.failures import report_graph_failure
from mskg.cli.local import with_connection
from mskg.cli.relaton_cmd import relaton

app = typer.Typer(help="Load data into the graph.", no_args_is_help=True)
err = Console(stderr=True)
app.command(name="relaton")(relaton)


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

    total = len(data.entities) + len(data.relations)
    loading = f"Loading {len(data.entities)} entities and {len(data.relations)} relationships"

    async def run(progress: Progress, task: TaskID) -> UpsertReport:
        driver = open_driver(connection, policy_from(settings))
        try:
            await apply_schema(driver, connection.database)
            progress.update(task, description=loading)

            def advance(rows: int) -> None:
                progress.update(task, completed=rows)
                if rows >= total:
                    progress.update(task, description="Committing (and writing the revision)")

            report = await load_seed(
                driver, connection.database, settings.base_iri, data, on_progress=advance
            )
            progress.update(task, description="Seed loaded", completed=total)
            return report
        finally:
            await driver.close()

    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task("Applying the schema", total=total)
            report = asyncio.run(run(progress, task))
    except GraphError as exc:
        raise report_graph_failure(err, exc, batched=False) from exc
    err.print(summary_table(report))


class RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "")


def _import(
    path: Path, kind: str, strict: bool, dry_run: bool, actor: str, batch_size: int
) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from loaders.imports import ImportResult, import_file
    from loaders.tabular import parse

    if kind not in KINDS:
        err.print(f"[red]error:[/] --kind must be one of {', '.join(KINDS)}")
        raise typer.Exit(2)
    if not path.is_file():
        err.print(f"[red]error:[/] no file {path}")
        raise typer.Exit(2)
    settings = with_connection(Settings())
    connection = connection_from(settings)
    total = len(parse(path, kind).rows)

    async def run(progress: Progress, task: int) -> ImportResult:
        driver = open_driver(connection, policy_from(settings))
        try:
            await apply_schema(driver, connection.database)
            return await import_file(
                driver,
                connection.database,
                settings.base_iri,
                path,
                kind,
                actor,
                strict=strict,
                dry_run=dry_run,
                batch_size=batch_size,
                on_batch=lambda n: progress.advance(task, n),  # type: ignore[arg-type]
            )
        finally:
            await driver.close()

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task(f"Importing {path.name}", total=total)
            result = asyncio.run(run(progress, task))
    except LoaderError as exc:
        err.print(f"[red]--strict: nothing was written.[/] {exc}")
        raise typer.Exit(1) from exc
    except GraphError as exc:
        raise report_graph_failure(err, exc, batched=not dry_run) from exc
    for problem in result.problems[:50]:
        err.print(f"[yellow]{problem}[/]")
    if len(result.problems) > 50:
        err.print(f"[yellow]… and {len(result.problems) - 50} more problems[/]")
    table = summary_table(result.report)
    table.title = f"{'Dry run — nothing written — ' if dry_run else ''}{path.name}: {total} rows, {result.written_rows} valid"
    err.print(table)
    if result.rejects is not None:
        err.print(f"Rejected rows (with their errors) are in {result.rejects}")


KIND_HELP = f"One of: {', '.join(KINDS)} (one entity of that class per row; adoptions: one ADOPTS relationship per row)."


def _command(fmt: str) -> None:
    @app.command(
        name=fmt,
        help=f"Import a {fmt.upper()} file: one record per row (see the README for the columns).",
    )
    def command(
        path: Annotated[Path, typer.Argument(help="The file to import.")],
        kind: Annotated[str, typer.Option(help=KIND_HELP)],
        strict: Annotated[bool, typer.Option(help="Any invalid row → write nothing.")] = False,
        dry_run: Annotated[
            bool,
            typer.Option(help="Report what would be created/changed/unchanged; write nothing."),
        ] = False,
        actor: Annotated[
            str, typer.Option(help="Whom the revisions are attributed to.")
        ] = "mskg-import",
        batch_size: Annotated[
            int, typer.Option(min=1, max=50_000, help="Rows per transaction.")
        ] = 1000,
    ) -> None:
        _import(path, kind, strict, dry_run, actor, batch_size)


for _fmt in ("csv", "json", "yaml"):
    _command(_fmt)


@app.command(name="rdf")
def rdf(
    path: Annotated[
        Path,
        typer.Argument(help="An RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)."),
    ],
    syntax: Annotated[
        str | None, typer.Option("--format", help="The syntax, when the extension does not tell.")
    ] = None,
    actor: Annotated[
        str, typer.Option(help="Whom the revisions are attributed to.")
    ] = "mskg-import",
    restore_log: Annotated[
        bool,
        typer.Option(
            "--restore",
            help="Bring back an MSKG export exactly: facts, who/when bookkeeping and the revision "
            "log, writing no revision of its own. Needs an empty database.",
        ),
    ] = False,
) -> None:
    """Import RDF that follows the ontology: SHACL first (a violation writes nothing), then upsert.

    Without --restore the data is merged as a change by --actor (revisions in the file are left
    out); with --restore an export comes back as it was."""
    from loaders.rdf import RdfImport, import_rdf

    settings = with_connection(Settings())
    connection = connection_from(settings)

    async def run() -> RdfImport:
        driver = open_driver(connection, policy_from(settings))
        try:
            await apply_schema(driver, connection.database)
            return await import_rdf(
                driver, connection.database, settings.base_iri, path, actor, syntax, restore_log
            )
        finally:
            await driver.close()

    try:
        with err.status(f"Importing {path.name}…"):
            result = asyncio.run(run())
    except LoaderError as exc:
        err.print(f"[red]Nothing was written.[/] {exc}")
        raise typer.Exit(1) from exc
    except GraphError as exc:
        raise report_graph_failure(err, exc, batched=not restore_log) from exc
    if result.report is None:
        err.print(
            f"Restored {path.name}: {result.entities} entities, {result.relations} relationships, "
            f"{result.revisions} revisions"
        )
        return
    table = summary_table(result.report)
    table.title = f"{path.name}: {result.entities} entities, {result.relations} relationships"
    err.print(table)
    if result.revisions:
        err.print(
            f"{result.revisions} revisions in the file were left out (the import is a change of "
            "its own); `--restore` into an empty database brings the log back as it was"
        )
