"""What an anonymous request may send without hurting the service, through the real API process
and Neo4j: query analysis that cannot explode (fragment bombs, repeated grouping dimensions,
`first` out of range), request bodies that are not GraphQL requests, security headers and the
body limit, authorization before validation, cheap token checks, and contact data that only
accounts see — in GraphQL, the change log, RDF and the web pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from rdflib import Graph, Literal

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess

SUFFIX = uuid.uuid4().hex[:6]
ADDRESS = f"ls-desk-{SUFFIX}@example.org"


@pytest.fixture(scope="module")
async def tokens(seeded_db: AsyncDriver, neo4j_connection: Connection) -> dict[str, str]:
    out = {}
    for role in ("reader", "editor"):
        _, out[role] = await create_account(
            seeded_db, neo4j_connection.database, f"hard-{role}-{SUFFIX}", role
        )
    return out


@pytest.fixture(scope="module")
def clients(api: ApiProcess, tokens: dict[str, str]) -> Iterator[dict[str, httpx.Client]]:
    out = {"anonymous": httpx.Client(verify=TLS, base_url=api.base_url, timeout=60)}
    for role, token in tokens.items():
        out[role] = httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=60,
            headers={"Authorization": f"Bearer {token}"},
        )
    yield out
    for client in out.values():
        client.close()


def gql(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def fragment_bomb(levels: int) -> str:
    parts = ["fragment F0 on Committee { key }"]
    parts += [
        f"fragment F{i} on Committee {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    parts.append(f'{{ committee(key: "sac-tc28") {{ ...F{levels} }} }}')
    return "\n".join(parts)


# -- query analysis -------------------------------------------------------------------------------
def test_a_fragment_bomb_is_refused_while_the_service_keeps_answering(
    clients: dict[str, httpx.Client], api: ApiProcess
) -> None:
    """39 doubling levels (2^39 fields once expanded) used to hang every route."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        bomb = pool.submit(gql, clients["anonymous"], fragment_bomb(39))
        health = [
            httpx.get(f"{api.base_url}/healthz", timeout=5, verify=TLS).status_code
            for _ in range(5)
        ]
        body = bomb.result(timeout=30)
    assert health == [200] * 5
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["extensions"]["limit"] == "cost"
    assert body["errors"][0]["extensions"]["cost"] > 2**39


def test_a_fragment_tree_within_the_limits_still_answers(clients: dict[str, httpx.Client]) -> None:
    """Memoised analysis must not change the answer: 2^12 copies of `key` merge into one."""
    body = gql(clients["anonymous"], fragment_bomb(12))
    assert "errors" not in body, body
    assert body["data"] == {"committee": {"key": "sac-tc28"}}


@pytest.mark.parametrize(
    ("group_by", "message"),
    [
        ("[CONCEPTS CONCEPTS CONCEPTS CONCEPTS]", "more than once"),
        ("[CONCEPTS CONCEPTS]", "more than once"),
    ],
)
def test_repeated_grouping_dimensions_are_refused_before_any_cypher(
    clients: dict[str, httpx.Client], group_by: str, message: str
) -> None:
    body = gql(clients["anonymous"], f"{{ conceptSchemeCounts(groupBy: {group_by}) {{ count }} }}")
    assert set(codes(body)) == {"BAD_USER_INPUT"}
    assert any(message in e["message"] for e in body["errors"])
    assert body["extensions"]["cypherRoundTrips"] == 0


def test_too_many_grouping_dimensions_are_refused(clients: dict[str, httpx.Client]) -> None:
    schema = gql(
        clients["anonymous"], '{ __type(name: "StandardDimension") { enumValues { name } } }'
    )
    names = [v["name"] for v in schema["data"]["__type"]["enumValues"]][:4]
    assert len(names) == 4
    body = gql(
        clients["anonymous"], f"{{ standardCounts(groupBy: [{' '.join(names)}]) {{ count }} }}"
    )
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "at most 3" in body["errors"][0]["message"]


def test_grouping_dimensions_count_in_the_cost(clients: dict[str, httpx.Client]) -> None:
    """Thirty aliased three-way aggregations cost more than the limit allows."""
    fields = " ".join(
        f"c{i}: standardCounts(groupBy: [STANDARD_KIND DEVELOPED_BY PUBLISHERS]) {{ count }}"
        for i in range(25)
    )
    body = gql(clients["anonymous"], f"{{ {fields} }}")
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["extensions"]["cypherRoundTrips"] == 0


