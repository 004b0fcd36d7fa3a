"""Unfiltered counts by one indexed property or two facets are worked out from Neo4j's
indexes: the same groups, counts and order as reading every node, with the null groups
derived, and a plan that reads no node."""

from __future__ import annotations

from collections import Counter
from typing import Any

from neo4j import AsyncDriver

from graph import analytics
from graph.analytics import Dimension
from graph.driver import Connection
from graph.schema import apply_schema
from graph.selection import And
from loaders.seed import read_seed
from ontology import ONTOLOGY
from tests.conftest import GraphQLClient
from tests.plans import operator_details, plan_operators

# Standards with every combination of a set and a missing kind, stage and level, and ties.
ROWS: list[tuple[str | None, str | None, str | None]] = [
    ("IS", "60.60", "INTERNATIONAL"),
    ("IS", "60.60", "INTERNATIONAL"),
    ("IS", "60.60", None),
    ("IS", None, "INTERNATIONAL"),
    ("IS", None, None),
    ("GB_T", "60.60", "NATIONAL"),
    ("GB_T", "20.00", None),
    ("GB_T", None, "NATIONAL"),
    (None, "60.60", None),
    (None, "30.99", "NATIONAL"),
    (None, None, None),
    (None, None, None),
    ("TR", "60.60", "INTERNATIONAL"),
]
FIELDS = ("standardKind", "stageCode", "level")

DIMENSIONS = [
    ["standardKind"],
    ["stageCode"],
    ["standardKind", "stageCode"],
    ["stageCode", "standardKind"],
    ["level", "stageCode"],
    ["standardKind", "level"],
]


async def _load(driver: AsyncDriver, database: str) -> None:
    await apply_schema(driver, database)
    rows = [
        {"key": f"s{i}", **{f: v for f, v in zip(FIELDS, row, strict=True) if v is not None}}
        for i, row in enumerate(ROWS)
    ]
    await driver.execute_query(
        "UNWIND $rows AS row CREATE (n:Resource:Standard) SET n = row",
        {"rows": rows},
        database_=database,
    )
    await driver.execute_query("CALL db.awaitIndexes(60)", database_=database)


def _expected(props: list[str]) -> Counter[tuple[str | None, ...]]:
    at = [FIELDS.index(p) for p in props]
    return Counter(tuple(row[i] for i in at) for row in ROWS)


def _order_key(group: analytics.Group) -> tuple[Any, ...]:
    # Largest first; ties by the values in order, a missing value after every set one (as
    # Cypher's ORDER BY puts null last).
    return (-group.count, *[(v is None, v or "") for v in group.values])


async def test_index_counts_equal_the_scan_with_null_groups(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await _load(empty_graph, db)
    for props in DIMENSIONS:
        dims = [Dimension(prop=p) for p in props]
        assert analytics._indexed_grouping(ONTOLOGY.cls("Standard"), None, dims)
        from_indexes = await analytics.counts(empty_graph, db, "Standard", None, dims)
        # An always-true filter takes the scanning statement.
        scanned = await analytics.counts(empty_graph, db, "Standard", And(()), dims)
        assert from_indexes == scanned, props
        assert {tuple(g.values): g.count for g in from_indexes} == dict(_expected(props)), props
        assert from_indexes == sorted(from_indexes, key=_order_key), props
        assert all(labels is None for g in from_indexes for labels in g.labels)


async def test_index_counts_read_no_node(
    empty_graph: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    await _load(empty_graph, db)
    statement = analytics._indexed_counts(
        "Standard", ["stageCode", "standardKind"], ONTOLOGY.cls("Standard").facets
    )
    result = await empty_graph.execute_query("EXPLAIN " + statement, database_=db)
    plan = result.summary.plan
    assert plan is not None
    scans = [f"{op['operatorType']} {operator_details(op)}" for op in plan_operators(plan)]
    assert not any("LabelScan" in s and "count" not in s.lower() for s in scans), scans
    index_scans = [s for s in scans if s.startswith("NodeIndexScan")]
    assert len(index_scans) == 3, scans
    assert any("Standard(standardKind, stageCode)" in s for s in index_scans), "\n".join(scans)
    assert any("NodeCountFromCountStore" in s for s in scans), scans


def test_counts_need_the_pair_declared_as_facets() -> None:
    standard = ONTOLOGY.cls("Standard")
    # designation is indexed but not a facet: no composite index, so the scan counts it.
    pair = [Dimension(prop="designation"), Dimension(prop="standardKind")]
    assert analytics._indexed_grouping(standard, None, pair) is None
    assert analytics._indexed_grouping(standard, None, [Dimension(prop="designation")])
    with_relation = [Dimension(prop="standardKind"), Dimension(rel_type="DEVELOPED_BY")]
    assert analytics._indexed_grouping(standard, None, with_relation) is None
    # A filter takes the scan: the indexes count every node of the class.
    assert analytics._indexed_grouping(standard, And(()), [Dimension(prop="level")]) is None


def test_two_facets_over_http_match_the_seed(gql: GraphQLClient) -> None:
    standards = [e.props for e in read_seed().entities if e.cls.name == "Standard"]
    for dims in (["STANDARD_KIND", "STAGE_CODE"], ["STAGE_CODE", "STANDARD_KIND"]):
        body = gql(
            "query($g: [StandardDimension!]!) { standardCounts(groupBy: $g) "
            "{ count values { dimension value } } }",
            {"g": dims},
        )
        assert "errors" not in body, body
        assert body["extensions"]["cypherRoundTrips"] == 1
        groups = body["data"]["standardCounts"]
        props = ["standardKind" if d == "STANDARD_KIND" else "stageCode" for d in dims]
        expected = Counter(tuple(s.get(p) for p in props) for s in standards)
        got = {tuple(v["value"] for v in g["values"]): g["count"] for g in groups}
        assert got == dict(expected)
        assert sum(got.values()) == len(standards)
