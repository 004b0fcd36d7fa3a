"""Benchmark: every workspace page on a loaded graph — p50, p95 and p99 against the 300 ms goal.

    .venv/bin/python -m bench.pages                 (make bench-pages)

Runs against NEO4J_URI (read only), or else the Neo4j server `make bench-catalogues --keep`
left in its run directory, started again if it is stopped. An API process is started for the
run. The pages are the ones each user group opens first, with parameters found on the graph
itself: the biggest committees, editions of their works, their liaisons, the mapping narrowed
each way. Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

import httpx

from bench.catalogues import _big_committees, _deep_page, conf_port, hammer_get
from bench.run import LoadFigures, console, env_connection, start_api
from graph.driver import Connection
from neo4j_local.server import LocalNeo4j, ServerOptions

GOAL_MS = 300.0
Requests = list[tuple[str, dict[str, str]]]

EDITIONS = """query ($c: String!) {
  standards(where: { developedBy: { some: { key: { eq: $c } } }, editionOf: { exists: true },
                     issued: { gt: "2000" } },
            orderBy: [{ field: ISSUED, direction: DESC }], first: 3) {
    nodes { key editionOf { key } }
  } }"""


async def _editions(http: httpx.AsyncClient, committees: list[str]) -> tuple[list[str], list[str]]:
    """Recent editions of each committee, and their works."""
    editions: list[str] = []
    works: list[str] = []
    for key in committees:
        body = (
            await http.post("/graphql", json={"query": EDITIONS, "variables": {"c": key}})
        ).json()
        for node in body["data"]["standards"]["nodes"]:
            editions.append(node["key"])
            if node["editionOf"]:
                works.append(node["editionOf"]["key"])
    return editions, sorted(set(works))


async def pages(http: httpx.AsyncClient) -> list[tuple[str, Requests]]:
    committees = await _big_committees(http)
    editions, works = await _editions(http, committees)
    related = [f"/entity/{key}/related/DEVELOPED_BY/incoming" for key in committees]
    en = {"lang": "en"}
    terms = ("metaverse", "元宇宙", "virtual reality", "ISO/IEC 23005", "digital twin")
    return [
        ("search", [("/", {"q": t, "lang": "en"}) for t in terms]),
        (
            "search, page 2, one class",
            [("/", {"q": t, "type": "Standard", "page": "2", "lang": "en"}) for t in terms],
        ),
        ("a committee's page", [(f"/entity/{key}", en) for key in committees]),
        (
            "an edition's page (work, editions, lineage, adoptions)",
            [(f"/entity/{key}", en) for key in editions],
        ),
        ("a work's page (every edition)", [(f"/entity/{key}", en) for key in works]),
        ("a committee's editions, page 1", [(path, en) for path in related]),
        ("… page 11", [(path, await _deep_page(http, path, 10)) for path in related]),
        (
            "… published (stage 60), newest first",
            [(path, {**en, "stage": "60", "sort": "newest"}) for path in related],
        ),
        ("… of one year", [(path, {**en, "year": "2020"}) for path in related]),
        ("liaison dashboard", [(f"/liaisons/{key}", en) for key in committees]),
        (
            "liaison dashboard, working groups rolled up",
            [(f"/liaisons/{key}", {**en, "rollup": "1"}) for key in committees],
        ),
        ("liaison bodies", [("/liaisons", en)]),
        ("mapping and gaps", [("/mapping", en)]),
        (
            "mapping, by committee, whole catalogues",
            [("/mapping", {**en, "committee": key, "whole": "1"}) for key in committees],
        ),
        (
            "mapping, by ICS class and stage, whole catalogues",
            [
                ("/mapping", {**en, "ics": ics, "stage": "60", "whole": "1"})
                for ics in ("35.240", "35.040", "33.160")
            ],
        ),
        ("graph explorer (page)", [("/graph", {**en, "key": key}) for key in committees]),
    ]


async def csv_download(url: str, params: dict[str, str]) -> tuple[float, int, float]:
    """Seconds to the first byte and to the end of a streamed CSV, and its rows."""
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(600.0)) as http:
        started = time.perf_counter()
        first: float | None = None
        rows = 0
        async with http.stream("GET", "/mapping.csv", params=params) as response:
            response.raise_for_status()
            async for chunk in response.aiter_text():
                first = first if first is not None else time.perf_counter() - started
                rows += chunk.count("\n")
        return first or 0.0, rows - 1, time.perf_counter() - started


def _connection(args: argparse.Namespace) -> tuple[Connection, LocalNeo4j | None]:
    """NEO4J_URI's Neo4j, or the catalogue run's, started when it is stopped (then returned
    as the server to stop)."""
    if os.environ.get("NEO4J_URI"):
        return env_connection(), None
    home = Path(args.dir) / "neo4j"
    port = conf_port(home) if home.is_dir() else None
    if port is None:
        raise SystemExit(
            f"no loaded graph in {home}: set NEO4J_URI, or run `make bench-catalogues` first"
        )
    server = LocalNeo4j(
        ServerOptions(home=home.resolve(), bolt_port=port, heap=args.heap, pagecache=args.pagecache)
    )
    started = None
    if not server.status().running:
        with console.status("Starting the catalogue graph's Neo4j"):
            server.start()
        started = server
    return Connection(server.options.uri, "neo4j", server.password()), started


async def run(args: argparse.Namespace) -> str:
    connection, started = _connection(args)
    api = start_api(connection, Path(args.dir) / "api-pages.log")
    try:
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            with console.status("Finding committees, editions and works on the graph"):
                plan = await pages(http)
        results: list[LoadFigures] = []
        for name, requests in plan:
            with console.status(f"{name}: {args.clients} clients, {args.duration:.0f} s…"):
                results.append(
                    await hammer_get(api.url, name, requests, args.clients, args.duration)
                )
        downloads = []
        for table in ("intl", "domestic", "mapping"):
            with console.status(f"mapping.csv?table={table}&whole=1 …"):
                downloads.append(
                    (
                        table,
                        *await csv_download(api.url, {"table": table, "whole": "1", "lang": "en"}),
                    )
                )
    finally:
        api.stop()
        if started is not None and not args.keep:
            started.stop()
    return report(args, results, downloads)


def report(
    args: argparse.Namespace, results: list[LoadFigures], downloads: list[tuple[Any, ...]]
) -> str:
    lines = [
        f"Every page, {args.clients} client(s), {args.duration:.0f} s each (goal: p95 < {GOAL_MS:.0f} ms):",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p95 < 300 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if len(r.latencies) < 2:
            lines.append(f"| {r.name} | {len(r.latencies)} | {r.errors} | – | – | – | – | – |")
            continue
        p95 = r.quantile(95) * 1000
        lines.append(
            f"| {r.name} | {len(r.latencies):,} | {r.errors} | {r.quantile(50) * 1000:.0f} | "
            f"{p95:.0f} | {r.quantile(99) * 1000:.0f} | {r.rate:.1f} | {'yes' if p95 < GOAL_MS else '**no**'} |"
        )
    lines += [
        "",
        "| CSV, whole catalogues, streamed | rows | first byte s | seconds |",
        "|---|---:|---:|---:|",
    ]
    for table, first, rows, seconds in downloads:
        lines.append(f"| {table} | {rows:,} | {first:.2f} | {seconds:.1f} |")
    load = os.getloadavg()
    lines += ["", f"Load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir", default=".mskg/bench-catalogues", help="the catalogue run's directory"
    )
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per page")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument(
        "--keep", action="store_true", help="leave a Neo4j this run started running"
    )
    args = parser.parse_args()
    text = asyncio.run(run(args))
    (Path(args.dir) / "pages.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
