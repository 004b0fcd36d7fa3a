"""SPARQL cannot touch the API: the store is a separate Fuseki process, queries are checked
before they reach it, its timeout really stops a query, and it is restarted when it dies.

The module runs its own Fuseki (a 2 s query timeout) and its own API process, which treats that
Fuseki as its local server (so it supervises it) and answers from the store as it is (no
catch-up wait), so that the background sync's latency is what the tests see.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from api.sparql.store import FusekiStore, StoreConfig
from api.sparql.sync import STATE_READ_EVERY, StoreState, StoreSync
from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from graph.maintenance import clear_database
from loaders.seed import load_seed
from neo4j_local.server import free_port
from sparql_local.server import USER as FUSEKI_USER
from sparql_local.server import LocalFuseki
from tests.conftest import (
    TLS,
    ApiProcess,
    api_env,
    fuseki_env,
    start_api,
    start_private_fuseki,
    stop_api,
)

ID = "https://w3id.org/mskg/id/committee/"
COUNTERPARTS = """
PREFIX mskg: <https://w3id.org/mskg/ontology#>
SELECT ?domestic ?international WHERE { ?domestic mskg:domesticCounterpartOf ?international }
ORDER BY ?domestic ?international
"""
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass(frozen=True)
class Isolated:
    api: ApiProcess
    fuseki: LocalFuseki
    env: dict[str, str]
    home: Path


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def wait_until_current(client: httpx.Client, seconds: float = 180) -> None:
    """Until the store holds the whole log (the sync's own pace; nothing waits on the server)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get("/sparql", params={"query": COUNTERPARTS})
        if response.status_code == 200 and response.headers["MSKG-SPARQL-Lag"] == "0":
            return
        time.sleep(0.2)
    pytest.fail("the SPARQL store did not catch up with the log")


async def create_committee(http: httpx.AsyncClient, token: str, key: str) -> None:
    """A committee created through GraphQL by the holder of `token` (an editor)."""
    created = await http.post(
        "/graphql",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "query": "mutation($key: String!) { createCommittee(input: {key: $key, "
            'prefLabel: {zh: "探针", en: "Probe"}}) { applied } }',
            "variables": {"key": key},
        },
    )
    assert "errors" not in created.json(), created.json()


@pytest.fixture(scope="module")
def isolated(
    seeded_db: AsyncDriver, neo4j_connection: Connection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Isolated]:
    home = tmp_path_factory.mktemp("sparql-isolation")
    fuseki = start_private_fuseki(home, query_timeout=2)
    env = api_env(neo4j_connection, **fuseki_env(fuseki), MSKG_SPARQL_CATCHUP_SECONDS="0")
    api = start_api(env, home)
    try:
        with httpx.Client(verify=TLS, base_url=api.base_url, timeout=60) as client:
            wait_until_current(client)
        yield Isolated(api, fuseki, env, home)
    finally:
        stop_api(api)
        fuseki.stop()


@pytest.fixture
def client(isolated: Isolated) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=isolated.api.base_url, timeout=60) as http:
        yield http


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail: dict[str, str] = response.json()["detail"]
    assert detail["code"] == code, detail
    return detail


def test_deep_nesting_is_refused_and_the_api_lives_on(client: httpx.Client) -> None:
    # The reproducer that crashed the API process when the parser ran inside it.
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000
    detail = assert_error(client.get("/sparql", params={"query": deep}), 400, "QUERY_TOO_DEEP")
    assert "deeper than" in detail["message"]
    assert_error(client.post("/sparql", data={"query": deep}), 400, "QUERY_TOO_DEEP")
    assert client.get("/healthz").status_code == 200
    assert len(rows(client.get("/sparql", params={"query": COUNTERPARTS}))) >= 2


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str]

    def _record(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[]}}')

    def do_GET(self) -> None:
        self._record()

    def do_POST(self) -> None:
        self._record()

    def log_message(self, format: str, *args: object) -> None:
        return None


