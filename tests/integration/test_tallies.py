"""Groupings by a relationship read from counts every write keeps (graph.tallies).

Each check compares the API's answer over HTTP with the test's own count of the graph (every
standard or work item, its developers and its stage), and the cells kept write by write with
those a rebuild from scratch gives.
"""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

import httpx
import pytest

from graph import tallies
from graph.changes import EntityStep, LinkStep, apply_changes
from graph.driver import AsyncDriver, Connection
from graph.gateway import Tx, read, write
from graph.maintenance import clear_database
from graph.revisions import recent_changes, replay, revert
from graph.schema import apply_schema
from loaders.seed import load_seed
from tests.conftest import MSKG, GraphQLClient, api_env, gap_scope_marks, tally_cells

BASE = "https://w3id.org/mskg/"

QUERY = """
query Counts {
  byBoth: standardCounts(groupBy: [DEVELOPED_BY, STAGE_CODE]) { ...g }
  byStageFirst: standardCounts(groupBy: [STAGE_CODE, DEVELOPED_BY]) { ...g }
  byDeveloper: standardCounts(groupBy: [DEVELOPED_BY]) { ...g }
  workItems: workItemCounts(groupBy: [DEVELOPED_BY, STAGE_CODE]) { ...g }
}
fragment g on CountGroup { count values { dimension value label { en } } }
"""
ORACLE = """
MATCH (n:$($label)) OPTIONAL MATCH (n)-[:DEVELOPED_BY]->(d)
RETURN d.key AS a, d.prefLabel_en AS en, n.stageCode AS b, count(*) AS c
"""


@pytest.fixture
async def db(empty_graph: AsyncDriver, neo4j_connection: Connection) -> str:
    await load_seed(empty_graph, neo4j_connection.database, BASE)
    return neo4j_connection.database


def _last(value: Any) -> tuple[bool, Any]:
    return (value is None, value)  # Cypher sorts nulls after every value


async def _expected(driver: AsyncDriver, db: str, label: str) -> dict[str, list[Any]]:
    rows = await read(driver, db, ORACLE, {"label": label})

    def group(values: list[tuple[str, Any, Any]], c: int) -> dict[str, Any]:
        return {
            "count": c,
            "values": [
                {"dimension": d, "value": v, "label": None if d == "STAGE_CODE" or v is None
                 else {"en": en}}
                for d, v, en in values
            ],
        }  # fmt: skip

    both = sorted(rows, key=lambda r: (-r["c"], _last(r["a"]), _last(r["b"])))
    stage_first = sorted(rows, key=lambda r: (-r["c"], _last(r["b"]), _last(r["a"])))
    per_developer: dict[Any, list[Any]] = {}
    for r in rows:
        per_developer.setdefault(r["a"], [r["en"], 0])[1] += r["c"]
    developers = sorted(per_developer.items(), key=lambda kv: (-kv[1][1], _last(kv[0])))
    return {
        "both": [
            group([("DEVELOPED_BY", r["a"], r["en"]), ("STAGE_CODE", r["b"], None)], r["c"])
            for r in both
        ],
        "stage_first": [
            group([("STAGE_CODE", r["b"], None), ("DEVELOPED_BY", r["a"], r["en"])], r["c"])
            for r in stage_first
        ],
        "developer": [group([("DEVELOPED_BY", a, en)], c) for a, (en, c) in developers],
    }


async def _agree(gql: GraphQLClient, driver: AsyncDriver, db: str) -> dict[str, Any]:
    """The API's groupings equal the test's counts, and the kept cells a rebuild's."""
    got = gql.data(QUERY)
    standards = await _expected(driver, db, "Standard")
    assert got["byBoth"] == standards["both"]
    assert got["byStageFirst"] == standards["stage_first"]
    assert got["byDeveloper"] == standards["developer"]
    assert got["workItems"] == (await _expected(driver, db, "WorkItem"))["both"]
    kept = await tally_cells(driver, db)
    await tallies.rebuild(driver, db)
    assert await tally_cells(driver, db) == kept
    return got


