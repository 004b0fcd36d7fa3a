"""The `changes` subscription over graphql-transport-ws: a change made through one API process
reaches a subscriber of another process."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, api_env, start_api, stop_api

SUBSCRIPTION = """
subscription Feed($types: [EntityType!]) {
  changes(types: $types) { seq actor comment changes { op entityType key } }
}
"""


@pytest.fixture
def second_api(neo4j_connection: Connection, tmp_path: Path) -> Iterator[ApiProcess]:
    proc = start_api(api_env(neo4j_connection, MSKG_FEED_POLL_SECONDS="0.2"), tmp_path)
    try:
        yield proc
    finally:
        stop_api(proc)


async def _next_message(ws: websockets.ClientConnection, seconds: float) -> dict[str, object]:
    message: dict[str, object] = json.loads(await asyncio.wait_for(ws.recv(), seconds))
    return message


def _key_of(message: dict[str, Any]) -> str:
    assert message["type"] == "next", message
    return str(message["payload"]["data"]["changes"]["changes"][0]["key"])


async def _until_live(ws: websockets.ClientConnection, client: httpx.AsyncClient) -> None:
    """Create probe committees until the subscription delivers one, instead of sleeping: it sends
    only revisions after the log's end it read when it started, which the test cannot see. Once
    one probe arrives, every later revision will, so the probes still on their way are read off
    (up to the last one created) and the next message is the test's own."""
    probes: list[str] = []
    while len(probes) < 60:
        probes.append(f"feed-probe-{uuid.uuid4().hex[:8]}")
        response = await client.post(
            "/graphql",
            json={
                "query": "mutation ($key: String!) { createCommittee(input: {key: $key, "
                'prefLabel: {zh: "探针", en: "Probe"}, committeeKind: TC}) { applied } }',
                "variables": {"key": probes[-1]},
            },
        )
        assert response.json()["data"]["createCommittee"]["applied"] is True, response.text
        try:
            message = await _next_message(ws, 1.0)
        except TimeoutError:
            continue
        while _key_of(message) != probes[-1]:
            assert _key_of(message) in probes, message
            message = await _next_message(ws, 15)
        return
    raise AssertionError("the subscription delivered none of 60 changes made after it started")


async def test_a_change_through_one_process_reaches_a_subscriber_of_another(
    api: ApiProcess, second_api: ApiProcess, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    _, token = await create_account(
        seeded_db, neo4j_connection.database, f"feed-{uuid.uuid4().hex[:6]}", "editor"
    )
    url = api.base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert (await _next_message(ws, 10))["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"types": ["Committee"]}},
                }
            )
        )
        key = f"feed-tc-{uuid.uuid4().hex[:6]}"
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(
            verify=TLS, base_url=second_api.base_url, headers=headers, timeout=30
        ) as client:
            await _until_live(ws, client)
            concept = await client.post(
                "/graphql",
                json={
                    "query": 'mutation { createConcept(input: {key: "feed-concept-x", prefLabel: {zh: "概念", en: "Concept"}}) { applied } }'
                },
            )
            assert concept.json()["data"]["createConcept"]["applied"] is True
            created = await client.post(
                "/graphql",
                json={
                    "query": "mutation ($key: String!) { createCommittee(input: {key: $key, "
                    'prefLabel: {zh: "测试", en: "Feed test"}, committeeKind: TC}, comment: "via process 2") '
                    "{ applied revision { seq } } }",
                    "variables": {"key": key},
                },
            )
        body = created.json()
        assert body["data"]["createCommittee"]["applied"] is True, body
        seq = body["data"]["createCommittee"]["revision"]["seq"]

        message = await _next_message(ws, 15)
        assert message["type"] == "next", message
        change = message["payload"]["data"]["changes"]  # type: ignore[index]
        # The Concept revision (filtered out by `types`) never arrives; the Committee one does.
        assert change["seq"] == seq
        assert change["comment"] == "via process 2"
        assert change["changes"] == [{"op": "create", "entityType": "Committee", "key": key}]
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