def test_service_is_refused_and_nothing_is_fetched(client: httpx.Client) -> None:
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    listener = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.server_address[1]}/ssrfprobe"
        for query in (
            f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
        ):
            detail = assert_error(
                client.get("/sparql", params={"query": query}), 400, "SERVICE_NOT_ALLOWED"
            )
            assert url not in detail["message"]
        passwd = "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"
        assert_error(client.post("/sparql", data={"query": passwd}), 400, "SERVICE_NOT_ALLOWED")
        time.sleep(0.5)
        assert hits == []
    finally:
        listener.shutdown()
        listener.server_close()


def test_from_is_refused_and_updates_are_forbidden(client: httpx.Client) -> None:
    query = "SELECT * FROM <http://127.0.0.1:9/graph> WHERE { ?s ?p ?o }"
    assert_error(client.get("/sparql", params={"query": query}), 400, "FROM_NOT_ALLOWED")
    named = "SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert_error(client.get("/sparql", params={"query": named}), 400, "FROM_NOT_ALLOWED")
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert_error(
        client.post(
            "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
        ),
        403,
        "FORBIDDEN",
    )
    # A syntax error comes back as a 400 with the store's own message.
    bad = assert_error(client.get("/sparql", params={"query": "SELECT WHERE"}), 400, "BAD_REQUEST")
    assert "line" in bad["message"].lower()


def test_runaway_queries_are_stopped_and_the_endpoint_answers_after(
    client: httpx.Client, isolated: Isolated
) -> None:
    def run(_: int) -> httpx.Response:
        with httpx.Client(verify=TLS, base_url=isolated.api.base_url, timeout=60) as own:
            return own.get("/sparql", params={"query": CARTESIAN})

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(run, range(6)))
    for answer in answers:
        assert_error(answer, 503, "QUERY_TIMEOUT")
        assert answer.headers["Retry-After"].isdigit()
    # The six were cancelled in the store, not left running: an ordinary query answers.
    assert len(rows(client.get("/sparql", params={"query": COUNTERPARTS}))) >= 2


