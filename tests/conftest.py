"""Shared fixtures: a real Neo4j and a real Fuseki for the whole session, and a real API process.

A private Neo4j server is started in a temporary directory on free ports (unless NEO4J_URI is
set, in which case that server is used) and stopped at the end of the session. So is a private
Fuseki (the SPARQL store) when integration tests run; API processes use it as their local one.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from graph.driver import AsyncDriver, Connection, open_driver
from graph.maintenance import clear_database
from graph.schema import apply_schema
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port
from sparql_local.server import FusekiOptions, LocalFuseki

ROOT = Path(__file__).resolve().parents[1]
MSKG = str(Path(sys.executable).with_name("mskg"))

# Every request of the suite goes to a server on 127.0.0.1 over plain HTTP, so no client ever uses
# TLS; httpx still builds a context for each client and call, loading the CA bundle (40 ms each,
# a minute of CPU over the suite). Every client and call is handed this one instead.
TLS = ssl.create_default_context()


def _external_connection() -> Connection | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Connection(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ["NEO4J_PASSWORD"],
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


# The classpath each kind of server resolved first in this session. A server started in a new
# home would otherwise run Maven again to find the same jars (4 s and more of CPU each time); the
# server still checks the copy (its version line, every jar present) and resolves when it fails.
_classpaths: dict[str, Path] = {}


def _reuse_classpath(kind: str, target: Path) -> None:
    known = _classpaths.get(kind)
    if known is not None and known.exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(known, target)


# Neo4j drops a cached plan once the counts it was planned on have changed enough (checked at
# most every 10 s by default). The suite empties the database and reloads the seed module by
# module, so every statement was planned again and again: 38-240 ms each on a CI machine, and a
# seed load went from 1 s to 9 s. The suite's graphs stay small (thousands of nodes at most), so
# a plan made once serves them all. `mskg neo4j start` keeps the default, which a graph growing
# from empty to the whole catalogues needs.
def start_private_server(home: Path) -> LocalNeo4j:
    if shutil.which("java") is None:
        pytest.fail("java is not on PATH: the tests need a real Neo4j (install a JDK 17)")
    server = LocalNeo4j(
        ServerOptions(
            home=home,
            bolt_port=free_port(),
            heap="768m",
            pagecache="256m",
            settings=(("dbms.cypher.min_replan_interval", "24h"),),
        )
    )
    _reuse_classpath("neo4j", server.classpath_file)
    server.start()
    _classpaths.setdefault("neo4j", server.classpath_file)
    return server


@pytest.fixture(scope="session")
def neo4j_connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    external = _external_connection()
    if external is not None:
        yield external
        return
    server = start_private_server(tmp_path_factory.mktemp("neo4j-session"))
    try:
        yield Connection(uri=server.options.uri, user="neo4j", password=server.password())
    finally:
        server.stop()


def start_private_fuseki(data_dir: Path, query_timeout: float = 30.0) -> LocalFuseki:
    """A Fuseki in `data_dir`/fuseki on a free port; `fuseki_env` points an API process at it."""
    server = LocalFuseki(
        FusekiOptions(
            home=data_dir / "fuseki", port=free_port(), heap="512m", query_timeout=query_timeout
        )
    )
    _reuse_classpath("fuseki", server.classpath_file)
    server.start()
    _classpaths.setdefault("fuseki", server.classpath_file)
    return server


def fuseki_env(server: LocalFuseki) -> dict[str, str]:
    """Settings that make `mskg serve` use (and supervise) this server as its local Fuseki."""
    return {
        "MSKG_DATA_DIR": str(server.home.parent),
        "MSKG_SPARQL_PORT": str(server.options.port),
        "MSKG_SPARQL_TIMEOUT_SECONDS": f"{server.options.query_timeout:g}",
    }


_session_fuseki: list[LocalFuseki] = []


@pytest.fixture(scope="session", autouse=True)
def fuseki(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalFuseki | None]:
    """The session's SPARQL store, started unless only unit tests (no servers) are collected."""
    if all(item.nodeid.startswith("tests/unit/") for item in request.session.items):
        yield None
        return
    server = start_private_fuseki(tmp_path_factory.mktemp("sparql-session"))
    _session_fuseki.append(server)
    try:
        yield server
    finally:
        _session_fuseki.clear()
        server.stop()


@pytest.fixture(scope="session")
async def driver(neo4j_connection: Connection) -> AsyncIterator[AsyncDriver]:
    drv = open_driver(neo4j_connection)
    await apply_schema(drv, neo4j_connection.database)
    try:
        yield drv
    finally:
        await drv.close()


@pytest.fixture
async def empty_graph(driver: AsyncDriver, neo4j_connection: Connection) -> AsyncDriver:
    """The session's driver over a database emptied for this test."""
    await clear_database(driver, neo4j_connection.database)
    return driver


@dataclass(frozen=True)
class ApiProcess:
    base_url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]


