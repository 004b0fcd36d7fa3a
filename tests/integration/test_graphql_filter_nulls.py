"""Filters on missing values, under negations and relationship quantifiers, checked against the
answers worked out in Python from the same graph; and the compiled list statement reaching
Neo4j's indexes for an equality filter (EXPLAIN)."""

from __future__ import annotations

from typing import Any

from graph import compile as cypher
from graph.driver import AsyncDriver, Connection
from graph.schema import apply_schema
from graph.selection import Compare, Filter, Not, Order, Selection
from tests.conftest import GraphQLClient
from tests.plans import plan_operators

ALL = """{
  committees(first: 100) {
    nodes { key status dissolved children(first: 100) { ... on Committee { key status } } }
  }
}"""


def keys(connection: dict[str, Any]) -> set[str]:
    return {node["key"] for node in connection["nodes"]}


def committees(gql: GraphQLClient) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = gql.data(ALL)["committees"]["nodes"]
    assert len(nodes) < 100  # one page holds them all
    return nodes


def test_negations_of_missing_values(gql: GraphQLClient) -> None:
    every = committees(gql)
    no_status = {c["key"] for c in every if c["status"] is None}
    no_dissolved = {c["key"] for c in every if c["dissolved"] is None}
    assert no_status
    assert no_dissolved  # the filters below meet missing values
    data = gql.data(
        """{
          notNot: committees(first: 100, where: {NOT: {NOT: {status: {eq: ACTIVE}}}}) {
            nodes { key }
          }
          notOr: committees(first: 100, where: {NOT: {OR: [
            {status: {eq: ACTIVE}}, {dissolved: {lt: "2000"}}
          ]}}) { nodes { key } }
          notAnd: committees(first: 100, where: {NOT: {AND: [
            {status: {eq: CONCLUDED}}, {dissolved: {gte: "1980"}}
          ]}}) { nodes { key } }
          gte: committees(first: 100, where: {dissolved: {gte: "2000"}}) { nodes { key } }
          notGte: committees(first: 100, where: {NOT: {dissolved: {gte: "2000"}}}) {
            nodes { key }
          }
          notIn: committees(first: 100, where: {NOT: {status: {in: [ACTIVE, PROPOSED]}}}) {
            nodes { key }
          }
          notContains: committees(first: 100, where: {NOT: {designation: {contains: "tc"}}}) {
            nodes { key }
          }
          notNe: committees(first: 100, where: {NOT: {status: {ne: ACTIVE}}}) { nodes { key } }
        }"""
    )
    status = {c["key"]: c["status"] for c in every}
    dissolved = {c["key"]: c["dissolved"] for c in every}
    designation = {
        n["key"]: n["designation"]
        for n in gql.data("{ committees(first: 100) { nodes { key designation } } }")["committees"][
            "nodes"
        ]
    }
    everyone = set(status)
    active = {k for k, s in status.items() if s == "ACTIVE"}
    assert keys(data["notNot"]) == active
    early = {k for k, d in dissolved.items() if d is not None and d < "2000"}
    assert keys(data["notOr"]) == everyone - active - early
    concluded_late = {
        k for k in everyone if status[k] == "CONCLUDED" and (dissolved[k] or "") >= "1980"
    }
    assert keys(data["notAnd"]) == everyone - concluded_late
    late = {k for k, d in dissolved.items() if d is not None and d >= "2000"}
    assert keys(data["gte"]) == late
    assert keys(data["notGte"]) == everyone - late  # includes those never dissolved
    assert keys(data["notIn"]) == {k for k, s in status.items() if s not in {"ACTIVE", "PROPOSED"}}
    with_tc = {k for k, d in designation.items() if d is not None and "tc" in d.lower()}
    assert keys(data["notContains"]) == everyone - with_tc
    assert keys(data["notNe"]) == active


def test_quantifiers_over_missing_values(gql: GraphQLClient) -> None:
    every = committees(gql)
    data = gql.data(
        """{
          some: committees(first: 100, where: {children: {some: {status: {eq: ACTIVE}}}}) {
            nodes { key }
          }
          none: committees(first: 100, where: {children: {none: {status: {eq: ACTIVE}}}}) {
            nodes { key }
          }
          all: committees(first: 100, where: {children: {all: {status: {eq: ACTIVE}}}}) {
            nodes { key }
          }
          allNot: committees(first: 100, where: {children: {all: {NOT: {status: {eq: ACTIVE}}}}}) {
            nodes { key }
          }
          someNot: committees(first: 100, where: {children: {some: {NOT: {status: {eq: ACTIVE}}}}}) {
            nodes { key }
          }
        }"""
    )
    children = {c["key"]: [child["status"] for child in c["children"]] for c in every}
    assert any(None in s for s in children.values())  # some children have no status
    assert keys(data["some"]) == {k for k, s in children.items() if "ACTIVE" in s}
    assert keys(data["none"]) == {k for k, s in children.items() if "ACTIVE" not in s}
    assert keys(data["all"]) == {k for k, s in children.items() if all(x == "ACTIVE" for x in s)}
    assert keys(data["allNot"]) == {k for k, s in children.items() if "ACTIVE" not in s}
    assert keys(data["someNot"]) == {
        k for k, s in children.items() if any(x != "ACTIVE" for x in s)
    }


async def _explain(driver: AsyncDriver, database: str, flt: Filter) -> list[str]:
    params = cypher.Params()
    statement = cypher.page(
        ("Standard",),
        flt,
        (Order("key"),),
        0,
        10,
        Selection(frozenset({"designation"})),
        True,
        params,
    )
    async with driver.session(database=database) as session:
        result = await session.run("EXPLAIN " + statement, params.values)
        summary = await result.consume()
    assert summary.plan is not None
    return [str(op.get("operatorType", "")) for op in plan_operators(summary.plan)]


async def test_an_equality_filter_on_an_indexed_property_uses_the_index(
    seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    await apply_schema(seeded_db, neo4j_connection.database)
    operators = await _explain(
        seeded_db, neo4j_connection.database, Compare("standardKind", "eq", "IS")
    )
    assert any(op.startswith("NodeIndexSeek") for op in operators), operators
    assert not any("LabelScan" in op for op in operators), operators
    # A negation keeps two-valued logic (missing values match), so it reads the class's nodes.
    negated = await _explain(
        seeded_db, neo4j_connection.database, Not(Compare("standardKind", "eq", "IS"))
    )
    assert any(op.startswith("NodeByLabelScan") for op in negated), negated