def test_invalid_utf8_is_a_400_with_json(client: httpx.Client) -> None:
    raw = client.post(
        "/sparql",
        content=b'SELECT * WHERE { ?s ?p "\xff\xfe" }',
        headers={"Content-Type": "application/sparql-query"},
    )
    assert_error(raw, 400, "INVALID_ENCODING")
    for body in (b"query=SELECT%20*%20WHERE%20%7B%7D%FF", b"query=SELECT \xc3\x28"):
        form = client.post(
            "/sparql",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_error(form, 400, "INVALID_ENCODING")


def test_oversized_queries_are_refused(client: httpx.Client) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70000
    assert_error(client.post("/sparql", data={"query": huge}), 413, "QUERY_TOO_LARGE")
    body = b"x" * 400_000
    too_big = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert_error(too_big, 413, "BODY_TOO_LARGE")


async def test_an_edit_is_visible_within_about_a_second(
    isolated: Isolated, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    user = f"sparql-iso-{uuid.uuid4().hex[:6]}"
    _, token = await create_account(seeded_db, neo4j_connection.database, user, "editor")
    label = f"Visible {uuid.uuid4().hex[:6]}"
    query = (
        f"SELECT ?l WHERE {{ <{ID}cesa-mwc> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
        "FILTER(lang(?l) = 'en') }"
    )
    async with httpx.AsyncClient(verify=TLS, base_url=isolated.api.base_url, timeout=30) as client:
        version = (
            await client.post(
                "/graphql", json={"query": '{ committee(key: "cesa-mwc") { version } }'}
            )
        ).json()["data"]["committee"]["version"]
        edit = await client.post(
            "/graphql",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "query": 'mutation($v: Int!, $l: String!) { updateCommittee(key: "cesa-mwc", '
                "expectedVersion: $v, patch: {prefLabel: {en: $l}}) { applied } }",
                "variables": {"v": version, "l": label},
            },
        )
        assert "errors" not in edit.json(), edit.json()
        committed = time.monotonic()
        seen: list[str] = []
        # Generous bound for a busy test machine; the README gives the measured latency.
        while time.monotonic() - committed < 5:
            response = await client.get("/sparql", params={"query": query})
            seen = [r["l"] for r in rows(response)]
            if seen == [label]:
                break
        assert seen == [label], f"the edit was not in the store 5 s after it was committed: {seen}"


class CountingSync(StoreSync):
    """The API's sync, counting how often it asks the store for its state."""

    reads = 0

    async def read_state(self) -> StoreState:
        self.reads += 1
        return await super().read_state()


async def test_an_idle_sync_asks_the_store_every_few_rounds_and_at_once_after_a_write(
    client: httpx.Client,
    isolated: Isolated,
    seeded_db: AsyncDriver,
    neo4j_connection: Connection,
) -> None:
    await asyncio.to_thread(wait_until_current, client)
    store = FusekiStore(
        StoreConfig(isolated.fuseki.options.url, FUSEKI_USER, isolated.fuseki.password()),
        timeout=30,
    )
    sync = CountingSync(store, seeded_db, neo4j_connection, "https://w3id.org/mskg/")
    try:
        for _ in range(1 + 2 * STATE_READ_EVERY):
            await sync.step()
        # The first round reads; then 8 quiet rounds; the 10th reads; then 8 quiet again.
        assert sync.reads == 2
        assert sync.state is not None
        assert sync.state.seq is not None
        before = sync.state.seq
        user = f"sparql-quiet-{uuid.uuid4().hex[:6]}"
        _, token = await create_account(seeded_db, neo4j_connection.database, user, "editor")
        async with httpx.AsyncClient(
            verify=TLS, base_url=isolated.api.base_url, timeout=30
        ) as http:
            await create_committee(http, token, "quiet-probe")
        # The log moved: the very next round asks the store, though it is a quiet round.
        await sync.step()
        assert sync.reads == 3
        deadline = time.monotonic() + 30
        while sync.state is None or sync.state.seq is None or sync.state.seq <= before:
            assert time.monotonic() < deadline, "the store never reached the new revision"
            await asyncio.sleep(0.25)
            await sync.step()
    finally:
        await store.close()


def test_a_killed_store_is_restarted_and_queries_work_again(
    client: httpx.Client, isolated: Isolated
) -> None:
    before = isolated.fuseki.status().pid
    assert before is not None
    os.kill(before, signal.SIGKILL)
    isolated.fuseki.reap(before)
    down = client.get("/sparql", params={"query": COUNTERPARTS})
    assert_error(down, 503, "SERVICE_UNAVAILABLE")
    assert down.headers["Retry-After"].isdigit()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = client.get("/sparql", params={"query": COUNTERPARTS})
        if response.status_code == 200:
            break
        time.sleep(0.5)
    assert len(rows(response)) >= 2
    after = isolated.fuseki.status().pid
    assert after is not None
    assert after != before
    assert client.get("/healthz").status_code == 200


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_the_api_process_does_not_hold_the_graph(client: httpx.Client, isolated: Isolated) -> None:
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    client.get("/sparql", params={"query": everything}, headers={"Accept": "application/n-triples"})
    before = _rss(isolated.api.process.pid)
    streamed = 0
    for _ in range(5):
        with client.stream(
            "GET",
            "/sparql",
            params={"query": everything},
            headers={"Accept": "application/n-triples"},
        ) as response:
            assert response.status_code == 200
            streamed += sum(len(chunk) for chunk in response.iter_bytes())
    grown = _rss(isolated.api.process.pid) - before
    assert streamed > 5_000_000  # the whole public graph went through, five times
    # Results are relayed as they come, never gathered: the process does not grow with them.
    assert grown < streamed / 4, (grown, streamed)


async def test_two_api_processes_keep_one_store_in_step(
    isolated: Isolated, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    """Edits through two API processes at once: both sync tasks race for the store, and the
    store ends with every revision once and every entity's last state."""
    second = start_api(isolated.env, isolated.home)
    user = f"sparql-race-{uuid.uuid4().hex[:6]}"
    _, token = await create_account(seeded_db, neo4j_connection.database, user, "editor")
    keys = ["cesa-mwc", "tc28-sg4", "sac-tc590", "sac-tc242", "miit-metaverse-wg"]
    urls = [isolated.api.base_url, second.base_url]
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            httpx.AsyncClient(verify=TLS, base_url=urls[0], timeout=60, headers=headers) as one,
            httpx.AsyncClient(verify=TLS, base_url=urls[1], timeout=60, headers=headers) as two,
        ):

            async def edit(key: str) -> str:
                label = ""
                for round_ in range(4):
                    client = (one, two)[round_ % 2]
                    version = (
                        await client.post(
                            "/graphql",
                            json={"query": f'{{ committee(key: "{key}") {{ version }} }}'},
                        )
                    ).json()["data"]["committee"]["version"]
                    label = f"{key} round {round_} {uuid.uuid4().hex[:4]}"
                    done = await client.post(
                        "/graphql",
                        json={
                            "query": "mutation($k: String!, $v: Int!, $l: String!) { "
                            "updateCommittee(key: $k, expectedVersion: $v, "
                            "patch: {prefLabel: {en: $l}}) { applied } }",
                            "variables": {"k": key, "v": version, "l": label},
                        },
                    )
                    assert "errors" not in done.json(), done.json()
                return label

            last = dict(zip(keys, await asyncio.gather(*(edit(k) for k in keys)), strict=True))
            for client in (one, two):
                deadline = time.monotonic() + 60
                while (await client.get("/sparql", params={"query": COUNTERPARTS})).headers[
                    "MSKG-SPARQL-Lag"
                ] != "0":
                    assert time.monotonic() < deadline, "the store did not catch up"
                    await asyncio.sleep(0.1)
            values = " ".join(f"<{ID}{key}>" for key in keys)
            labels = await one.get(
                "/sparql",
                params={
                    "query": f"SELECT ?c ?l WHERE {{ VALUES ?c {{ {values} }} "
                    "?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
                    "FILTER(lang(?l) = 'en') }"
                },
            )
            assert {r["c"].removeprefix(ID): r["l"] for r in rows(labels)} == last
            history = await one.post(
                "/graphql", json={"query": "{ recentChanges(first: 1) { seq } }"}
            )
            head = history.json()["data"]["recentChanges"][0]["seq"]
            revisions = await two.get(
                "/sparql",
                params={
                    "query": "PREFIX mskg: <https://w3id.org/mskg/ontology#> "
                    "SELECT ?seq (COUNT(?rev) AS ?n) WHERE { ?rev a mskg:Revision ; "
                    "mskg:sequence ?seq } GROUP BY ?seq ORDER BY ?seq"
                },
            )
            counted = rows(revisions)
            assert [int(r["seq"]) for r in counted] == list(range(1, head + 1))
            assert {r["n"] for r in counted} == {"1"}
    finally:
        stop_api(second)


async def test_a_replaced_log_reloads_the_store(
    isolated: Isolated, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    """The database emptied and seeded again numbers its revisions from 1 anew: the store must
    notice (its last revision's id is gone) and load the graph again, not apply onto the old."""
    user = f"sparql-reload-{uuid.uuid4().hex[:6]}"
    _, token = await create_account(seeded_db, neo4j_connection.database, user, "editor")
    probe = f"ASK {{ <{ID}reload-probe> ?p ?o }}"

    async def probe_until(expected: bool, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (await http.get("/sparql", params={"query": probe})).json()["boolean"] != expected:
            assert time.monotonic() < deadline, f"the probe is still not {expected}"
            await asyncio.sleep(0.1)

    async with httpx.AsyncClient(verify=TLS, base_url=isolated.api.base_url, timeout=30) as http:
        await create_committee(http, token, "reload-probe")
        await probe_until(True, 30)
        await clear_database(seeded_db, neo4j_connection.database)
        await load_seed(seeded_db, neo4j_connection.database, "https://w3id.org/mskg/")
        # Gone: the store holds the new log's graph, not the old one with a batch on top.
        await probe_until(False, 120)
        deadline = time.monotonic() + 180
        while True:
            counterparts = await http.get("/sparql", params={"query": COUNTERPARTS})
            if counterparts.headers["MSKG-SPARQL-Lag"] == "0" and len(rows(counterparts)) >= 2:
                break
            assert time.monotonic() < deadline, "the store did not load the new log's graph"
            await asyncio.sleep(0.2)
        assert (await http.get("/sparql", params={"query": probe})).json()["boolean"] is False
