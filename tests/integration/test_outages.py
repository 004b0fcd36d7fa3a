"""Neo4j outages, end to end: its own Neo4j server and its own API process, so killing the
server disturbs no other test.

With Neo4j killed, every route answers within 2 s: 503 with Retry-After and a JSON body (the
workspace's pages: an HTML 503), GraphQL errors with `SERVICE_UNAVAILABLE`, /healthz still
200; once Neo4j is back, the same API process answers with data. An export cut off part-way
ends with a visible marker and an unfinished body; a statement past its transaction timeout
is stopped and reported as such; an import killed part-way reports one line with the command
that resumes it, and resuming completes it.
"""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from graph.accounts import create_account
from graph.driver import Connection, Policy, open_driver
from graph.errors import GraphUnavailableError, QueryTimeoutError
from graph.gateway import read
from graph.rdf_formats import FORMATS
from graph.schema import apply_schema
from loaders.imports import import_file
from loaders.seed import load_seed
from loaders.synthetic import generate
from neo4j_local.server import LocalNeo4j
from tests.conftest import MSKG, TLS, ApiProcess, api_env, start_api, start_private_server, stop_api

pytestmark = pytest.mark.slow

T = TypeVar("T")
BOUND = 2.0  # seconds: the longest any route may take to answer during an outage
QUERY = '{ committee(key: "sac-tc28") { key prefLabel { en } } }'
HISTORY = '{ history(key: "sac-tc28") { id seq } }'
MUTATION = """
mutation { upsertCommittee(input: {key: "outage-test-committee", prefLabel: {zh: "测", en: "T"}})
  { applied } }
"""


@dataclass(frozen=True)
class Setup:
    server: LocalNeo4j
    connection: Connection
    api: ApiProcess
    editor_token: str
    home: Path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    home = tmp_path_factory.mktemp("outages")
    server = start_private_server(home / "neo4j")
    connection = Connection(uri=server.options.uri, user="neo4j", password=server.password())
    token = _run_async(_prepare(connection))
    api = start_api(api_env(connection), home)
    try:
        yield Setup(server, connection, api, token, home)
    finally:
        stop_api(api)
        server.stop()


async def _prepare(connection: Connection) -> str:
    driver = open_driver(connection)
    try:
        await apply_schema(driver, connection.database)
        await load_seed(driver, connection.database, "https://w3id.org/mskg/")
        _, token = await create_account(driver, connection.database, "outage-editor", "editor")
        return token
    finally:
        await driver.close()


def _run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.fixture
def client(setup: Setup) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=setup.api.base_url, timeout=30) as c:
        yield c


def _restart(setup: Setup, client: httpx.Client) -> None:
    setup.server.start()
    deadline = time.monotonic() + 60
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the API did not see Neo4j again within 60 s"
        time.sleep(0.3)