async def test_groupings_by_developer_follow_every_write(
    db: str, empty_graph: AsyncDriver, http: httpx.Client
) -> None:
    driver = empty_graph
    gql = GraphQLClient(http)
    first = await _agree(gql, driver, db)
    assert len(first["byBoth"]) > 5  # the seed has standards of several committees and stages
    assert any(g["values"][0]["value"] is None for g in first["byBoth"])  # and some of none

    async def change(*steps: Any) -> str:
        rev = await apply_changes(driver, db, BASE, list(steps), "tester")
        assert rev is not None
        return rev.id

    labels = {"prefLabel_zh": "测试", "prefLabel_en": "Tally test"}
    await change(
        EntityStep("create", "Committee", "tally-tc-a", labels),
        EntityStep("create", "Committee", "tally-tc-b", labels),
        EntityStep("create", "Standard", "tally-std", {**labels, "stageCode": "60.60"}),
        LinkStep("link", "DEVELOPED_BY", "tally-std", "tally-tc-a"),
    )
    created = await _agree(gql, driver, db)
    assert {"count": 1, "values": [
        {"dimension": "DEVELOPED_BY", "value": "tally-tc-a", "label": {"en": "Tally test"}},
        {"dimension": "STAGE_CODE", "value": "60.60", "label": None},
    ]} in created["byBoth"]  # fmt: skip

    await change(EntityStep("update", "Standard", "tally-std", {"stageCode": "90.93"}))
    await _agree(gql, driver, db)
    joint = await change(LinkStep("link", "DEVELOPED_BY", "tally-std", "tally-tc-b"))  # joint
    await _agree(gql, driver, db)
    await change(LinkStep("unlink", "DEVELOPED_BY", "tally-std", "tally-tc-a"))
    await _agree(gql, driver, db)
    await revert(driver, db, BASE, joint, "tester")
    await _agree(gql, driver, db)
    await change(LinkStep("link", "DEVELOPED_BY", "tally-std", "tally-tc-b"))
    await change(EntityStep("delete", "Committee", "tally-tc-b", detach=True))  # back to none
    await _agree(gql, driver, db)
    await change(EntityStep("create", "WorkItem", "tally-wi", {**labels, "stageCode": "20.00"}),
                 LinkStep("link", "DEVELOPED_BY", "tally-wi", "tally-tc-a"))  # fmt: skip
    await change(EntityStep("delete", "Standard", "tally-std"))
    last = await _agree(gql, driver, db)
    kept = await tally_cells(driver, db)

    # The log replayed into an empty database counts what the writes counted.
    log = await recent_changes(driver, db, first=100_000)
    await clear_database(driver, db)
    await replay(driver, db, BASE, log)
    assert await tally_cells(driver, db) == kept
    assert gql.data(QUERY) == last


async def test_the_groupings_read_the_cells_and_count_when_they_are_not_current(
    db: str, empty_graph: AsyncDriver, http: httpx.Client
) -> None:
    driver = empty_graph
    gql = GraphQLClient(http)
    right = await _agree(gql, driver, db)
    largest = next(g for g in right["byBoth"] if all(v["value"] for v in g["values"]))
    developer, stage = (v["value"] for v in largest["values"])
    # One standard dropped from the largest cell of a committee and a stage behind MSKG's back:
    # the answer is read from the cells, so it shows.
    await write(
        driver, db,
        "MATCH (c:TallyCell {tally: 'Standard|DEVELOPED_BY|stageCode'})<-[r:COUNTED_IN]-() "
        "WHERE c.a = $a AND c.b = $b WITH r LIMIT 1 DELETE r",
        {"a": developer, "b": stage},
    )  # fmt: skip
    tampered = gql.data(QUERY)["byBoth"]
    assert largest not in tampered
    assert len(tampered) == len(right["byBoth"]) - (largest["count"] == 1)

    # Cells built for another declaration are not read: the grouping counts the graph.
    await write(driver, db, "MATCH (s:TallyState) SET s.declared = ['Standard|OTHER|x']")
    assert gql.data(QUERY)["byBoth"] == right["byBoth"]
    # … until the schema step rebuilds them, as every API process does at start-up; two at once
    # both succeed.
    rebuilt = await asyncio.gather(
        tallies.rebuild_if_stale(driver, db), tallies.rebuild_if_stale(driver, db)
    )
    assert any(rebuilt)
    assert not await tallies.rebuild_if_stale(driver, db)
    await write(driver, db, "MATCH (t:Tallied) WITH t LIMIT 1 DETACH DELETE t")  # tamper again
    assert gql.data(QUERY)["byBoth"] != right["byBoth"]
    await write(driver, db, "MATCH (s:TallyState) DELETE s")  # a database from before tallies
    assert await apply_schema(driver, db)
    await _agree(gql, driver, db)
    assert gql.data(QUERY) == right