def api_env(connection: Connection, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
    env.update(
        NEO4J_URI=connection.uri,
        NEO4J_USER=connection.user,
        NEO4J_PASSWORD=connection.password,
        NEO4J_DATABASE=connection.database,
        MSKG_LOG_LEVEL="warning",
        # A module's first query may wait for the store to load the graph it just seeded.
        MSKG_SPARQL_CATCHUP_SECONDS="30",
    )
    if _session_fuseki:
        env.update(fuseki_env(_session_fuseki[0]))
    env.update(extra)
    return env


def start_api(env: dict[str, str], cwd: Path, *args: str) -> ApiProcess:
    """Run `mskg serve` (with `args`) as its own process on a free port; wait until it answers."""
    port = free_port()
    log = (cwd / f"api-{port}.log").open("wb")
    process = subprocess.Popen(
        [MSKG, "serve", "--port", str(port), *args], env=env, cwd=cwd, stdout=log, stderr=log
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            pytest.fail(f"API exited with {process.returncode}; see {log.name}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1, verify=TLS).status_code == 200:
                return ApiProcess(base_url=base_url, process=process, log=log)
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    log.close()
    pytest.fail("API did not answer on /healthz within 60s")


def stop_api(api: ApiProcess) -> None:
    api.process.terminate()
    try:
        api.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        api.process.kill()
        api.process.wait()
    api.log.close()


@pytest.fixture(scope="session")
def api(
    neo4j_connection: Connection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiProcess]:
    proc = start_api(api_env(neo4j_connection), tmp_path_factory.mktemp("api"))
    try:
        yield proc
    finally:
        stop_api(proc)


@pytest.fixture
def http(api: ApiProcess) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as client:
        yield client


async def database_state(driver: AsyncDriver, database: str) -> tuple[Any, ...]:
    """Everything stored — every node and relationship with its id, labels or type and
    properties — in a canonical order: equal states are the same database, byte for byte."""
    from graph.gateway import read

    rows = await read(
        driver,
        database,
        "RETURN COLLECT { MATCH (n) WITH n ORDER BY elementId(n) "
        "RETURN [elementId(n), labels(n), properties(n)] } AS nodes, "
        "COLLECT { MATCH (a)-[r]->(b) WITH a, r, b ORDER BY elementId(r) "
        "RETURN [elementId(r), type(r), properties(r), elementId(a), elementId(b)] } AS rels",
    )

    def canonical(value: Any) -> Any:
        if isinstance(value, dict):
            return tuple(sorted((k, canonical(v)) for k, v in value.items()))
        if isinstance(value, list):
            return tuple(canonical(v) for v in value)
        return value

    return canonical(rows[0]["nodes"]), canonical(rows[0]["rels"])


async def gap_scope_marks(driver: AsyncDriver, database: str) -> set[str]:
    """The keys of the items marked as in the gap lists' relevant scope (graph.gap_scope)."""
    from graph.gap_scope import SCOPE_LABEL
    from graph.gateway import read

    rows = await read(driver, database, f"MATCH (m:{SCOPE_LABEL}) RETURN m.item AS item")
    return {row["item"] for row in rows}


async def tally_cells(driver: AsyncDriver, database: str) -> dict[tuple[Any, ...], int]:
    """The counts kept for declared groupings (graph.tallies): (tally, a, b) -> count, the
    empty cells left out."""
    from graph.gateway import read
    from graph.tallies import CELL_LABEL, COUNTED_IN

    rows = await read(
        driver,
        database,
        f"MATCH (c:{CELL_LABEL}) WITH c, COUNT {{ (c)<-[:{COUNTED_IN}]-() }} AS n WHERE n > 0 "
        "RETURN c.tally AS t, c.a AS a, c.b AS b, n",
    )
    return {(row["t"], row["a"], row["b"]): row["n"] for row in rows}


# The database's state right after the session's last seeding (empty: not seeded yet).
_seeded_state: list[tuple[Any, ...]] = []


@pytest.fixture(scope="module")
async def seeded_db(driver: AsyncDriver, neo4j_connection: Connection) -> AsyncDriver:
    """The session's database holding exactly the seed graph, as a fresh load leaves it.

    Reloaded for each module unless the database is still, node for node and property for
    property (ids included), what the last load left: a reload also replaces the revision log,
    which has every API process reload its SPARQL store, so reloading an untouched seed costs
    the suite minutes and tests nothing.
    """
    from loaders.seed import load_seed

    db = neo4j_connection.database
    if _seeded_state and await database_state(driver, db) == _seeded_state[0]:
        return driver
    _seeded_state.clear()
    await clear_database(driver, db)
    await load_seed(driver, db, "https://w3id.org/mskg/")
    _seeded_state.append(await database_state(driver, db))
    return driver


async def load_seed_plus(
    driver: AsyncDriver, database: str, folder: Path, name: str, extra: str
) -> None:
    """Load the seed plus `extra` (seed YAML in file `name`) through the seed loader, from a
    copy of the seed files in `folder`."""
    from loaders.seed import load_seed, read_seed, seed_dir

    for path in seed_dir().glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / name).write_text(extra, encoding="utf-8")
    await load_seed(driver, database, "https://w3id.org/mskg/", read_seed(folder))


@dataclass
class GraphQLClient:
    """POSTs operations to the real API process and returns the decoded response."""

    http: httpx.Client

    def __call__(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = self(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def error(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The single error of a response that must fail."""
        body = self(query, variables)
        assert body.get("errors"), body
        assert len(body["errors"]) == 1, body["errors"]
        error: dict[str, Any] = body["errors"][0]
        return error


@pytest.fixture
def gql(http: httpx.Client, seeded_db: AsyncDriver) -> GraphQLClient:
    return GraphQLClient(http)
