"""Whole-graph RDF files in every common syntax, streamed with bounded memory.

pyoxigraph's streaming serializers write each syntax (Turtle and TriG with prefixes, N-Triples,
N-Quads, JSON-LD, RDF/XML) from an iterator of triples as one document; rdflib's writers need
the whole graph in memory and run ~10x slower. The serializer runs in a worker thread: it pulls
batches of stored records that the event loop reads from Neo4j, builds the batch's terms there
(the mapping is CPU-bound too), and hands the bytes back. Both hand-overs go through small
bounded queues, so a slow reader slows the export down instead of filling memory, and a reader
that goes away stops the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

import pyoxigraph as ox

from graph.rdf_export import ExportBatch, agent_triples, batch_triples
from graph.rdf_parts import Helpers, LineWriter, StoppedError, write_lines, write_parallel
from ontology.namespaces import PREFIXES
from ontology.rdf_terms import NTRIPLES, OXIGRAPH


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    # rdflib's writer, for small graphs (one entity's description). N-Triples lines are valid
    # N-Quads (in the default graph); rdflib's nquads writer needs a dataset.
    rdflib: str
    oxigraph: ox.RdfFormat

    @property
    def lines(self) -> bool:
        """One triple per line, no prefixes (N-Triples; N-Quads in the default graph): written
        as text without term objects, since pyoxigraph's writer would produce the same bytes."""
        return self.oxigraph in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)

    @property
    def quads(self) -> bool:
        """The syntax holds a dataset (triples go in its default graph)."""
        return self.oxigraph in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", "turtle", ox.RdfFormat.TURTLE),
        Format("trig", "application/trig", "trig", "trig", ox.RdfFormat.TRIG),
        Format("ntriples", "application/n-triples", "nt", "nt", ox.RdfFormat.N_TRIPLES),
        Format("nquads", "application/n-quads", "nq", "nt", ox.RdfFormat.N_QUADS),
        Format("jsonld", "application/ld+json", "jsonld", "json-ld", ox.RdfFormat.JSON_LD),
        Format("rdfxml", "application/rdf+xml", "rdf", "xml", ox.RdfFormat.RDF_XML),
    )
}
MEDIA_TYPES = {f.media_type: f for f in FORMATS.values()}

_QUEUE_DEPTH = 4  # byte chunks of 64 KiB waiting for the reader
_DONE = object()


class _Writer:
    """The file the serializer writes to: every 64 KiB is handed to the event loop, the
    thread (not the loop) waiting while the reader is behind."""

    def __init__(self, loop: asyncio.AbstractEventLoop, out: asyncio.Queue[Any]) -> None:
        self.loop, self.out = loop, out
        self.stopped = False
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= 1 << 16:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.stopped:
            raise StoppedError
        if self.buffer:
            chunk, self.buffer = bytes(self.buffer), bytearray()
            asyncio.run_coroutine_threadsafe(self.out.put(chunk), self.loop).result()


def _lines(
    base: str,
    reveal: bool,
    batches: Iterator[ExportBatch],
    writer: LineWriter,
    agents: set[str],
    helpers: Helpers | None,
) -> None:
    if helpers is not None and helpers.processes > 1:
        write_parallel(helpers, base, reveal, writer, agents)
    else:
        write_lines(base, reveal, batches, writer, agents)
    writer.write("".join(agent_triples(base, agents, NTRIPLES)).encode())


def _oxigraph(
    fmt: Format,
    base: str,
    reveal: bool,
    batches: Iterator[ExportBatch],
    writer: _Writer | _FileWriter,
    agents: set[str],
) -> None:
    def triples() -> Iterator[Any]:
        for batch in batches:
            if writer.stopped:
                raise StoppedError
            yield from batch_triples(base, batch, reveal, OXIGRAPH, agents)
        yield from agent_triples(base, agents, OXIGRAPH)

    items: Iterator[Any] = triples()
    if fmt.quads:
        graph = ox.DefaultGraph()
        items = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples())
    # A file-like object is all pyoxigraph needs (write and flush).
    ox.serialize(items, cast(IO[bytes], writer), fmt.oxigraph, prefixes=PREFIXES)


def _serialize(
    fmt: Format,
    base: str,
    reveal: bool,
    batches: Iterator[ExportBatch],
    writer: _Writer | _FileWriter,
    helpers: Helpers | None = None,
) -> None:
    agents: set[str] = set()
    try:
        if fmt.lines:
            _lines(base, reveal, batches, writer, agents, helpers)
        else:
            _oxigraph(fmt, base, reveal, batches, writer, agents)
        writer.flush()
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()  # ends the Neo4j session now, in this thread, whatever happened


async def serialize_export(
    batches: Callable[[], Iterator[ExportBatch]], fmt: Format, base: str, reveal: bool
) -> AsyncIterator[bytes]:
    """One document in `fmt` holding the triples of every batch, then the agents they name.
    `batches()` is called in the worker thread and read there."""
    loop = asyncio.get_running_loop()
    out: asyncio.Queue[Any] = asyncio.Queue(_QUEUE_DEPTH)
    writer = _Writer(loop, out)

    def work() -> None:
        _serialize(fmt, base, reveal, batches(), writer)

    async def run() -> None:
        try:
            await asyncio.to_thread(work)
        finally:
            await out.put(_DONE)

    worker = asyncio.create_task(run())
    try:
        while (chunk := await out.get()) is not _DONE:
            yield chunk
        await worker  # the export's failure, if any: raised here, after what was written
    finally:
        writer.stopped = True
        while not worker.done():  # make room, so the thread sees `stopped` and unwinds
            while not out.empty():
                out.get_nowait()
            await asyncio.sleep(0.01)
        # Stopped on purpose: how the thread unwound is of no interest.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await worker


class _FileWriter:
    """A file as the serializer's output, written from the calling thread."""

    stopped = False

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def write_export(
    batches: Callable[[], Iterator[ExportBatch]],
    fmt: Format,
    base: str,
    reveal: bool,
    out: IO[bytes],
    helpers: Helpers | None = None,
) -> None:
    """`serialize_export` into a file, blocking (the CLI: no event loop between the serializer
    and the file). With `helpers`, N-Triples and N-Quads are written by that many processes."""
    _serialize(fmt, base, reveal, batches(), _FileWriter(out), helpers)
