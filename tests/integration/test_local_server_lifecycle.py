"""`mskg neo4j start|stop|status|env` and the API across a Neo4j restart, end to end.

Runs its own server (not the session's) through the real CLI, as `make run` does.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import GraphDatabase

from neo4j_local.server import free_port, neo4j_version
from sparql_local.server import jena_version
from tests.conftest import MSKG, TLS, start_api, stop_api

pytestmark = pytest.mark.slow


def mskg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MSKG, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def local_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
    env.update(
        MSKG_DATA_DIR=str(tmp_path / "state"),
        MSKG_NEO4J_BOLT_PORT=str(free_port()),
        MSKG_NEO4J_HEAP="512m",
        MSKG_NEO4J_PAGECACHE="64m",
        MSKG_SPARQL_PORT=str(free_port()),
        MSKG_SPARQL_HEAP="256m",
        MSKG_LOG_LEVEL="warning",
    )
    yield env
    mskg(env, "neo4j", "stop")
    mskg(env, "sparql", "stop")


def server_pids(home: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"--home-dir={home}".encode() in args:
            pids.append(int(proc.name))
    return pids


def wait_for_status(
    client: httpx.Client, path: str, status: int, seconds: float = 30
) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_cli_lifecycle_and_api_survive_a_restart(local_env: dict[str, str], tmp_path: Path) -> None:
    port = local_env["MSKG_NEO4J_BOLT_PORT"]
    uri = f"bolt://127.0.0.1:{port}"
    home = (tmp_path / "state" / "neo4j").resolve()

    assert mskg(local_env, "neo4j", "status").returncode == 3

    first = mskg(local_env, "neo4j", "start")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == uri
    assert f"Neo4j {neo4j_version()} started" in first.stderr
    assert len(server_pids(home)) == 1
    assert ((home / "password").stat().st_mode & 0o777) == 0o600

    second = mskg(local_env, "neo4j", "start")
    assert second.returncode == 0
    assert "already running" in second.stderr
    assert len(server_pids(home)) == 1, "a second start must not start a second server"

    status = mskg(local_env, "neo4j", "status")
    assert status.returncode == 0
    assert status.stdout.startswith("running (pid ")
    assert uri in status.stdout

    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in mskg(local_env, "neo4j", "env").stdout.splitlines()
    )
    password = shlex.split(exports["NEO4J_PASSWORD"])[0]
    assert exports["NEO4J_URI"] == uri
    assert password == (home / "password").read_text().strip()
    assert password != "neo4j"
    # Without the port it was started with, the CLI still finds the server of its data directory.
    portless = {k: v for k, v in local_env.items() if k != "MSKG_NEO4J_BOLT_PORT"}
    found = mskg(portless, "neo4j", "env").stdout
    assert f"NEO4J_URI=bolt://127.0.0.1:{port}" in found.replace("'", "")

    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        driver.execute_query("CREATE (:Probe {name: '持久'})")

    api = start_api(local_env, tmp_path)
    try:
        with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as client:
            assert wait_for_status(client, "/readyz", 200).status_code == 200

            assert mskg(local_env, "neo4j", "stop").returncode == 0
            assert server_pids(home) == []
            down = client.get("/readyz")
            assert down.status_code == 503
            body = down.json()
            assert body["status"] == "unavailable"
            assert body["neo4j"]["uri"] == uri
            assert "mskg neo4j start" in body["neo4j"]["hint"]
            assert client.get("/healthz").status_code == 200
            stopped = mskg(local_env, "neo4j", "status")
            assert stopped.returncode == 3
            assert stopped.stdout.startswith("stopped")

            assert mskg(local_env, "neo4j", "start").returncode == 0
            assert wait_for_status(client, "/readyz", 200).status_code == 200
            assert api.process.poll() is None, "the same API process serves again"
    finally:
        stop_api(api)

    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        records, _, _ = driver.execute_query("MATCH (p:Probe) RETURN p.name AS name")
    assert [r["name"] for r in records] == ["持久"]


def test_sparql_cli_lifecycle(local_env: dict[str, str], tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{local_env['MSKG_SPARQL_PORT']}/mskg"
    home = (tmp_path / "state" / "fuseki").resolve()
    assert mskg(local_env, "sparql", "status").returncode == 3

    first = mskg(local_env, "sparql", "start")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == url
    assert f"Fuseki {jena_version()} started" in first.stderr
    assert ((home / "password").stat().st_mode & 0o777) == 0o600
    assert ((home / "passwd").stat().st_mode & 0o777) == 0o600
    second = mskg(local_env, "sparql", "start")
    assert second.returncode == 0
    assert "already running" in second.stderr
    status = mskg(local_env, "sparql", "status")
    assert status.returncode == 0
    assert url in status.stdout

    # Nobody without the generated password reads or writes the store.
    ask = {"query": "ASK {}"}
    assert httpx.get(f"{url}/query", params=ask, verify=TLS).status_code == 401
    update = {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}
    assert httpx.post(f"{url}/update", data=update, verify=TLS).status_code == 401
    password = (home / "password").read_text().strip()
    assert (
        httpx.get(f"{url}/query", params=ask, auth=("mskg", password), verify=TLS).status_code
        == 200
    )

    assert mskg(local_env, "sparql", "stop").returncode == 0
    assert mskg(local_env, "sparql", "status").returncode == 3
