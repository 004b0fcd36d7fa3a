"""`mskg generate`: the synthetic benchmark corpus, optionally loaded right away."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

err = Console(stderr=True)


def generate_command(
    scale: Annotated[
        int,
        typer.Option(
            help="Number of standards; the rest scales with it (200000 ≈ 1M relationships)."
        ),
    ] = 1000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same scale and seed give the same files.")
    ] = 1,
    out: Annotated[
        Path | None,
        typer.Option(help="Directory for the CSV files [default: MSKG_DATA_DIR/corpus-SCALE-SEED]"),
    ] = None,
    load: Annotated[
        bool,
        typer.Option("--load", help="Import the files with `mskg load csv`, in dependency order."),
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Rows per transaction when loading.")] = 1000,
) -> None:
    """Write a realistic, deterministic synthetic corpus (concepts, committees, liaison officers,
    liaisons, standards, adoptions, liaison statements) as CSV files the importer reads."""
    from config.settings import Settings
    from loaders.synthetic import KINDS, generate
    from mskg.cli.load_cmd import _import

    directory = out or Settings().data_dir / f"corpus-{scale}-{seed}"
    started = time.perf_counter()
    try:
        with err.status(f"Generating {scale:,} standards into {directory}…"):
            corpus = generate(directory, scale, seed)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    table = Table(
        title=f"Corpus (scale {scale:,}, seed {seed}) in {time.perf_counter() - started:.1f} s"
    )
    table.add_column("kind")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for kind, name in KINDS:
        table.add_row(kind, name, f"{corpus.rows[kind]:,}")
    table.add_row("", "relationships", f"{corpus.relationships:,}")
    err.print(table)
    print(directory)
    if load:
        for kind, _ in KINDS:
            _import(corpus.path(kind), kind, False, False, "mskg-generate", batch_size)
