"""An editing storm through the real API: 20 clients × 50 optimistic updates on the same three
entities. Every write is either accepted or a CONFLICT; no accepted write is lost; the log holds
exactly the accepted writes; and replaying the log rebuilds the graph."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from graph.accounts import create_account
from graph.change_record import Change
from graph.driver import AsyncDriver, Connection
from graph.maintenance import clear_database, snapshot
from graph.revisions import log_after, replay
from loaders.seed import load_seed
from tests.conftest import TLS, ApiProcess

BASE = "https://w3id.org/mskg/"
PREFIX = f"cc-{uuid.uuid4().hex[:6]}"
CLIENTS = 20
UPDATES = 50
EDITORS = 4
KEYS = [f"{PREFIX}-{i}" for i in range(3)]

READ = "query V($key: String!) { committee(key: $key) { version } }"
UPDATE = """
mutation U($key: String!, $v: Int!, $text: String!) {
  updateCommittee(key: $key, expectedVersion: $v, patch: {note: {zh: $text, en: $text}}) {
    applied
    revision { id seq actor changes { key version before after } }
  }
}
"""


@dataclass(frozen=True)
class Outcome:
    client: int
    key: str
    expected: int
    text: str
    code: str  # "ACCEPTED", or the error code ("HTTP <status>" for a non-GraphQL failure)
    revision: dict[str, Any] | None = None
    current_version: int | None = None


@dataclass(frozen=True)
class Storm:
    start_seq: int
    outcomes: list[Outcome]
    actors: dict[int, str]  # client → account name
    seconds: float

    def accepted(self, key: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.code == "ACCEPTED" and (key is None or o.key == key)]


@pytest.fixture(scope="module")
async def editors(seeded_db: AsyncDriver, neo4j_connection: Connection) -> list[tuple[str, str]]:
    out = []
    for i in range(EDITORS):
        name = f"{PREFIX}-editor-{i}"
        _, token = await create_account(seeded_db, neo4j_connection.database, name, "editor")
        out.append((name, token))
    return out


def _post(client: httpx.Client, query: str, variables: dict[str, Any]) -> httpx.Response:
    return client.post("/graphql", json={"query": query, "variables": variables})


def _run_client(
    api: ApiProcess, token: str, client_no: int, barrier: threading.Barrier
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with httpx.Client(
        verify=TLS, base_url=api.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        barrier.wait(timeout=60)
        for i in range(UPDATES):
            key = KEYS[(client_no + i) % len(KEYS)]
            read = _post(client, READ, {"key": key})
            assert read.status_code == 200, read.text
            version = int(read.json()["data"]["committee"]["version"])
            text = f"client {client_no} update {i}"
            response = _post(client, UPDATE, {"key": key, "v": version, "text": text})
            if response.status_code != 200:
                outcomes.append(
                    Outcome(client_no, key, version, text, f"HTTP {response.status_code}")
                )
                continue
            body = response.json()
            if body.get("errors"):
                extensions = body["errors"][0].get("extensions") or {}
                outcomes.append(
                    Outcome(
                        client_no,
                        key,
                        version,
                        text,
                        str(extensions.get("code")),
                        current_version=extensions.get("currentVersion"),
                    )
                )
            else:
                result = body["data"]["updateCommittee"]
                assert result["applied"] is True
                outcomes.append(
                    Outcome(client_no, key, version, text, "ACCEPTED", revision=result["revision"])
                )
    return outcomes


@pytest.fixture(scope="module")
def storm(api: ApiProcess, editors: list[tuple[str, str]]) -> Storm:
    first_name, first_token = editors[0]
    with httpx.Client(
        verify=TLS,
        base_url=api.base_url,
        timeout=60,
        headers={"Authorization": f"Bearer {first_token}"},
    ) as setup:
        for key in KEYS:
            created = _post(
                setup,
                "mutation C($key: String!) { createCommittee(input: {key: $key, "
                'prefLabel: {zh: "并发", en: "Concurrency"}}) { applied entity { version } } }',
                {"key": key},
            ).json()
            assert created["data"]["createCommittee"] == {
                "applied": True,
                "entity": {"version": 1},
            }, created
        latest = _post(setup, "{ recentChanges(first: 1) { seq actor } }", {}).json()
        start = latest["data"]["recentChanges"][0]
        assert start["actor"] == first_name

    barrier = threading.Barrier(CLIENTS)
    actors = {c: editors[c % EDITORS][0] for c in range(CLIENTS)}
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [
            pool.submit(_run_client, api, editors[c % EDITORS][1], c, barrier)
            for c in range(CLIENTS)
        ]
        outcomes = [o for f in futures for o in f.result()]
    return Storm(int(start["seq"]), outcomes, actors, time.monotonic() - began)


def test_every_write_is_accepted_or_a_conflict(storm: Storm) -> None:
    codes = Counter(o.code for o in storm.outcomes)
    assert len(storm.outcomes) == CLIENTS * UPDATES
    assert set(codes) <= {"ACCEPTED", "CONFLICT"}, codes
    assert codes["ACCEPTED"] > 0
    print(f"\n{codes['ACCEPTED']} accepted, {codes['CONFLICT']} conflicts in {storm.seconds:.1f}s")
    for outcome in storm.outcomes:
        if outcome.code == "CONFLICT":
            # The client's version was stale: someone else wrote in between.
            assert isinstance(outcome.current_version, int)
            assert outcome.current_version > outcome.expected, outcome


def test_accepted_writes_never_share_a_version(storm: Storm) -> None:
    """No lost update: on each entity, the accepted writes produced versions 2, 3, … n+1,
    each exactly once, each from the version its client had read."""
    for key in KEYS:
        accepted = storm.accepted(key)
        versions = []
        for outcome in accepted:
            assert outcome.revision is not None
            (change,) = outcome.revision["changes"]
            assert change["key"] == key
            assert change["version"] == outcome.expected + 1
            assert change["after"] == {"note_en": outcome.text, "note_zh": outcome.text}
            assert outcome.revision["actor"] == storm.actors[outcome.client]
            versions.append(change["version"])
        assert sorted(versions) == list(range(2, len(accepted) + 2)), key
        by_seq = sorted(accepted, key=lambda o: o.revision["seq"] if o.revision else 0)
        assert [o.revision["changes"][0]["version"] for o in by_seq if o.revision] == sorted(
            versions
        )


def test_each_entity_ends_at_one_plus_its_accepted_updates_with_the_last_write(
    api: ApiProcess, storm: Storm
) -> None:
    for key in KEYS:
        accepted = storm.accepted(key)
        last = max(accepted, key=lambda o: o.revision["seq"] if o.revision else 0)
        found = httpx.post(
            f"{api.base_url}/graphql",
            json={
                "query": "query V($key: String!) { committee(key: $key) { version note { zh en } } }",
                "variables": {"key": key},
            },
            timeout=30,
            verify=TLS,
        ).json()["data"]["committee"]
        assert found == {"version": 1 + len(accepted), "note": {"zh": last.text, "en": last.text}}


async def test_the_log_holds_exactly_the_accepted_writes(
    storm: Storm, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    log = await log_after(
        seeded_db, neo4j_connection.database, 0, None, first=1_000_000
    )  # the whole log
    assert log is not None
    touching = [r for r in log if r.seq > storm.start_seq and set(KEYS) & _keys(r.changes)]
    accepted = storm.accepted()
    assert len(touching) == len(accepted)
    assert {r.id for r in touching} == {o.revision["id"] for o in accepted if o.revision}
    per_actor = Counter(r.actor for r in touching)
    assert per_actor == Counter(storm.actors[o.client] for o in accepted)


def test_history_lists_the_accepted_writes_newest_first(api: ApiProcess, storm: Storm) -> None:
    for key in KEYS:
        expected = sorted(
            (o.revision for o in storm.accepted(key) if o.revision),
            key=lambda r: -int(r["seq"]),
        )
        page = httpx.post(
            f"{api.base_url}/graphql",
            json={
                "query": "query H($key: String!) { history(key: $key, first: 100) { id seq actor } }",
                "variables": {"key": key},
            },
            timeout=30,
            verify=TLS,
        ).json()["data"]["history"]
        newest = [r for r in page if r["seq"] > storm.start_seq]
        assert len(newest) == min(len(expected), 100)
        assert [(r["id"], r["actor"]) for r in newest] == [
            (r["id"], r["actor"]) for r in expected[: len(newest)]
        ]
        if len(expected) < 100:
            # Below the page limit, the page ends with the entity's creation.
            assert page[len(newest) :][0]["seq"] <= storm.start_seq


def _keys(changes: list[Change]) -> set[str]:
    return {k for c in changes for k in c.keys}


async def test_replaying_the_log_rebuilds_the_graph(
    storm: Storm, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    try:
        current = await snapshot(seeded_db, db)
        assert set(KEYS) <= set(current["nodes"])
        log = await log_after(seeded_db, db, 0, None, first=1_000_000)  # the whole log
        assert log is not None
        await clear_database(seeded_db, db)
        await replay(seeded_db, db, BASE, log)
        rebuilt = await snapshot(seeded_db, db)
        assert rebuilt["nodes"].keys() == current["nodes"].keys()
        for key in KEYS:
            assert rebuilt["nodes"][key] == current["nodes"][key], key
        assert rebuilt["relationships"] == current["relationships"]
        assert rebuilt == current
    finally:
        # The replay leaves no revisions or accounts: put the seed back for whatever runs next.
        await clear_database(seeded_db, db)
        await load_seed(seeded_db, db, BASE)
