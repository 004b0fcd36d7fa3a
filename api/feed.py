"""The revision feed of one API process: a single poller of Neo4j's revision log, shared by every
live subscription the process serves.

Each subscriber gets a bounded queue of the revisions committed after it subscribed, by any
process (the log is in Neo4j, so nothing lives only in one process's memory). A subscriber too
slow to keep up is ended with `FeedLaggedError` instead of holding revisions without limit. The
poller runs only while someone listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graph import revisions as graph_revisions
from graph.changes import Revision
from graph.driver import AsyncDriver
from graph.errors import GraphUnavailableError

log = logging.getLogger("mskg.api.feed")

# Revisions read per poll; a full page is followed at once by the next.
PAGE = 100


class FeedEndedError(Exception):
    """The feed stopped serving a subscriber; the message says why and what to do."""


class FeedLaggedError(FeedEndedError):
    """A subscriber fell more than its buffer behind the log."""


@dataclass(eq=False)
class Subscriber:
    """One subscription's view of the feed: revisions numbered above `floor`, in order."""

    queue: asyncio.Queue[Revision | FeedEndedError]
    floor: int = 0
    ended: bool = False

    async def revisions(self) -> AsyncIterator[Revision]:
        while True:
            item = await self.queue.get()
            if isinstance(item, FeedEndedError):
                raise item
            if item.seq > self.floor:
                yield item


@dataclass(eq=False)
class RevisionFeed:
    driver: AsyncDriver
    database: str
    every: float
    buffer: int = 256
    polls: int = 0  # Neo4j reads made by the poller, for tests and diagnosis
    _subscribers: set[Subscriber] = field(default_factory=set)
    _task: asyncio.Task[None] | None = None
    _seq: int = 0
    _head: str | None = None
    _start: asyncio.Lock = field(default_factory=asyncio.Lock)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscriber]:
        """A subscriber receiving every revision committed from now on, for the block's life."""
        sub = Subscriber(asyncio.Queue(maxsize=self.buffer))
        async with self._start:
            started = self._task is None or self._task.done()
            if started:
                self._seq, self._head = await self._position()
                self._task = asyncio.create_task(self._run(), name="mskg-revision-feed")
            # Registered before "now" is read, so nothing between the two is missed; what the
            # poller hands over from before "now" is skipped by the floor. A poller started
            # here has just read "now".
            sub.floor = self._seq
            self._subscribers.add(sub)
        try:
            if not started:
                sub.floor, _ = await self._position()
            yield sub
        finally:
            self._subscribers.discard(sub)
            if not self._subscribers and self._task is not None:
                task, self._task = self._task, None
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _position(self) -> tuple[int, str | None]:
        seq, head, _ = await graph_revisions.log_position(self.driver, self.database, 0, None)
        return seq, head

    async def _run(self) -> None:
        while True:
            try:
                page = await self._poll()
            except GraphUnavailableError:
                page = []  # Neo4j is away: keep the subscribers, try again next tick
            except Exception:
                log.exception("revision feed poll failed; ending its subscriptions")
                for sub in list(self._subscribers):
                    self._end(
                        sub, FeedEndedError("the live feed failed on the server; subscribe again")
                    )
                raise
            for rev in page:
                for sub in list(self._subscribers):
                    self._hand(sub, rev)
            if len(page) < PAGE:
                await asyncio.sleep(self.every)

    async def _poll(self) -> list[Revision]:
        self.polls += 1
        page = await graph_revisions.log_after(
            self.driver, self.database, self._seq, self._head, first=PAGE
        )
        if page is None:
            # The log was emptied or restored and numbers anew: go on from its new end.
            self._seq, self._head = await self._position()
            return []
        if page:
            self._seq, self._head = page[-1].seq, page[-1].id
        return page

    def _hand(self, sub: Subscriber, rev: Revision) -> None:
        if sub.ended:
            return
        if sub.queue.qsize() >= self.buffer - 1:  # the last place is kept for the end marker
            self._end(
                sub,
                FeedLaggedError(
                    f"this subscription fell more than {self.buffer} revisions behind the log "
                    "and was ended; subscribe again (`recentChanges` lists what was missed)"
                ),
            )
            return
        sub.queue.put_nowait(rev)

    def _end(self, sub: Subscriber, why: FeedEndedError) -> None:
        sub.ended = True
        self._subscribers.discard(sub)
        with contextlib.suppress(asyncio.QueueFull):
            sub.queue.put_nowait(why)