def test_a_valid_grouping_still_counts(clients: dict[str, httpx.Client]) -> None:
    body = gql(clients["anonymous"], "{ committeeCounts(groupBy: [COMMITTEE_KIND]) { count } }")
    assert "errors" not in body, body
    assert sum(g["count"] for g in body["data"]["committeeCounts"]) > 10


@pytest.mark.parametrize("first", [-1, 101, -2147483648])
def test_nested_first_outside_the_page_range_is_bad_user_input(
    clients: dict[str, httpx.Client], first: int
) -> None:
    literal = gql(
        clients["anonymous"],
        f'{{ committee(key: "sac-tc28") {{ parents(first: {first}) {{ key }} }} }}',
    )
    assert codes(literal) == ["BAD_USER_INPUT"]
    via_variable = gql(
        clients["anonymous"],
        'query Q($n: Int) { committee(key: "sac-tc28") { children(first: $n) { key } } }',
        {"n": first},
    )
    assert codes(via_variable) == ["BAD_USER_INPUT"]
    assert via_variable["extensions"]["cypherRoundTrips"] == 0


# -- request bodies -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b"42",
        b'"{ version }"',
        b"null",
        b"[]",
        b"[1, 2]",
        b"true",
        b"{",
        b"\xff\xfe{}",
        b"[" * 100_000,
    ],
)
def test_a_body_that_is_not_a_graphql_request_is_a_json_400(
    clients: dict[str, httpx.Client], body: bytes
) -> None:
    response = clients["anonymous"].post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail["code"] == "BAD_REQUEST"
    assert detail["message"]


def test_other_request_level_errors_are_json_too(clients: dict[str, httpx.Client]) -> None:
    unsupported = clients["anonymous"].post(
        "/graphql", content=b"{ version }", headers={"content-type": "text/plain"}
    )
    assert unsupported.status_code == 400
    assert unsupported.json()["detail"]["code"] == "BAD_REQUEST"
    no_query = clients["anonymous"].post("/graphql", json={"variables": {}})
    assert no_query.status_code == 400
    assert "query" in no_query.json()["detail"]["message"].lower()
    mutation_over_get = clients["anonymous"].get(
        "/graphql", params={"query": 'mutation { revert(revisionId: "x") { applied } }'}
    )
    assert mutation_over_get.status_code in (400, 405)
    assert mutation_over_get.json()["detail"]["code"] == "BAD_REQUEST"


# -- headers and the body limit -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/healthz"),
        ("GET", "/"),
        ("GET", "/entity/sac-tc28"),
        ("GET", "/rdf/export?format=ntriples"),
        ("GET", "/no-such-page"),
        ("POST", "/graphql"),
    ],
)
def test_every_response_carries_security_headers(
    clients: dict[str, httpx.Client], method: str, path: str
) -> None:
    response = clients["anonymous"].request(
        method, path, json={"query": "{ version }"} if method == "POST" else None
    )
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_graphiql_allows_exactly_its_own_inline_script(clients: dict[str, httpx.Client]) -> None:
    page = clients["anonymous"].get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    script_src = page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'sha256-" in script_src
    assert "unsafe-inline" not in script_src


