"""SPARQL figures for the README: first-query latency after an API start, write-to-visible
latency, a liaison query's p50/p95 at seed size, and the memory of Fuseki and the API.

    .venv/bin/python -m bench.sparql

Starts a private Neo4j and Fuseki on free ports in a temporary directory, loads the seed, runs
`mskg serve` against them (answering from the store as it is, so the sync's own latency shows),
and prints the figures. Not part of `make test`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from graph.accounts import create_account
from graph.driver import Connection, open_driver
from graph.maintenance import clear_database
from graph.schema import apply_schema
from loaders.seed import load_seed
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port
from sparql_local.server import FusekiOptions, LocalFuseki

MSKG = str(Path(sys.executable).with_name("mskg"))
BASE = "https://w3id.org/mskg/"
LIAISONS = """
PREFIX mskg: <https://w3id.org/mskg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?holder ?holderLabel ?partnerLabel ?category WHERE {
  ?liaison a mskg:Liaison ; mskg:liaisonOf ?holder ; mskg:liaisonWith ?partner .
  OPTIONAL { ?liaison mskg:liaisonCategory ?category }
  ?holder skos:prefLabel ?holderLabel FILTER(lang(?holderLabel) = "en")
  ?partner skos:prefLabel ?partnerLabel FILTER(lang(?partnerLabel) = "en")
} ORDER BY ?holder ?partnerLabel
"""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [MSKG, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )


def wait_healthy(url: str) -> None:
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)


async def prepare(conn: Connection) -> str:
    """The seed in an empty database, and an editor's token."""
    driver = open_driver(conn)
    try:
        await apply_schema(driver, conn.database)
        await clear_database(driver, conn.database)
        await load_seed(driver, conn.database, BASE)
        _, token = await create_account(driver, conn.database, "bench-editor", "editor")
        return token
    finally:
        await driver.close()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="mskg-sparql-bench-"))
    neo4j = LocalNeo4j(ServerOptions(home=work / "neo4j", bolt_port=free_port()))
    fuseki = LocalFuseki(FusekiOptions(home=work / "fuseki", port=free_port()))
    neo4j.start()
    fuseki.start()
    conn = Connection(uri=neo4j.options.uri, user="neo4j", password=neo4j.password())
    api: subprocess.Popen[bytes] | None = None
    try:
        token = asyncio.run(prepare(conn))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
        env.update(
            NEO4J_URI=conn.uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=conn.password,
            MSKG_DATA_DIR=str(work), MSKG_SPARQL_PORT=str(fuseki.options.port),
            MSKG_SPARQL_CATCHUP_SECONDS="0", MSKG_LOG_LEVEL="info",
        )  # fmt: skip
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        api = serve(env, port, work / "api.log")
        wait_healthy(url)
        with httpx.Client(base_url=url, timeout=60) as client:
            started = time.monotonic()
            while (
                client.get("/sparql", params={"query": LIAISONS}).headers.get("MSKG-SPARQL-Lag")
                != "0"
            ):
                time.sleep(0.05)
            print(f"initial load of an empty store (seed): {time.monotonic() - started:.2f} s")
            api.terminate()
            api.wait()
            # A restarted API process: the store is already there.
            api = serve(env, port, work / "api.log")
            wait_healthy(url)
            started = time.monotonic()
            first = client.get("/sparql", params={"query": LIAISONS})
            print(
                f"first query after an API start: {(time.monotonic() - started) * 1000:.0f} ms "
                f"(status {first.status_code}, {len(first.json()['results']['bindings'])} rows)"
            )
            for _ in range(20):
                client.get("/sparql", params={"query": LIAISONS})
            times = []
            for _ in range(200):
                t = time.perf_counter()
                assert client.get("/sparql", params={"query": LIAISONS}).status_code == 200
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(
                f"liaison query, 200 runs: p50 {statistics.median(times):.1f} ms, "
                f"p95 {times[189]:.1f} ms, max {times[-1]:.1f} ms"
            )
            visible = []
            query = (
                "SELECT ?l WHERE { <https://w3id.org/mskg/id/committee/cesa-mwc> "
                "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'en') }"
            )
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(10):
                version = client.post(
                    "/graphql", json={"query": '{ committee(key: "cesa-mwc") { version } }'}
                ).json()["data"]["committee"]["version"]
                label = f"Bench {uuid.uuid4().hex[:6]}"
                edit = client.post(
                    "/graphql",
                    headers=headers,
                    json={
                        "query": "mutation($v: Int!, $l: String!) { updateCommittee("
                        'key: "cesa-mwc", expectedVersion: $v, patch: {prefLabel: {en: $l}}) '
                        "{ applied } }",
                        "variables": {"v": version, "l": label},
                    },
                )
                committed = time.perf_counter()
                assert "errors" not in edit.json(), edit.json()
                while True:
                    rows = client.get("/sparql", params={"query": query}).json()
                    if [b["l"]["value"] for b in rows["results"]["bindings"]] == [label]:
                        break
                visible.append((time.perf_counter() - committed) * 1000)
            visible.sort()
            print(
                f"write to visible, 10 edits: median {statistics.median(visible):.0f} ms, "
                f"max {visible[-1]:.0f} ms"
            )
            fpid = fuseki.status().pid
            assert fpid is not None
            print(f"RSS: Fuseki {rss_mib(fpid):.0f} MiB, API process {rss_mib(api.pid):.0f} MiB")
    finally:
        if api is not None:
            api.terminate()
            api.wait()
        fuseki.stop()
        neo4j.stop()


if __name__ == "__main__":
    main()
