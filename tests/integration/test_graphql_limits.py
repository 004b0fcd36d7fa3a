"""GraphQL limits, error codes and Cypher round trips: oversized operations are rejected before any
Cypher runs (`extensions.cypherRoundTrips == 0`), and a whole query — however nested — costs one
Cypher statement per root field."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.seed import read_seed
from tests.conftest import GraphQLClient


def seed_count(class_name: str) -> int:
    return sum(1 for e in read_seed().entities if e.cls.name == class_name)


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def assert_rejected(body: dict[str, Any], code: str, **details: object) -> None:
    assert codes(body) == [code], body
    assert body.get("data") is None
    for name, value in details.items():
        assert body["errors"][0]["extensions"][name] == value
    assert body["extensions"]["cypherRoundTrips"] == 0  # no Cypher ran


def nested_parents(levels: int) -> str:
    """`committee { parents(first: 1) { ... on Committee { … key } } }`: depth levels + 2."""
    inner = "key"
    for _ in range(levels):
        inner = f"parents(first: 1) {{ ... on Committee {{ key {inner} }} }}"
    return f'{{ committee(key: "iso-iec-jtc1-sc24-wg8") {{ key {inner} }} }}'


# -- depth ----------------------------------------------------------------------------------------
def test_depth_ten_is_accepted(gql: GraphQLClient) -> None:
    body = gql(nested_parents(8))  # committee(1) + 8 × parents + key = depth 10
    assert "errors" not in body, body["errors"]
    wg8 = body["data"]["committee"]
    assert wg8["key"] == "iso-iec-jtc1-sc24-wg8"
    assert wg8["parents"][0]["key"] == "iso-iec-jtc1-sc24"
    assert wg8["parents"][0]["parents"][0]["key"] == "iso-iec-jtc1"
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_depth_over_ten_is_rejected(gql: GraphQLClient) -> None:
    assert_rejected(gql(nested_parents(9)), "QUERY_TOO_COMPLEX", limit="depth")


def test_depth_counts_through_fragments(gql: GraphQLClient) -> None:
    query = (
        '{ committee(key: "iso-iec-jtc1-sc24-wg8") { ...Up } }\n'
        "fragment Up on Committee { parents(first: 1) { ...Up2 } }\n"
        "fragment Up2 on Committee { parents(first: 1) { ...Up3 } }\n"
        "fragment Up3 on Committee { parents(first: 1) { ...Up4 } }\n"
        "fragment Up4 on Committee { parents(first: 1) { ...Up5 } }\n"
        "fragment Up5 on Committee { parents(first: 1) { ...Up6 } }\n"
        "fragment Up6 on Committee { parents(first: 1) { ...Up7 } }\n"
        "fragment Up7 on Committee { parents(first: 1) { ...Up8 } }\n"
        "fragment Up8 on Committee { parents(first: 1) { ...Up9 } }\n"
        "fragment Up9 on Committee { parents(first: 1) { ... on Committee { parents { key } } } }"
    )
    assert_rejected(gql(query), "QUERY_TOO_COMPLEX", limit="depth")


# -- aliases --------------------------------------------------------------------------------------
def test_thirty_aliases_are_accepted(gql: GraphQLClient) -> None:
    query = "{ " + " ".join(f"v{i}: version" for i in range(30)) + " }"
    data = gql.data(query)
    assert len(data) == 30
    assert set(data.values()) == {data["v0"]}


def test_more_than_thirty_aliases_are_rejected(gql: GraphQLClient) -> None:
    query = "{ " + " ".join(f'c{i}: committee(key: "sac-tc28") {{ key }}' for i in range(31)) + " }"
    assert_rejected(gql(query), "QUERY_TOO_COMPLEX", limit="aliases")


# -- tokens ---------------------------------------------------------------------------------------
def test_more_than_3000_tokens_are_rejected(gql: GraphQLClient) -> None:
    fields = " ".join(["key"] * 3000)
    query = f'{{ committee(key: "sac-tc28") {{ {fields} }} }}'
    assert_rejected(gql(query), "QUERY_TOO_COMPLEX")


# -- cost -----------------------------------------------------------------------------------------
def test_cost_over_the_limit_is_rejected(gql: GraphQLClient) -> None:
    query = """{
      committees(first: 100) {
        nodes { children(first: 100) { ... on Committee { children(first: 100) { key } } } }
      }
    }"""
    body = gql(query)
    assert_rejected(body, "QUERY_TOO_COMPLEX", limit="cost")
    assert body["errors"][0]["extensions"]["cost"] > 200_000


def test_cost_counts_variables(gql: GraphQLClient) -> None:
    query = """query($n: Int!) {
      committees(first: $n) {
        nodes { children(first: $n) { ... on Committee { children(first: $n) { key } } } }
      }
    }"""
    assert_rejected(gql(query, {"n": 100}), "QUERY_TOO_COMPLEX", limit="cost")
    small = gql(query, {"n": 3})
    assert "errors" not in small, small["errors"]
    assert small["extensions"]["cypherRoundTrips"] == 1


# -- first ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "{ committees(first: 101) { nodes { key } } }",
        "{ entities(first: 101) { totalCount } }",
        '{ committee(key: "iso-iec-jtc1") { children(first: 101) { key } } }',
        '{ search(text: "metaverse", first: 101) { field } }',
        "{ gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, first: 101) { key } }",
    ],
)
def test_first_over_100_is_bad_user_input(gql: GraphQLClient, query: str) -> None:
    assert_rejected(gql(query), "BAD_USER_INPUT", argument="first")


def test_first_over_100_in_a_variable_is_bad_user_input(gql: GraphQLClient) -> None:
    body = gql("query($n: Int!) { committees(first: $n) { nodes { key } } }", {"n": 101})
    assert_rejected(body, "BAD_USER_INPUT", argument="first")


def test_negative_first_is_bad_user_input(gql: GraphQLClient) -> None:
    body = gql("{ committees(first: -1) { nodes { key } } }")
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["extensions"]["cypherRoundTrips"] == 0


def test_first_100_is_accepted(gql: GraphQLClient) -> None:
    page = gql.data("{ committees(first: 100) { nodes { key } } }")["committees"]
    assert len(page["nodes"]) == min(100, seed_count("Committee"))


# -- validation and masking -----------------------------------------------------------------------
def test_unknown_field_is_a_validation_error(gql: GraphQLClient) -> None:
    body = gql('{ committee(key: "sac-tc28") { key noSuchField } }')
    assert_rejected(body, "GRAPHQL_VALIDATION_FAILED")
    assert "noSuchField" in body["errors"][0]["message"]


def test_unknown_argument_and_bad_enum_are_validation_errors(gql: GraphQLClient) -> None:
    for query in (
        '{ committee(key: "sac-tc28", lang: ZH) { key } }',
        "{ committees(where: {status: {eq: SLEEPING}}) { nodes { key } } }",
        "{ committees(orderBy: [{field: NO_SUCH_FIELD}]) { nodes { key } } }",
    ):
        assert_rejected(gql(query), "GRAPHQL_VALIDATION_FAILED")


def test_syntax_error_is_a_validation_error(gql: GraphQLClient) -> None:
    assert_rejected(gql('{ committee(key: "sac-tc28") { key '), "GRAPHQL_VALIDATION_FAILED")


def test_class_fields_need_a_fragment_on_the_interface(gql: GraphQLClient) -> None:
    body = gql('{ entity(key: "sac-tc28") { key designation } }')
    assert_rejected(body, "GRAPHQL_VALIDATION_FAILED")


def test_every_error_carries_a_code_and_no_internals(gql: GraphQLClient) -> None:
    bodies = [
        gql('{ committees(first: 2, after: "x") { nodes { key } } }'),
        gql('{ neighborhood(key: "no-such-key") { truncated } }'),
        gql('{ paths(from: "sac-tc590", to: "iso", maxHops: 0) { length } }'),
        gql("{ nope }"),
    ]
    for body in bodies:
        assert body["errors"], body
        for error in body["errors"]:
            code = error["extensions"]["code"]
            assert code in {"BAD_USER_INPUT", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED"}
            assert "Traceback" not in error["message"]
            assert "neo4j" not in error["message"].lower()


# -- Cypher round trips ---------------------------------------------------------------------------
def test_single_entity_lookup_is_one_round_trip(gql: GraphQLClient) -> None:
    body = gql(
        """{
          committee(key: "sac-tc590") {
            key designation sources { key }
            parents { key } secretariat { key }
            counterpartOfEdges { evidence sources { key } node { key ... on Committee { parents { key } } } }
            posts { role holders { key memberOf { key } } }
            developed { key ... on Standard { subjects { key broader { key } } } }
            liaisonsAsPartner { key holder { key } }
          }
        }"""
    )
    assert "errors" not in body, body["errors"]
    tc590 = body["data"]["committee"]
    assert tc590["counterpartOfEdges"][0]["node"]["parents"] == [{"key": "iso"}]
    assert tc590["posts"] == [
        {"role": "CHAIR", "holders": [{"key": "person-wang-zhijun", "memberOf": [{"key": "miit"}]}]}
    ]
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_hundred_entities_with_nested_relationships_in_at_most_two_round_trips(
    gql: GraphQLClient,
) -> None:
    body = gql(
        """{
          entities(first: 100, orderBy: [{field: KEY}]) {
            totalCount
            nodes {
              __typename key label
              ... on Committee {
                parents { key }
                children { key ... on Committee { posts { role } } }
                counterpartOfEdges { evidence node { key } }
              }
            }
          }
        }"""
    )
    assert "errors" not in body, body["errors"]
    page = body["data"]["entities"]
    assert len(page["nodes"]) == 100
    assert page["totalCount"] > 100
    by_key = {n["key"]: n for n in page["nodes"]}
    assert by_key["3gpp-sa4"]["parents"] == [{"key": "3gpp"}]
    assert body["extensions"]["cypherRoundTrips"] <= 2


def test_all_concepts_with_hierarchy_and_subjects_in_at_most_two_round_trips(
    gql: GraphQLClient,
) -> None:
    body = gql(
        """{
          concepts(first: 100) {
            totalCount
            nodes { key broader { key } narrower { key } subjectOf { key } schemes { key } }
          }
        }"""
    )
    assert "errors" not in body, body["errors"]
    page = body["data"]["concepts"]
    assert page["totalCount"] == len(page["nodes"]) == seed_count("Concept")
    by_key = {n["key"]: n for n in page["nodes"]}
    assert {c["key"] for c in by_key["concept-foundational-standards"]["narrower"]} == {
        "concept-reference-architecture",
        "concept-terminology",
    }
    assert {c["key"] for c in by_key["concept-blockchain"]["subjectOf"]} >= {
        "sac-tc590",
        "iso-tc307",
        "iso-22739",
    }
    assert body["extensions"]["cypherRoundTrips"] <= 2


def test_round_trips_are_one_per_root_field(gql: GraphQLClient) -> None:
    body = gql(
        """{
          a: committee(key: "sac-tc28") { key }
          b: standards(first: 5) { nodes { key } }
          c: search(text: "区块链", first: 1) { field }
        }"""
    )
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cypherRoundTrips"] == 3


def test_version_needs_no_cypher(gql: GraphQLClient) -> None:
    body = gql("{ version }")
    assert body["data"]["version"]
    assert body["extensions"]["cypherRoundTrips"] == 0
