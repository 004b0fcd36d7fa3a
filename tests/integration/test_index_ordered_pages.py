"""An unfiltered page of one class sorted ascending by one indexed property is read in the
index's order: the same nodes in the same order as sorting every node (values before missing
ones, ties by key), whatever the offset and page size, and a plan that stops reading the index
after the page instead of sorting the whole class. Filtered pages keep the plain sort (and
are checked against the same expectations)."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import AsyncDriver

from graph import compile as cypher
from graph.driver import Connection
from graph.reads import fetch_page
from graph.schema import apply_schema
from graph.selection import And, Compare, Filter, Not, Order, Selection
from tests.plans import operator_details, operator_name, plan_operators

# Designations with ties (two "GB/T 1"), missing ones, and issue dates missing elsewhere.
ROWS: list[dict[str, Any]] = [
    {"key": "s00", "designation": "ISO 9", "standardKind": "IS", "issued": "2020"},
    {"key": "s01", "designation": "GB/T 1", "standardKind": "GB_T"},
    {"key": "s02", "designation": "GB/T 1", "standardKind": "GB_T", "issued": "2019-05"},
    {"key": "s03", "standardKind": "IS", "issued": "2021-01-02"},
    {"key": "s04", "designation": "A 1", "issued": "2018"},
    {"key": "s05"},
    {"key": "s06", "designation": "Z 99", "standardKind": "TR", "issued": "2020"},
    {"key": "s07", "standardKind": "GB_T"},
    {"key": "s08", "designation": "ISO 10", "standardKind": "IS"},
    {"key": "s09", "designation": "元宇宙 1", "standardKind": "GB_T", "issued": "2024"},
    {"key": "s10", "designation": "a 1", "standardKind": "IS"},
]

FILTERS: dict[str, Filter | None] = {
    "none": None,
    "kind": Compare("standardKind", "eq", "IS"),
    "not kind": Not(Compare("standardKind", "eq", "GB_T")),
    "kind in": And((Compare("standardKind", "in", ["IS", "GB_T"]),)),
}


async def _load(driver: AsyncDriver, database: str) -> None:
    await apply_schema(driver, database)
    await driver.execute_query(
        "UNWIND $rows AS row CREATE (n:Resource:Standard) SET n = row",
        {"rows": ROWS},
        database_=database,
    )
    await driver.execute_query("CALL db.awaitIndexes(60)", database_=database)


def _passes(row: dict[str, Any], name: str) -> bool:
    kind = row.get("standardKind")
    return {
        "none": True,
        "kind": kind == "IS",
        "not kind": kind != "GB_T",  # a missing kind is not GB_T
        "kind in": kind in ("IS", "GB_T"),
    }[name]


def _expected(prop: str, name: str) -> list[str]:
    # Cypher's ascending order: every set value first (strings by code point), missing after.
    rows = [r for r in ROWS if _passes(r, name)]
    rows.sort(key=lambda r: (r.get(prop) is None, r.get(prop) or "", r["key"]))
    return [r["key"] for r in rows]


@pytest.mark.parametrize("prop", ["designation", "issued", "key"])
async def test_index_ordered_pages_equal_sorting_every_node(
    empty_graph: AsyncDriver, neo4j_connection: Connection, prop: str
) -> None:
    db = neo4j_connection.database
    await _load(empty_graph, db)
    for name, flt in FILTERS.items():
        expected = _expected(prop, name)
        for skip, limit in [(0, 3), (0, 100), (2, 4), (5, 5), (7, 3), (len(expected), 2), (0, 0)]:
            page = await fetch_page(
                empty_graph, db, ("Standard",), flt, (Order(prop),), skip, limit, Selection(), True
            )
            keys = [item["key"] for item in page.items]
            assert keys == expected[skip : skip + limit], (prop, name, skip, limit)
            assert page.total == len(expected)


async def test_an_unfiltered_sorted_page_stops_reading_the_index_after_the_page(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await _load(empty_graph, db)
    params = cypher.Params()
    statement = cypher.page(
        ("Standard",), None, (Order("designation"),), 0, 2, Selection(), False, params
    )
    async with empty_graph.session(database=db) as session:
        result = await session.run("PROFILE " + statement, params.values)
        records = [record async for record in result]
        summary = await result.consume()
    assert [item["key"] for item in records[0]["items"]] == ["s04", "s01"]
    assert summary.profile is not None
    operators = plan_operators(summary.profile)
    names = [operator_name(op) for op in operators]
    scans = [op for op in operators if operator_name(op) == "NodeIndexScan"]
    assert len(scans) == 1, names
    assert "Standard(designation)" in operator_details(scans[0]), scans
    # No operator of the statement scans the label: the nodes without a designation (the
    # tail) were not needed, and the head was read in order (a partial sort of ties only).
    assert "NodeByLabelScan" not in names, names
    # Of the 8 standards with a designation, only the page's two ("A 1", "GB/T 1"), the rest
    # of the last one's tie (the other "GB/T 1") and the first value after it were read.
    assert scans[0]["rows"] == 4, scans


async def test_a_page_the_index_cannot_order_is_sorted_as_before(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    # Descending, by a property without an index of its own, or filtered: the plain sort.
    params = cypher.Params()
    for flt, order in [
        (None, (Order("designation", descending=True),)),
        (None, (Order("note_en"),)),
        (FILTERS["kind"], (Order("designation"),)),
    ]:
        statement = cypher.page(("Standard",), flt, order, 0, 5, Selection(), False, params)
        assert "USING INDEX" not in statement
        assert "AS head" not in statement
    unfiltered = cypher.page(
        ("Standard",), None, (Order("designation"),), 0, 5, Selection(), False, params
    )
    assert "AS head" in unfiltered
    db = neo4j_connection.database
    await _load(empty_graph, db)
    page = await fetch_page(
        empty_graph,
        db,
        ("Standard",),
        None,
        (Order("designation", descending=True),),
        0,
        4,
        Selection(),
        False,
    )
    # Descending puts missing values first (Cypher's order), ties still by key.
    assert [item["key"] for item in page.items] == ["s03", "s05", "s07", "s09"]
