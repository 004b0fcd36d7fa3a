"""The revision feed of one API process: one poller of Neo4j's log for all its subscribers."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from api.feed import FeedLaggedError, RevisionFeed, Subscriber
from graph.changes import EntityStep, Revision, apply_changes
from graph.driver import AsyncDriver, Connection

BASE = "https://w3id.org/mskg/"


async def _create(driver: AsyncDriver, db: str, key: str) -> Revision:
    step = EntityStep("create", "Committee", key, {"prefLabel_zh": "测试", "prefLabel_en": "Test"})
    revision = await apply_changes(driver, db, BASE, [step], "feed-test")
    assert revision is not None
    return revision


async def _take(sub: Subscriber, count: int) -> list[Revision]:
    got: list[Revision] = []
    async for rev in sub.revisions():
        got.append(rev)
        if len(got) == count:
            break
    return got


async def test_many_subscribers_share_one_poller(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    before = await _create(empty_graph, db, "before-subscribing")
    feed = RevisionFeed(empty_graph, db, every=0.05)
    keys = [f"feed-{uuid.uuid4().hex[:6]}-{i}" for i in range(3)]
    async with (
        feed.subscribe() as a,
        feed.subscribe() as b,
        feed.subscribe() as c,
        feed.subscribe() as d,
        feed.subscribe() as e,
    ):
        started, polls = time.monotonic(), feed.polls
        written = [await _create(empty_graph, db, key) for key in keys]
        got = await asyncio.wait_for(
            asyncio.gather(*(_take(s, len(keys)) for s in (a, b, c, d, e))), 30
        )
        elapsed = time.monotonic() - started
        # Every subscriber gets exactly the revisions made after it subscribed, in order.
        for revisions in got:
            assert [r.seq for r in revisions] == [w.seq for w in written]
            assert [r.changes[0].keys for r in revisions] == [{k} for k in keys]
            assert before.seq not in {r.seq for r in revisions}
        # One poll a tick for all five (a poll per subscriber would be five a tick).
        assert feed.polls - polls <= elapsed / 0.05 + 2
    # Nobody listens any more: the poller stops.
    assert feed._task is None
    stopped = feed.polls
    await asyncio.sleep(0.2)
    assert feed.polls == stopped


async def test_a_late_subscriber_starts_at_its_own_now(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    feed = RevisionFeed(empty_graph, db, every=0.05)
    async with feed.subscribe() as early:
        first = await _create(empty_graph, db, "first")
        async with feed.subscribe() as late:
            second = await _create(empty_graph, db, "second")
            assert [r.seq for r in await asyncio.wait_for(_take(early, 2), 30)] == [
                first.seq,
                second.seq,
            ]
            assert [r.seq for r in await asyncio.wait_for(_take(late, 1), 30)] == [second.seq]


async def test_a_subscriber_that_falls_behind_is_ended_with_a_reason(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    feed = RevisionFeed(empty_graph, db, every=0.05, buffer=3)
    async with feed.subscribe() as slow, feed.subscribe() as keen:
        # The keen one reads each revision as it comes; the slow one reads nothing meanwhile.
        written = []
        for i in range(5):
            written.append(await _create(empty_graph, db, f"lag-{i}"))
            assert [r.seq for r in await asyncio.wait_for(_take(keen, 1), 30)] == [written[-1].seq]
        got: list[int] = []

        async def read_all() -> None:
            async for rev in slow.revisions():
                got.append(rev.seq)

        with pytest.raises(FeedLaggedError, match="fell more than 3 revisions behind"):
            await asyncio.wait_for(read_all(), 30)
        # What it had room for arrives first, in order, then the end.
        assert got == [w.seq for w in written[:2]]
