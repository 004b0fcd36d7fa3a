"""Streamed answers that fail honestly.

A stream's status line goes out with its first chunk, so a failure after that cannot become an
error status. Two rules keep clients from taking a broken stream for a whole one:

- `primed`: the route awaits the first item (the first Neo4j call) *before* it returns the
  response, so an outage at the start is an ordinary 503 (api/outages.py).
- `EndsVisibly`: when the graph fails mid-stream, the body ends with an error marker (a line
  `# ERROR: …` in Turtle/TriG/N-Triples/N-Quads and after JSON-LD, `<!-- ERROR: … -->` in
  RDF/XML; the document's closing part is left out), and the chunked body is left unterminated
  — the connection is closed without the final empty chunk, so HTTP clients report an
  incomplete transfer (curl exits 18, httpx raises RemoteProtocolError).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.responses import StreamingResponse
from starlette.types import Send

from graph.errors import GraphUnavailableError, QueryTimeoutError

log = logging.getLogger("mskg.api")
GraphFailure = GraphUnavailableError | QueryTimeoutError
T = TypeVar("T")


async def primed(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """`items`, with its first item already fetched (raising now if fetching fails)."""
    try:
        first = await anext(items)
    except StopAsyncIteration:
        return _empty()

    async def chained() -> AsyncIterator[T]:
        yield first
        async for item in items:
            yield item

    return chained()


async def _empty() -> AsyncIterator[T]:
    return
    yield


class EndsVisibly(StreamingResponse):
    """A streamed body that, if the graph fails part-way, ends with `marker(error)` and without
    the end-of-body chunk (see the module docstring)."""

    def __init__(
        self,
        chunks: AsyncIterator[bytes],
        marker: Callable[[GraphFailure], str],
        media_type: str,
        headers: dict[str, str],
    ) -> None:
        self.complete = True
        self._marker = marker
        super().__init__(self._guarded(chunks), media_type=media_type, headers=headers)

    async def _guarded(self, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        try:
            async for chunk in chunks:
                yield chunk
        except (GraphUnavailableError, QueryTimeoutError) as exc:
            log.warning("stream ended early: %s", exc)
            self.complete = False
            yield self._marker(exc).encode("utf-8")

    async def stream_response(self, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        async for chunk in self.body_iterator:
            body = chunk.encode(self.charset) if isinstance(chunk, str) else bytes(chunk)
            await send({"type": "http.response.body", "body": body, "more_body": True})
        if self.complete:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        # Otherwise the server closes the connection with the body unfinished: the one signal
        # every HTTP client understands as "this download is broken".