def test_a_body_over_the_limit_is_refused_with_413(clients: dict[str, httpx.Client]) -> None:
    big = b'{"query": "{ version }", "variables": {"x": "' + b"a" * 2_000_000 + b'"}}'
    declared = clients["anonymous"].post(
        "/graphql", content=big, headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["detail"]["code"] == "PAYLOAD_TOO_LARGE"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    streamed = clients["anonymous"].post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["detail"]["code"] == "PAYLOAD_TOO_LARGE"
    assert gql(clients["anonymous"], "{ version }")["data"]["version"]


# -- authorization before validation --------------------------------------------------------------
def test_an_anonymous_mutation_is_unauthenticated_whatever_its_input(
    clients: dict[str, httpx.Client],
) -> None:
    invalid = gql(
        clients["anonymous"],
        'mutation { createCommittee(input: {key: "Not A Key!", prefLabel: {zh: ""}}) { applied } }',
    )
    assert codes(invalid) == ["UNAUTHENTICATED"]
    unknown_field = gql(clients["anonymous"], "mutation { noSuchMutation }")
    assert codes(unknown_field) == ["UNAUTHENTICATED"]
    assert unknown_field["extensions"]["cypherRoundTrips"] == 0


def test_a_reader_is_forbidden_before_its_input_is_validated(
    clients: dict[str, httpx.Client],
) -> None:
    body = gql(
        clients["reader"],
        'mutation { createCommittee(input: {key: "Not A Key!", prefLabel: {zh: ""}}) { applied } }',
    )
    assert codes(body) == ["FORBIDDEN"]


# -- token checks ---------------------------------------------------------------------------------
async def test_tokens_are_stored_as_digests_and_wrong_secrets_are_cheap(
    clients: dict[str, httpx.Client],
    api: ApiProcess,
    tokens: dict[str, str],
    driver: AsyncDriver,
    neo4j_connection: Connection,
) -> None:
    records, _, _ = await driver.execute_query(
        "MATCH (a:Account {name: $name}) RETURN a.tokenHash AS h",
        name=f"hard-reader-{SUFFIX}",
        database_=neo4j_connection.database,
    )
    assert str(records[0]["h"]).startswith("sha256$")
    token_id = tokens["reader"].split("_")[1]
    wrong = [f"mskg_{token_id}_{uuid.uuid4().hex}" for _ in range(40)]

    def attempt(token: str) -> int:
        return httpx.post(
            f"{api.base_url}/graphql",
            json={"query": "{ version }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            verify=TLS,
        ).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, wrong))
    assert statuses == [401] * 40
    assert (
        gql(clients["reader"], "{ me { name } }")["data"]["me"]["name"] == f"hard-reader-{SUFFIX}"
    )


async def test_an_older_argon2_token_still_works_and_failures_do_not_stall_the_loop(
    api: ApiProcess, driver: AsyncDriver, neo4j_connection: Connection
) -> None:
    token_id, secret = uuid.uuid4().hex[:16], uuid.uuid4().hex + uuid.uuid4().hex
    await driver.execute_query(
        "CREATE (:Account {name: $name, role: 'reader', tokenId: $id, tokenHash: $hash, "
        "createdAt: datetime()})",
        name=f"legacy-{SUFFIX}",
        id=token_id,
        hash=PasswordHasher().hash(secret),
        database_=neo4j_connection.database,
    )

    slowest = await asyncio.to_thread(_legacy_checks, api.base_url, token_id, secret)
    # Argon2 runs in a worker thread: the event loop stays free for other requests.
    assert slowest < 1.0, slowest


