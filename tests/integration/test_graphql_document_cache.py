"""The GraphQL document cache through the real API: a repeated text gives the same answers, and
everything that depends on the request still runs on every request — limits that read the
variables, redaction of contact details for anonymous readers, validation of invalid documents.

Each text carries a fresh comment so that it is new to the session's API process: the first
request is a miss that stores the document, the later ones are hits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, GraphQLClient

PREFIX = f"dc-{uuid.uuid4().hex[:6]}"


def fresh(query: str) -> str:
    """`query` with a comment no earlier request sent."""
    return f"# {uuid.uuid4().hex}\n{query}"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_a_repeated_operation_returns_the_same_data(gql: GraphQLClient) -> None:
    query = fresh(
        """query($kind: StandardKind) {
          standards(first: 20, where: {standardKind: {eq: $kind}}, orderBy: [{field: KEY}]) {
            totalCount nodes { key developedBy { key } }
          }
        }"""
    )
    first = gql(query, {"kind": "IS"})
    assert "errors" not in first, first["errors"]
    assert first["data"]["standards"]["nodes"]
    for _ in range(3):
        assert gql(query, {"kind": "IS"}) == first
    # The same document with other variables answers for those variables.
    other = gql.data(query, {"kind": "GB_T"})["standards"]
    assert other["nodes"]
    assert {n["key"] for n in other["nodes"]}.isdisjoint(
        n["key"] for n in first["data"]["standards"]["nodes"]
    )
    assert gql(query, {"kind": "IS"}) == first


def test_a_cached_document_is_still_refused_when_its_variables_cost_too_much(
    gql: GraphQLClient,
) -> None:
    query = fresh(
        """query($n: Int!) {
          committees(first: $n) {
            nodes { children(first: $n) { ... on Committee { children(first: $n) { key } } } }
          }
        }"""
    )
    small = gql(query, {"n": 3})
    assert "errors" not in small, small["errors"]
    for _ in range(2):
        body = gql(query, {"n": 100})
        assert codes(body) == ["QUERY_TOO_COMPLEX"], body
        assert body["errors"][0]["extensions"]["limit"] == "cost"
        assert body["extensions"]["cypherRoundTrips"] == 0
        bad = gql(query, {"n": 101})
        assert "BAD_USER_INPUT" in codes(bad), bad
    assert gql(query, {"n": 3}) == small


def test_a_too_deep_document_fails_every_time(gql: GraphQLClient) -> None:
    inner = "key"
    for _ in range(9):
        inner = f"parents(first: 1) {{ ... on Committee {{ key {inner} }} }}"
    query = fresh(f'{{ committee(key: "iso-iec-jtc1-sc24-wg8") {{ key {inner} }} }}')
    for _ in range(3):
        body = gql(query)
        assert codes(body) == ["QUERY_TOO_COMPLEX"], body
        assert body["errors"][0]["extensions"]["limit"] == "depth"
        assert body["extensions"]["cypherRoundTrips"] == 0


def test_an_invalid_document_keeps_failing_validation(gql: GraphQLClient) -> None:
    for query in (
        fresh('{ committee(key: "sac-tc28") { key noSuchField } }'),
        fresh('{ committee(key: "sac-tc28") { key '),
    ):
        for _ in range(3):
            body = gql(query)
            assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"], body
            assert body.get("data") is None
            assert body["extensions"]["cypherRoundTrips"] == 0


# -- roles ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
async def editor_token(seeded_db: AsyncDriver, neo4j_connection: Connection) -> str:
    _, token = await create_account(seeded_db, neo4j_connection.database, f"{PREFIX}-ed", "editor")
    return token


@pytest.fixture(scope="module")
def clients(api: ApiProcess, editor_token: str) -> Iterator[dict[str, GraphQLClient]]:
    anonymous = httpx.Client(verify=TLS, base_url=api.base_url, timeout=30)
    editor = httpx.Client(
        verify=TLS,
        base_url=api.base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    try:
        yield {"anonymous": GraphQLClient(anonymous), "editor": GraphQLClient(editor)}
    finally:
        anonymous.close()
        editor.close()


@pytest.fixture(scope="module")
def person(clients: dict[str, GraphQLClient]) -> str:
    key = f"{PREFIX}-person"
    created = clients["editor"].data(
        """mutation($input: PersonInput!) { createPerson(input: $input) { applied } }""",
        {
            "input": {
                "key": key,
                "prefLabel": {"zh": "王芳", "en": "Wang Fang"},
                "email": "wang.fang@example.org",
                "phone": "+86 21 8765 4321",
            }
        },
    )
    assert created == {"createPerson": {"applied": True}}
    return key


def test_an_anonymous_reader_after_a_signed_in_one_still_gets_redacted_contacts(
    clients: dict[str, GraphQLClient], person: str
) -> None:
    query = fresh("query($key: String!) { person(key: $key) { key email phone } }")
    shown = {
        "person": {"key": person, "email": "wang.fang@example.org", "phone": "+86 21 8765 4321"}
    }
    hidden = {"person": {"key": person, "email": None, "phone": None}}
    assert clients["editor"].data(query, {"key": person}) == shown
    assert clients["anonymous"].data(query, {"key": person}) == hidden
    assert clients["editor"].data(query, {"key": person}) == shown
    assert clients["anonymous"].data(query, {"key": person}) == hidden


def test_an_anonymous_mutation_after_a_signed_in_one_is_refused(
    clients: dict[str, GraphQLClient], person: str
) -> None:
    query = fresh("mutation { __typename }")
    assert clients["editor"].data(query) == {"__typename": "Mutation"}
    body = clients["anonymous"](query)
    assert codes(body) == ["UNAUTHENTICATED"], body
    assert body.get("data") is None