async def test_a_developer_linked_while_another_is_unlinked_is_counted_once(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    """A standard with many relationships is not locked when one of them is created or deleted;
    the refresh locks it, so the second write decides its cells after the first committed."""
    driver, db = empty_graph, neo4j_connection.database
    await write(
        driver, db,
        "CREATE (x:Resource:Standard {key: 'race-std', stageCode: '60.60'}) "
        "CREATE (x)-[:DEVELOPED_BY]->(:Resource:Committee {key: 'race-tc-1'}) "
        "CREATE (:Resource:Committee {key: 'race-tc-2'}) "
        "WITH x UNWIND range(1, 60) AS i "
        "CREATE (:Resource:Standard {key: 'race-citing-' + i})-[:REFERENCES]->(x)",
    )  # fmt: skip
    await tallies.rebuild(driver, db)
    name = "Standard|DEVELOPED_BY|stageCode"
    assert (await tally_cells(driver, db))[(name, "race-tc-1", "60.60")] == 1

    async def run(tx: Tx, statement: str) -> None:
        await (await tx.run(statement)).consume()

    async with driver.session(database=db) as first, driver.session(database=db) as second:
        unlinking = await first.begin_transaction()
        await run(Tx(unlinking), "MATCH ({key: 'race-std'})-[r:DEVELOPED_BY]->() DELETE r")
        await tallies.refresh(Tx(unlinking), ["race-std", "race-tc-1"])

        async def link() -> None:
            linking = await second.begin_transaction()
            await run(
                Tx(linking),
                "MATCH (x:Resource {key: 'race-std'}), (c:Resource {key: 'race-tc-2'}) "
                "CREATE (x)-[:DEVELOPED_BY]->(c)",
            )
            await tallies.refresh(Tx(linking), ["race-std", "race-tc-2"])
            await linking.commit()

        linked = asyncio.create_task(link())
        await asyncio.sleep(1.5)  # time for the second to finish, were it not held back
        await unlinking.commit()
        await asyncio.wait_for(linked, 30)

    cells = await tally_cells(driver, db)
    assert cells[(name, "race-tc-2", "60.60")] == 1
    assert (name, "race-tc-1", "60.60") not in cells
    assert (name, None, "60.60") not in cells
    assert cells[(name, None, None)] == 60  # the citing standards: no developer, no stage
    assert len(cells) == 2


async def test_mskg_recount_rebuilds_what_cypher_written_past_mskg_left_behind(
    db: str, empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    driver = empty_graph
    cells, marks = await tally_cells(driver, db), await gap_scope_marks(driver, db)
    assert cells
    assert marks
    # A standard linked to a developer with Cypher of one's own: neither kept count sees it.
    await write(
        driver, db,
        "MATCH (s:Standard) WHERE NOT EXISTS { (s)-[:DEVELOPED_BY]->() } "
        "WITH s ORDER BY s.key LIMIT 1 MATCH (c:Committee {key: 'tc28-sg4'}) "
        "CREATE (s)-[:DEVELOPED_BY]->(c)",
    )  # fmt: skip
    await write(driver, db, "MATCH (m:GapScope) WITH m ORDER BY m.item LIMIT 1 DELETE m")
    assert await tally_cells(driver, db) == cells
    completed = await asyncio.to_thread(
        subprocess.run,
        [MSKG, "recount"],
        env=api_env(neo4j_connection),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    recounted = await tally_cells(driver, db)
    assert recounted != cells
    assert sum(recounted.values()) == sum(cells.values())  # moved from "none" to tc28-sg4
    assert await gap_scope_marks(driver, db) == marks
    assert f"{len(marks)} item(s) in the gap lists' relevant scope" in completed.stderr
    await tallies.rebuild(driver, db)
    assert await tally_cells(driver, db) == recounted
