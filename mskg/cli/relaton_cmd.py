"""`mskg load relaton PATH...`: import published standards catalogues (Relaton YAML)."""

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
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from api.connection import connection_from
from config.settings import Settings
from graph.driver import open_driver
from graph.errors import GraphError
from graph.schema import apply_schema
from loaders.errors import LoaderError
from loaders.relaton.archive import check_paths
from loaders.relaton.run import Options, RelatonResult, import_relaton
from mskg.cli.local import with_connection

err = Console(stderr=True)


class RecordRate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} records/s" if speed else "")


def _summary(result: RelatonResult, dry_run: bool) -> Table:
    table = Table(title="Dry run — nothing written" if dry_run else "Written")
    for column in ("kind", "type", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column in ("kind", "type") else "right")
    counts = result.counts
    names = sorted(set(counts.created) | set(counts.updated) | set(counts.unchanged))
    for name in names:
        kind = "relationship" if name.isupper() else "node"
        table.add_row(
            kind,
            name,
            f"{counts.created[name]:,}",
            f"{counts.updated[name]:,}",
            f"{counts.unchanged[name]:,}",
        )
    return table


def relaton(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Relaton catalogues: .tar.xz/.tar.gz archives (read as streams), folders of "
            "YAML records, or single .yaml files."
        ),
    ],
    strict: Annotated[
        bool, typer.Option(help="Check every record first; any bad record → write nothing.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(help="Report created/changed/unchanged records; write nothing."),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where to write rejected records (JSON lines with archive, member, field, "
            "error). Default: relaton-rejects.jsonl in the working directory."
        ),
    ] = None,
    actor: Annotated[
        str, typer.Option(help="Whom the revisions are attributed to.")
    ] = "mskg-relaton",
    batch_size: Annotated[
        int, typer.Option(min=1, max=20_000, help="Records per transaction (one revision each).")
    ] = 500,
) -> None:
    """Import ISO, IEC, ITU and IEEE catalogues in the Relaton YAML format.

    Every edition becomes a Standard under its work and series, with its committee, stage, ICS
    classes and relations; seed entities with the same designation are enriched, not
    duplicated. Importing the same data again writes nothing; an interrupted import resumes
    when run again. See the README for where to get the public data."""
    problems = check_paths(paths)
    if problems:
        for problem in problems:
            err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2)
    settings = with_connection(Settings())
    connection = connection_from(settings)
    options = Options(
        actor=actor, strict=strict, dry_run=dry_run, batch_size=batch_size, rejects=rejects
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RecordRate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("Scanning", total=None)

        def on_total(total: int) -> None:
            progress.update(task, total=total, description="Importing")

        async def run() -> RelatonResult:
            driver = open_driver(connection)
            try:
                await apply_schema(driver, connection.database)
                return await import_relaton(
                    driver,
                    connection.database,
                    settings.base_iri,
                    paths,
                    options,
                    on_total=on_total,
                    on_records=lambda n: progress.advance(task, n),
                )
            finally:
                await driver.close()

        try:
            result = asyncio.run(run())
        except LoaderError as exc:
            progress.stop()
            err.print(f"[red]--strict: nothing was written.[/] {exc}")
            raise typer.Exit(1) from exc
        except GraphError as exc:
            progress.stop()
            hint = getattr(exc, "hint", "")
            err.print(f"[red]error:[/] {exc}" + (f"\n{hint}" if hint else ""))
            raise typer.Exit(1) from exc
    for reject in result.rejects[:20]:
        err.print(f"[yellow]{reject.problem()}[/]")
    if len(result.rejects) > 20:
        err.print(f"[yellow]… and {len(result.rejects) - 20} more[/]")
    err.print(_summary(result, dry_run))
    err.print(
        f"{result.records:,} records: {result.created:,} created, {result.changed:,} changed, "
        f"{result.unchanged:,} unchanged, {len(result.rejects):,} rejected, "
        f"{result.duplicates:,} duplicate copies skipped"
        + (" (dry run: nothing written)" if dry_run else ""),
        soft_wrap=True,
    )
    if result.rule_links:
        links = ", ".join(f"{k} {v:,}" for k, v in result.rule_links.most_common())
        err.print(f"Relevance links by rule: {links}", soft_wrap=True)
    if result.skipped_rules:
        err.print(
            f"[yellow]Relevance rules skipped (their concept is not in the graph — load the "
            f"seed first):[/] {', '.join(result.skipped_rules)}"
        )
    if result.rejects_file is not None:
        err.print(f"Rejected records (with the field at fault) are in {result.rejects_file}")
