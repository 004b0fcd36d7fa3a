"""A whole-graph N-Triples or N-Quads file written by several processes at once.

Reading records from Neo4j, mapping them to triples and formatting lines is CPU-bound Python,
so threads cannot share it out. The export plan (one statement per class and relationship type,
then the revision log) is cut into consecutive parts of about equal work; the calling process
writes the first part as usual while helper processes each write one of the others to a
temporary file, which is then copied out in order. The bytes are those of a one-process export:
the same statements in the same order, and the agents named anywhere typed once at the end.

Helpers are started with `spawn` (a fork of a process running threads may inherit a held lock)
and killed if the export stops early; a helper's failure fails the export with its error.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any, Protocol

from graph.driver import Connection
from graph.gateway import Policy
from graph.rdf_export import ExportBatch, batch_triples, part_batches, split_plan
from ontology.rdf_terms import NTRIPLES

_COPY_CHUNK = 1 << 20


class LineWriter(Protocol):
    stopped: bool

    def write(self, data: bytes) -> int: ...


class StoppedError(Exception):
    """The reader went away: the export unwinds."""


@dataclass(frozen=True)
class Helpers:
    """How many processes write a lines-format export, and how they reach Neo4j."""

    processes: int
    policy: Policy
    connection: Connection


def write_lines(
    base: str, reveal: bool, batches: Iterator[ExportBatch], writer: LineWriter, agents: set[str]
) -> None:
    """The N-Triples lines of `batches`, adding the agents they name to `agents`."""
    for batch in batches:
        if writer.stopped:
            raise StoppedError
        writer.write("".join(batch_triples(base, batch, reveal, NTRIPLES, agents)).encode())


class _File:
    stopped = False

    def __init__(self, path: Path) -> None:
        self.handle = path.open("wb")

    def write(self, data: bytes) -> int:
        return self.handle.write(data)


def _helper(
    policy: Policy,
    connection: Connection,
    part: tuple[int, int],
    base: str,
    reveal: bool,
    path: str,
    result: Pipe,
) -> None:
    """A helper process: one part of the plan into `path`; its agents, or its error, to
    `result`."""
    agents: set[str] = set()
    try:
        out = _File(Path(path))
        with out.handle:
            write_lines(base, reveal, part_batches(policy, connection, range(*part)), out, agents)
    except BaseException as exc:
        try:
            result.send(("error", exc))
        except Exception:  # an exception that does not pickle: its text does
            result.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        return
    result.send(("ok", sorted(agents)))


def write_parallel(
    helpers: Helpers, base: str, reveal: bool, writer: LineWriter, agents: set[str]
) -> None:
    """The lines of the whole plan (not the closing agent types) into `writer`, the first part
    written here and each other part by a helper process."""
    parts = split_plan(helpers.policy, helpers.connection, helpers.processes)
    context = multiprocessing.get_context("spawn")
    started: list[tuple[Any, Pipe, Path]] = []
    with tempfile.TemporaryDirectory(prefix="mskg-export-") as tmp:
        try:
            for number, part in enumerate(parts[1:], start=1):
                receive, send = context.Pipe(duplex=False)
                path = Path(tmp) / f"part-{number}.nt"
                args = (helpers.policy, helpers.connection, (part.start, part.stop), base, reveal)
                process = context.Process(target=_helper, args=(*args, str(path), send))
                process.start()
                send.close()
                started.append((process, receive, path))
            first = part_batches(helpers.policy, helpers.connection, parts[0])
            try:
                write_lines(base, reveal, first, writer, agents)
            finally:
                first.close()
            for process, receive, path in started:
                try:
                    status, value = receive.recv()
                except EOFError:
                    process.join()
                    raise RuntimeError(
                        f"an export helper process ended with exit code {process.exitcode}"
                    ) from None
                if status == "error":
                    raise value
                agents.update(value)
                process.join()
                with path.open("rb") as part_file:
                    while chunk := part_file.read(_COPY_CHUNK):
                        if writer.stopped:
                            raise StoppedError
                        writer.write(chunk)
        finally:
            for process, receive, _ in started:
                if process.is_alive():
                    process.kill()
                with contextlib.suppress(Exception):
                    process.join()
                receive.close()