def _timed(send: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def _assert_unavailable_json(response: httpx.Response, what: str) -> None:
    assert response.status_code == 503, (what, response.status_code, response.text[:300])
    assert int(response.headers["retry-after"]) >= 1, what
    assert response.headers["content-type"].startswith("application/json"), what
    detail = response.json()["detail"]
    assert detail["code"] == "SERVICE_UNAVAILABLE", what
    assert "Neo4j" in detail["message"], what
    assert detail["hint"], what


# -- Neo4j killed: an export under way, then every route; then Neo4j back -------------------------
def test_neo4j_killed_under_traffic_every_route_answers_fast_then_serves_again(
    setup: Setup, client: httpx.Client
) -> None:
    editor = {"Authorization": f"Bearer {setup.editor_token}"}
    # Warm up: pooled connections exist and die with the server, as in production.
    assert client.post("/graphql", json={"query": QUERY}).json()["data"]["committee"]["key"]
    assert client.get("/id/committee/sac-tc28?format=turtle").status_code == 200
    # An export under way when Neo4j dies: enough data (tens of MB, more than the sockets
    # between the API and this client hold) that it is still being written. Long definitions
    # on fewer nodes: as many bytes, a fifth of the index entries to write.
    _run_async(_bulk_concepts(setup.connection, 8_000))
    with client.stream("GET", "/rdf/export?format=turtle") as export:
        assert export.status_code == 200
        chunks = export.iter_bytes()
        received = bytearray()
        while len(received) < 256 * 1024:
            received += next(chunks)

        _run_async(_kill_and_check_the_gateway(setup))

        failure: Exception | None = None
        try:
            for chunk in chunks:
                received += chunk
        except httpx.HTTPError as exc:
            failure = exc
    last = received.decode("utf-8", errors="replace").rstrip("\n").rsplit("\n", 1)[-1]
    assert last.startswith("# ERROR: the export is incomplete: Neo4j does not answer"), last
    assert isinstance(failure, httpx.RemoteProtocolError), "the body must be left unfinished"

    checks: list[tuple[str, float]] = []

    def timed(what: str, send: Any) -> httpx.Response:
        response, seconds = _timed(send)
        checks.append((what, seconds))
        return response

    for what, body, headers in (
        ("graphql query", {"query": QUERY}, {}),
        ("graphql history", {"query": HISTORY}, {}),
        ("graphql mutation as editor", {"query": MUTATION}, editor),
        ("graphql query as editor", {"query": QUERY}, editor),
    ):
        response = timed(what, lambda b=body, h=headers: client.post("/graphql", json=b, headers=h))
        assert response.status_code in (200, 503), (what, response.text)
        assert int(response.headers["retry-after"]) >= 1, what
        errors = response.json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["SERVICE_UNAVAILABLE"], (what, errors)
        assert "Neo4j" in errors[0]["message"], what
        # Anonymous requests fail while executing (GraphQL's 200); a bearer token's account is
        # read before execution, so those fail as a request (503).
        assert response.status_code == (503 if headers else 200), what

    for name in FORMATS:
        response = timed(
            f"/id ?format={name}", lambda n=name: client.get(f"/id/committee/sac-tc28?format={n}")
        )
        _assert_unavailable_json(response, f"/id as {name}")
    for accept in ("text/turtle", "application/ld+json", "text/html", "*/*"):
        response = timed(
            f"/id Accept {accept}",
            lambda a=accept: client.get("/id/committee/sac-tc28", headers={"Accept": a}),
        )
        _assert_unavailable_json(response, f"/id Accept {accept}")
    for what, path, headers in (
        ("/rdf/export", "/rdf/export", {}),
        ("/rdf/export signed in", "/rdf/export?format=ntriples", editor),
        (".ics feed", "/feeds/committee/sac-tc28/deadlines.ics", {}),
        ("/mapping.csv", "/mapping.csv", {}),
        ("/readyz", "/readyz", {}),
    ):
        response = timed(what, lambda p=path, h=headers: client.get(p, headers=h))
        if what == "/readyz":
            assert response.status_code == 503
            assert response.json()["status"] == "unavailable"
            assert int(response.headers["retry-after"]) >= 1
        else:
            _assert_unavailable_json(response, what)

    for what, path, cookies in (
        ("search page", "/?q=metaverse", {}),
        ("entity page", "/entity/sac-tc28", {}),
        ("mapping page", "/mapping", {}),
        ("liaisons page", "/liaisons", {}),
        ("entity page signed in", "/entity/sac-tc28", {"mskg_token": setup.editor_token}),
    ):
        client.cookies.clear()
        client.cookies.update(cookies)
        response = timed(what, lambda p=path: client.get(p))
        assert response.status_code == 503, (what, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("text/html"), what
        assert int(response.headers["retry-after"]) >= 1, what
        assert "SERVICE_UNAVAILABLE" in response.text, what
    client.cookies.clear()

    healthz = timed("/healthz", lambda: client.get("/healthz"))
    assert healthz.status_code == 200
    slow = [(what, round(s, 2)) for what, s in checks if s >= BOUND]
    assert slow == [], f"answered after more than {BOUND} s: {slow}"

    # Neo4j back: the same API process answers with data, no restart.
    _restart(setup, client)
    assert setup.api.process.poll() is None
    body = client.post("/graphql", json={"query": QUERY}).json()
    assert body["data"]["committee"]["key"] == "sac-tc28", body
    assert client.post("/graphql", json={"query": HISTORY}).json()["data"]["history"]
    written = client.post("/graphql", json={"query": MUTATION}, headers=editor).json()
    assert written["data"]["upsertCommittee"]["applied"] is True, written
    assert written["extensions"]["cypherRoundTrips"] > 0, "writes are round trips too"
    turtle = client.get("/id/committee/sac-tc28", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert "sac-tc28" in turtle.text
    export = client.get("/rdf/export?format=turtle")
    assert export.status_code == 200
    assert "sac-tc28" in export.text
    assert "# ERROR" not in export.text
    feed = client.get("/feeds/committee/sac-tc28/deadlines.ics")
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert client.get("/mapping.csv").status_code == 200
    assert client.get("/entity/sac-tc28").status_code == 200


async def _bulk_concepts(connection: Connection, count: int) -> None:
    driver = open_driver(connection)
    try:
        await driver.execute_query(
            "UNWIND range(1, $n) AS i "
            "CREATE (c:Resource:Concept {key: 'bulk-' + i, iri: 'https://w3id.org/mskg/id/concept/bulk-' + i, "
            "prefLabel_en: 'Bulk concept ' + i, prefLabel_zh: '概念' + i, "
            "definition_en: 'Bulk definition ' + i + ' ' + $pad, version: 1})",
            {"n": count, "pad": "x" * 3000},
            database_=connection.database,
        )
    finally:
        await driver.close()


async def _kill_and_check_the_gateway(setup: Setup) -> None:
    """Kill Neo4j under a driver of our own: its first call fails within the wait, the next
    one at once (the fail-fast window), saying for how long."""
    driver = open_driver(setup.connection, Policy(outage_wait=1.0, fail_fast=30.0))
    db = setup.connection.database
    try:
        assert await read(driver, db, "RETURN 1 AS one") == [{"one": 1}]
        assert setup.server.kill()
        started = time.monotonic()
        with pytest.raises(GraphUnavailableError):
            await read(driver, db, "RETURN 1 AS one")
        first = time.monotonic() - started
        started = time.monotonic()
        with pytest.raises(GraphUnavailableError) as fast:
            await read(driver, db, "RETURN 1 AS one")
        again = time.monotonic() - started
        assert first < BOUND, first
        assert again < 0.05, again
        assert "not trying again" in str(fast.value)
        assert fast.value.retry_after > 25
    finally:
        await driver.close()


# -- the transaction timeout --------------------------------------------------------------------
async def test_a_statement_past_its_timeout_is_stopped_and_reported(setup: Setup) -> None:
    driver = open_driver(setup.connection, Policy(statement_timeout=1.0))
    db = setup.connection.database
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError) as caught:
            # About 1.6 billion rows: minutes of work without the timeout.
            await read(
                driver,
                db,
                "UNWIND range(1, 40000) AS a UNWIND range(1, 40000) AS b RETURN count(*) AS c",
            )
        seconds = time.monotonic() - started
        assert seconds < 10, f"the timeout took {seconds:.1f} s to stop the statement"
        assert "time limit" in str(caught.value)
        assert "MSKG_CYPHER_TIMEOUT_SECONDS" in caught.value.hint
        # Not an outage: the next statement runs at once.
        assert await read(driver, db, "RETURN 1 AS one") == [{"one": 1}]
    finally:
        await driver.close()


# -- an import killed part-way ------------------------------------------------------------------
def test_an_import_killed_part_way_says_how_to_resume_in_one_line(
    setup: Setup, tmp_path: Path
) -> None:
    corpus = generate(tmp_path / "corpus", 300, seed=5)
    env = api_env(setup.connection)
    _run_async(_import(setup.connection, corpus.path("concepts"), "concepts"))
    _run_async(_import(setup.connection, corpus.path("committees"), "committees"))
    standards = corpus.path("standards")
    command = [MSKG, "load", "csv", str(standards), "--kind", "standards", "--batch-size", "10"]
    load = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        _wait_until_some_written(setup.connection, "syn-std-")
        assert setup.server.kill()
        _, stderr = load.communicate(timeout=60)
    finally:
        if load.poll() is None:
            load.kill()
            load.communicate()
    assert load.returncode not in (0, None), stderr
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    line = errors[0]
    assert "Neo4j" in line, line
    assert "resume with: " in line, line
    resume = line.split("resume with: ", 1)[1]
    assert shlex.split(resume) == ["mskg", *command[1:]], resume

    setup.server.start()
    again = subprocess.run(
        [MSKG, *shlex.split(resume)[1:]], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not list(standards.parent.glob("*reject*")), "every row is valid"
    counts = _run_async(_count_standards(setup.connection))
    assert counts == (corpus.rows["standards"], corpus.rows["standards"]), counts


async def _import(connection: Connection, path: Path, kind: str) -> None:
    """What the standards refer to, imported in-process (quicker than the CLI)."""
    driver = open_driver(connection)
    try:
        result = await import_file(
            driver, connection.database, "https://w3id.org/mskg/", path, kind, "outage-test"
        )
        assert result.problems == []
    finally:
        await driver.close()


def _wait_until_some_written(connection: Connection, prefix: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _run_async(_count_prefix(connection, prefix)) > 0:
            return
        time.sleep(0.1)
    pytest.fail("the import wrote nothing within 120 s")


async def _count_prefix(connection: Connection, prefix: str) -> int:
    driver = open_driver(connection)
    try:
        rows = await read(
            driver,
            connection.database,
            "MATCH (n:Standard) WHERE n.key STARTS WITH $p RETURN count(n) AS c",
            {"p": prefix},
        )
        return int(rows[0]["c"])
    finally:
        await driver.close()


async def _count_standards(connection: Connection) -> tuple[int, int]:
    """Standards of the corpus, and distinct keys among them (no duplicates)."""
    driver = open_driver(connection)
    try:
        rows = await read(
            driver,
            connection.database,
            "MATCH (n:Standard) WHERE n.key STARTS WITH 'syn-' "
            "RETURN count(n) AS c, count(DISTINCT n.key) AS k",
        )
        return int(rows[0]["c"]), int(rows[0]["k"])
    finally:
        await driver.close()