def _legacy_checks(base_url: str, token_id: str, secret: str) -> float:
    """The right secret is accepted; six wrong ones in flight while /healthz is timed."""

    def status(token: str) -> int:
        return httpx.post(
            f"{base_url}/graphql",
            json={"query": "{ me { name } }"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
            verify=TLS,
        ).status_code

    assert status(f"mskg_{token_id}_{secret}") == 200
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        wrong = pool.map(status, [f"mskg_{token_id}_{uuid.uuid4().hex}" for _ in range(6)])
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            assert httpx.get(f"{base_url}/healthz", timeout=10, verify=TLS).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
        assert list(wrong) == [401] * 6
    return slowest


# -- contact data ---------------------------------------------------------------------------------
DRAFT = """
mutation Draft($key: String!, $address: String!) {
  draftStatement(input: {
    key: $key
    prefLabel: { zh: "联系方式测试", en: "Contact data test" }
    direction: OUTGOING
    senderAddresses: [$address]
    responseAddresses: [$address]
    ccAddresses: [$address]
  }) { applied }
}
"""

ADDRESSES = """
query S($key: String!) {
  liaisonStatement(key: $key) { key senderAddresses responseAddresses ccAddresses }
}
"""


@pytest.fixture(scope="module")
def statement(clients: dict[str, httpx.Client]) -> str:
    key = f"ls-contact-{SUFFIX}"
    body = gql(clients["editor"], DRAFT, {"key": key, "address": ADDRESS})
    assert body["data"]["draftStatement"]["applied"] is True, body
    return key


def test_statement_addresses_are_hidden_from_anonymous_readers_in_graphql(
    clients: dict[str, httpx.Client], statement: str
) -> None:
    anonymous = gql(clients["anonymous"], ADDRESSES, {"key": statement})["data"]
    assert anonymous["liaisonStatement"] == {
        "key": statement,
        "senderAddresses": None,
        "responseAddresses": None,
        "ccAddresses": None,
    }
    reader = gql(clients["reader"], ADDRESSES, {"key": statement})["data"]
    assert reader["liaisonStatement"]["senderAddresses"] == [ADDRESS]
    assert reader["liaisonStatement"]["ccAddresses"] == [ADDRESS]


def test_statement_addresses_cannot_be_probed_with_a_filter(
    clients: dict[str, httpx.Client], statement: str
) -> None:
    body = gql(
        clients["anonymous"],
        f'{{ liaisonStatements(where: {{senderAddresses: {{eq: "{ADDRESS}"}}}}) {{ nodes {{ key }} }} }}',
    )
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


def test_statement_addresses_do_not_reach_anonymous_readers_through_the_change_log(
    clients: dict[str, httpx.Client], statement: str
) -> None:
    query = "query H($key: String!) { history(key: $key) { changes { before after } } }"
    anonymous = clients["anonymous"].post(
        "/graphql", json={"query": query, "variables": {"key": statement}}
    )
    assert ADDRESS not in anonymous.text
    assert "errors" not in anonymous.json()
    reader = clients["reader"].post(
        "/graphql", json={"query": query, "variables": {"key": statement}}
    )
    assert ADDRESS in reader.text


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "trig", "nquads", "rdfxml"])
def test_statement_addresses_are_not_in_the_anonymous_rdf_export(
    clients: dict[str, httpx.Client], statement: str, fmt: str
) -> None:
    anonymous = clients["anonymous"].get("/rdf/export", params={"format": fmt})
    assert anonymous.status_code == 200
    assert ADDRESS not in anonymous.text
    reader = clients["reader"].get("/rdf/export", params={"format": fmt})
    assert ADDRESS in reader.text


def test_statement_addresses_are_not_on_the_public_entity_page_or_linked_data(
    clients: dict[str, httpx.Client], statement: str
) -> None:
    page = clients["anonymous"].get(f"/entity/{statement}")
    assert page.status_code == 200
    assert ADDRESS not in page.text
    turtle = clients["anonymous"].get(
        f"/id/liaison-statement/{statement}", headers={"accept": "text/turtle"}
    )
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert Literal(ADDRESS) not in set(graph.objects())
    as_reader = clients["reader"].get(
        f"/id/liaison-statement/{statement}", headers={"accept": "text/turtle"}
    )
    assert ADDRESS in as_reader.text


def test_an_empty_type_list_matches_nothing(clients: dict[str, httpx.Client]) -> None:
    """Found by the fuzz run: `types: []` compiled to invalid Cypher (an internal error)."""
    body = gql(clients["anonymous"], "{ entities(where: {types: []}) { totalCount } }")
    assert body["data"] == {"entities": {"totalCount": 0}}, body
    nested = gql(
        clients["anonymous"],
        '{ entities(where: {OR: [{types: []}, {key: {eq: "sac-tc28"}}]}) { nodes { key } } }',
    )
    assert nested["data"] == {"entities": {"nodes": [{"key": "sac-tc28"}]}}, nested


def test_contains_on_a_stored_datetime_matches_its_text(clients: dict[str, httpx.Client]) -> None:
    """Found by the fuzz run: `contains` on createdAt (a DateTime) was an internal error."""
    year = gql(clients["anonymous"], '{ committee(key: "sac-tc28") { createdAt } }')
    created = year["data"]["committee"]["createdAt"][:7]
    body = gql(
        clients["anonymous"],
        f'{{ entities(where: {{createdAt: {{contains: "{created}"}}, key: {{eq: "sac-tc28"}}}}) '
        "{ nodes { key } } }",
    )
    assert body["data"] == {"entities": {"nodes": [{"key": "sac-tc28"}]}}, body
    none = gql(
        clients["anonymous"],
        '{ entities(where: {updatedAt: {contains: "not-a-date"}}) { totalCount } }',
    )
    assert none["data"] == {"entities": {"totalCount": 0}}, none
