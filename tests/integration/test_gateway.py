"""The gateway against the session's Neo4j (nothing is stopped here; tests/integration/
test_outages.py kills a server of its own)."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import pytest

from graph import gateway
from graph.driver import Connection, Policy, open_driver
from graph.runner import start_counting


async def test_a_recovery_probe_that_streams_frees_the_window_at_its_first_answer(
    neo4j_connection: Connection,
) -> None:
    driver = open_driver(neo4j_connection, Policy(fail_fast=0.05))
    gate = gateway._gate(driver)
    try:
        gate.close("a failure a moment ago")
        await asyncio.sleep(0.1)  # the window is over: the next call is the probe
        rows = gateway.stream(driver, neo4j_connection.database, "UNWIND range(1, 3) AS i RETURN i")
        assert await anext(rows) == {"i": 1}
        # The stream is still open, yet other calls go through: Neo4j answered.
        assert (gate.probing, gate.closed_until) == (False, 0.0)
        assert await gateway.read(driver, neo4j_connection.database, "RETURN 2 AS two") == [
            {"two": 2}
        ]
        assert [row async for row in rows] == [{"i": 2}, {"i": 3}]
    finally:
        await driver.close()


async def test_writes_and_streams_are_counted_as_round_trips(neo4j_connection: Connection) -> None:
    driver = open_driver(neo4j_connection)
    db = neo4j_connection.database
    try:
        counter = start_counting()

        async def two_statements(tx: gateway.Tx) -> None:
            await (await tx.run("RETURN 1")).consume()
            await (await tx.run("RETURN 2")).consume()

        await gateway.transaction(driver, db, two_statements)
        await gateway.write(driver, db, "RETURN 3 AS three")
        assert [row async for row in gateway.stream(driver, db, "RETURN 4 AS four")] == [
            {"four": 4}
        ]
        assert counter.count == 4
    finally:
        await driver.close()


async def test_neo4j_warnings_reach_the_log_unless_switched_off(
    neo4j_connection: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    """A label no node carries (what a rename a query missed looks like) returns nothing; Neo4j's
    notification about it is logged, so the empty answer does not pass silently."""
    statement = "MATCH (n:NoSuchLabelAnywhere) RETURN n.key AS key"
    db = neo4j_connection.database
    cases: tuple[tuple[Literal["warning", "off"], bool], ...] = (("warning", True), ("off", False))
    for notifications, logged in cases:
        driver = open_driver(neo4j_connection, Policy(notifications=notifications))
        caplog.clear()
        try:
            with caplog.at_level(logging.WARNING, logger="neo4j.notifications"):
                assert await gateway.read(driver, db, statement) == []
        finally:
            await driver.close()
        warnings = [r.getMessage() for r in caplog.records if r.name == "neo4j.notifications"]
        assert any("NoSuchLabelAnywhere" in w for w in warnings) is logged, warnings
