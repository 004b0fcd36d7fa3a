"""Benchmark: the four published catalogues (ISO, IEC, ITU, IEEE; Relaton YAML) into Neo4j.

    .venv/bin/python -m bench.catalogues --catalogues ../shared/catalogues   (make bench-catalogues)

Phases, against a private Neo4j started for the run (or NEO4J_URI with --yes; its database is
emptied):

1. the seed; then a baseline: the same records read and mapped by the same code, written as the
   same rows by plain ``UNWIND … MERGE`` (no merge rules, no change detection, no revisions) —
   the limit for this machine and server;
2. the database emptied, the seed again, then ``mskg load relaton`` on all archives as a user
   runs it (its own process: wall time and peak RSS of it and its parsing worker);
3. node and relationship counts per class and type, items linked by each relevance rule;
4. p50/p99 of the three user-group queries, search, gaps, neighbourhood and paths and filtered
   lists (GraphQL), the web pages (a committee page, paging through its editions) and SPARQL on
   the loaded graph; each RDF syntax exported whole; the time the SPARQL store takes to load.

`--queries-only` runs phase 4 alone on a graph an earlier run loaded (NEO4J_URI and --yes, or
--keep), and reports it with that run's load figures.

Prints a Markdown report and writes it to the run directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from neo4j import AsyncDriver

from bench.queries import QUERIES, Operation, Variables
from bench.run import LoadFigures, console, env_connection, hammer, start_api
from graph.catalogue import BatchCounts, CatalogueLink, CatalogueRow
from graph.driver import Connection, open_driver
from graph.entities import count_by_label, count_by_type
from graph.maintenance import clear_database
from graph.schema import apply_schema
from loaders.relaton.run import Options, RelatonResult, import_relaton
from loaders.seed import load_seed
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port
from ontology import ONTOLOGY, RESOURCE_LABEL
from sparql_local.server import FusekiOptions, LocalFuseki

MSKG = str(Path(sys.executable).with_name("mskg"))
BASE = "https://w3id.org/mskg/"
ARCHIVES = ("iso", "iec", "itu", "ieee")


# -- baseline: the same rows, plain UNWIND … MERGE --------------------------------------------------
class PlainWriter:
    """A `BatchWriter` that writes the rows the simplest correct way and counts them."""

    def __init__(self) -> None:
        self.nodes = 0
        self.links = 0
        self.seconds = 0.0

    async def __call__(
        self,
        driver: AsyncDriver,
        database: str,
        nodes: Mapping[str, Sequence[CatalogueRow]],
        links: Mapping[str, Sequence[CatalogueLink]],
        **_: Any,
    ) -> BatchCounts:
        started = time.perf_counter()
        async with driver.session(database=database) as session:

            async def work(tx: Any) -> None:
                for cls, rows in nodes.items():
                    label = ONTOLOGY.cls(cls).name
                    query = (
                        f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{key: row.key}}) "
                        f"SET n:{label}, n.iri = row.iri, n += row.props"
                    )
                    data = [{"key": r.key, "iri": r.iri, "props": r.props} for r in rows]
                    await (await tx.run(query, rows=data)).consume()
                for rel_type, link_rows in links.items():
                    rel = ONTOLOGY.relation(rel_type).type
                    query = (
                        f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{key: row.start}}) "
                        f"MATCH (b:{RESOURCE_LABEL} {{key: row.end}}) MERGE (a)-[:{rel}]->(b)"
                    )
                    data = [{"start": r.start, "end": r.end} for r in link_rows]
                    await (await tx.run(query, rows=data)).consume()

            await session.execute_write(work)
        self.nodes += sum(len(r) for r in nodes.values())
        self.links += sum(len(r) for r in links.values())
        self.seconds += time.perf_counter() - started
        return BatchCounts()


# -- our loader, as a user runs it ------------------------------------------------------------------
def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its descendants (Linux /proc)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        total += int(match[1]) if match else 0
        pids += [int(c) for c in children]
    return total


def run_cli(connection: Connection, paths: list[Path], log: Path, batch_size: int) -> tuple[float, float, str]:  # fmt: skip
    """`mskg load relaton` in its own process: (seconds, peak RSS MiB of the tree, output)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
    env.update(NEO4J_URI=connection.uri, NEO4J_USER=connection.user, NEO4J_PASSWORD=connection.password, NEO4J_DATABASE=connection.database, COLUMNS="160")  # fmt: skip
    rejects = log.with_suffix(".rejects.jsonl")
    command = [MSKG, "load", "relaton", *map(str, paths), "--rejects", str(rejects), "--batch-size", str(batch_size)]  # fmt: skip
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.5)
    seconds = time.perf_counter() - started
    output = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"mskg load relaton failed ({process.returncode}); see {log}")
    return seconds, peak / 1024, output


# -- queries on the loaded graph --------------------------------------------------------------------
SEARCH = """
query Search($text: String!) {
  search(text: $text, first: 20) { score field entity { __typename key label } }
}
"""

GAPS = """
query Gaps {
  relevant: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, first: 50) { key label }
  metaverse: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, concept: "concept-metaverse", first: 50) { key }
  everything: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, first: 50, scope: ALL) { key }
  domestic: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, first: 50) { key }
}
"""


AROUND = """
query Around($key: String!, $from: String!) {
  neighborhood(key: $key, depth: 1) { truncated nodes { key label } edges { type fromKey toKey } }
  paths(from: $from, to: "iso-iec-jtc1", maxHops: 3) { length nodes { key } }
}
"""

FILTERED = """
query Filtered($committee: String!) {
  standards(
    where: { level: { eq: EDITION }, inForce: { eq: true }, developedBy: { some: { key: { eq: $committee } } } }
    orderBy: [{ field: ISSUED, direction: DESC }]
    first: 20
  ) { totalCount nodes { key designation issued stageCode } }
}
"""

# Committees of each catalogue with many editions (keys as the seed or the import made them).
BIG_COMMITTEES = (
    "iso-iec-jtc1-sc29",
    "iso-iec-jtc1-sc24",
    "iso-tc-184-sc-4",
    "itu-t-sg16",
    "iec-tc-100",
)


async def _big_committees(http: httpx.AsyncClient) -> list[str]:
    query = (
        "query($keys: [String!]) { committees(where: { key: { in: $keys } }) { nodes { key } } }"
    )
    body = (await http.post("/graphql", json={"query": query, "variables": {"keys": list(BIG_COMMITTEES)}})).json()  # fmt: skip
    found = [n["key"] for n in body["data"]["committees"]["nodes"]]
    if not found:
        raise SystemExit(f"none of {BIG_COMMITTEES} is in the graph: is it loaded?")
    return found


async def _around(http: httpx.AsyncClient) -> Variables:
    out: Variables = []
    for key in await _big_committees(http):
        query = "query($c: String!) { standards(where: { developedBy: { some: { key: { eq: $c } } } }, first: 1) { nodes { key } } }"  # fmt: skip
        body = (await http.post("/graphql", json={"query": query, "variables": {"c": key}})).json()
        out += [{"key": key, "from": n["key"]} for n in body["data"]["standards"]["nodes"]]
    return out


async def _committees(http: httpx.AsyncClient) -> Variables:
    return [{"committee": key} for key in await _big_committees(http)]


async def _search_terms(http: httpx.AsyncClient) -> Variables:
    return [{"text": t} for t in ("metaverse", "元宇宙", "virtual reality", "虚拟现实", "ISO/IEC 23005", "digital twin")]  # fmt: skip


async def _none(http: httpx.AsyncClient) -> Variables:
    return [{}]


OPERATIONS: tuple[Operation, ...] = (
    *QUERIES,
    Operation("search zh/en", SEARCH, _search_terms),
    Operation("gaps (scoped, concept, all)", GAPS, _none),
    Operation("neighbourhood + paths", AROUND, _around),
    Operation("filtered, sorted list", FILTERED, _committees),
)

SPARQL_EDITIONS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?edition ?designation ?title WHERE {
  ?edition dcterms:creator <https://w3id.org/mskg/id/committee/iso-iec-jtc1-sc29> ;
           dcterms:identifier ?designation ; dcterms:title ?title .
  FILTER (lang(?title) = "en")
} ORDER BY ?designation LIMIT 100
"""
SYNTAXES = ("turtle", "trig", "ntriples", "nquads", "jsonld", "rdfxml")


async def hammer_get(url: str, name: str, requests: list[tuple[str, dict[str, str]]], clients: int, duration: float) -> LoadFigures:  # fmt: skip
    """`clients` concurrent clients GET `requests` (path, params) in turn for `duration` seconds."""
    figures = LoadFigures(name)
    deadline = time.perf_counter() + duration
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        await http.get(requests[0][0], params=requests[0][1])  # warm-up

        async def client(index: int) -> None:
            i = index
            while time.perf_counter() < deadline:
                path, params = requests[i % len(requests)]
                started = time.perf_counter()
                response = await http.get(path, params=params)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    figures.errors += 1
                    if figures.errors == 1:
                        console.print(
                            f"[red]{name}: {response.status_code} {response.text[:300]}[/]"
                        )
                else:
                    figures.latencies.append(elapsed)
                i += clients

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        figures.seconds = time.perf_counter() - started
    return figures


async def _deep_page(http: httpx.AsyncClient, path: str, pages: int) -> dict[str, str]:
    """The parameters of the related page `pages` pages in, by following its "next" links."""
    params = {"lang": "en"}
    for _ in range(pages):
        html = (await http.get(path, params=params)).text
        found = re.search(r'id="next-page" rel="next" href="[^"]*after=([^"&]+)', html)
        if found is None:
            break
        params = {"lang": "en", "after": unquote(found[1])}
    return params


async def web_requests(http: httpx.AsyncClient) -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:  # fmt: skip
    committees = await _big_committees(http)
    related = [f"/entity/{key}/related/DEVELOPED_BY/incoming" for key in committees]
    deep = [(path, await _deep_page(http, path, 10)) for path in related]
    return [
        ("web: committee page", [(f"/entity/{key}", {"lang": "en"}) for key in committees]),
        ("web: its editions, page 1", [(path, {"lang": "en"}) for path in related]),
        ("web: its editions, page 11", deep),
    ]


async def export_phase(url: str, window: float) -> list[dict[str, Any]]:
    """Each syntax streamed for at most `window` seconds: first byte, bytes, whether it ended."""
    out = []
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(600.0)) as http:
        for name in SYNTAXES:
            size, first, complete = 0, None, True
            with console.status(f"exporting {name} (at most {window:.0f} s)…"):
                started = time.perf_counter()
                async with http.stream("GET", "/rdf/export", params={"format": name}) as response:
                    async for chunk in response.aiter_bytes():
                        if first is None:
                            first = time.perf_counter() - started
                        size += len(chunk)
                        if time.perf_counter() - started > window:
                            complete = False
                            break
                seconds = time.perf_counter() - started
            out.append({"syntax": name, "ok": response.status_code == 200, "first_byte": first, "seconds": seconds, "mib": size / 2**20, "complete": complete})  # fmt: skip
            console.print(f"export {name}: {size / 2**20:,.0f} MiB in {seconds:.0f} s{'' if complete else ' (cut)'}")  # fmt: skip
    return out


async def sparql_phase(connection: Connection, run_dir: Path, clients: int, duration: float, wait: float) -> dict[str, Any]:  # fmt: skip
    """A fresh Fuseki: how long the API takes to load the whole graph into it, then p50/p99."""
    fuseki = LocalFuseki(FusekiOptions(home=run_dir / "fuseki", port=free_port(), heap="2g"))
    with console.status("Starting Fuseki…"):
        fuseki.start()
    extra = {"MSKG_DATA_DIR": str(run_dir), "MSKG_SPARQL_PORT": str(fuseki.options.port), "MSKG_SPARQL_CATCHUP_SECONDS": "2"}  # fmt: skip
    started = time.perf_counter()
    api = start_api(connection, run_dir / "api-sparql.log", extra)
    try:
        loaded: float | None = None
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            with console.status("SPARQL store loading the whole graph…"):
                while time.perf_counter() - started < wait:
                    response = await http.get("/sparql", params={"query": SPARQL_EDITIONS})
                    # Answered from a store that holds every revision: the load is done.
                    if (
                        response.status_code == 200
                        and response.headers.get("MSKG-SPARQL-Lag") == "0"
                    ):
                        loaded = time.perf_counter() - started
                        break
                    await asyncio.sleep(5)
        if loaded is None:
            return {"loaded": None, "wait": wait}
        console.print(f"SPARQL store loaded in {loaded:.0f} s")
        figures = await hammer_get(api.url, "SPARQL: editions of a committee", [("/sparql", {"query": SPARQL_EDITIONS})], clients, duration)  # fmt: skip
        return {"loaded": loaded, "query": _row(figures), "fuseki_rss_mib": _tree_rss_kib(fuseki.status().pid or 0) / 1024}  # fmt: skip
    finally:
        api.stop()
        fuseki.stop()


def _row(r: LoadFigures) -> dict[str, Any]:
    return {"name": r.name, "requests": len(r.latencies), "errors": r.errors, "p50": r.quantile(50) * 1000, "p99": r.quantile(99) * 1000, "rate": r.rate}  # fmt: skip


async def query_phase(
    connection: Connection, run_dir: Path, clients: int, duration: float, export_window: float
) -> tuple[list[LoadFigures], list[dict[str, Any]], float]:
    api = start_api(connection, run_dir / "api-catalogues.log")
    try:
        results = []
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            variables = {op.name: await op.variables(http) for op in OPERATIONS}
            pages = await web_requests(http)
        for op in OPERATIONS:
            with console.status(f"{op.name}, {clients} clients, {duration:.0f} s…"):
                results.append(await hammer(api.url, op, variables[op.name], clients, duration))
        for name, requests in pages:
            with console.status(f"{name}, {clients} clients, {duration:.0f} s…"):
                results.append(await hammer_get(api.url, name, requests, clients, duration))
        exports = await export_phase(api.url, export_window)
        return results, exports, api.peak_rss_mib()
    finally:
        api.stop()


# -- the run ----------------------------------------------------------------------------------------
def conf_port(home: Path) -> int | None:
    """The Bolt port the server in `home` was configured with, if it was ever started."""
    conf = home / "conf" / "neo4j.conf"
    if not conf.exists():
        return None
    found = re.search(r"^server\.bolt\.listen_address=.*:(\d+)$", conf.read_text(), re.M)
    return int(found[1]) if found is not None else None


def _kept_port(home: Path) -> int | None:
    """The Bolt port of the server an earlier `--keep` run left running in `home`, if any."""
    port = conf_port(home)
    if port is None:
        return None
    return port if LocalNeo4j(ServerOptions(home=home, bolt_port=port)).status().running else None


async def run(args: argparse.Namespace, run_dir: Path, paths: list[Path]) -> str:
    server: LocalNeo4j | None = None
    if os.environ.get("NEO4J_URI"):
        if not args.yes and not args.queries_only:
            raise SystemExit("NEO4J_URI is set: its database will be emptied; pass --yes to go on")
        connection = env_connection()
    else:
        home = run_dir / "neo4j"
        server = LocalNeo4j(ServerOptions(home=home, bolt_port=_kept_port(home) or free_port(), heap=args.heap, pagecache=args.pagecache))  # fmt: skip
        with console.status("Starting Neo4j"):
            server.start()
        connection = Connection(server.options.uri, "neo4j", server.password())
    driver = open_driver(connection)
    db = connection.database
    figures: dict[str, Any] = {}
    try:
        if args.queries_only or args.sparql_only:
            earlier = run_dir / "figures.json"
            if earlier.exists():
                figures = json.loads(earlier.read_text())
            else:  # a graph loaded some other way: report its counts and the queries alone
                figures = {"labels": await count_by_label(driver, db), "types": await count_by_type(driver, db)}  # fmt: skip
            await _queries(args, connection, run_dir, figures)
            return report(args, figures)
        await clear_database(driver, db)
        await apply_schema(driver, db)
        await load_seed(driver, db, BASE)
        seed_relationships = sum((await count_by_type(driver, db)).values())
        if not args.skip_baseline:
            plain = PlainWriter()
            console.print("baseline: the same rows by plain UNWIND … MERGE …")
            started = time.perf_counter()
            base_result: RelatonResult = await import_relaton(
                driver,
                db,
                BASE,
                paths,
                Options(
                    actor="bench",
                    rejects=run_dir / "baseline.rejects.jsonl",
                    batch_size=args.batch_size,
                ),
                write=plain,
            )
            figures["baseline"] = {
                "relationships": sum((await count_by_type(driver, db)).values())
                - seed_relationships,
                "seconds": time.perf_counter() - started,
                "write_seconds": plain.seconds,
                "records": base_result.records,
                "nodes": plain.nodes,
                "links": plain.links,
            }
            console.print(f"baseline: {figures['baseline']}")
            await clear_database(driver, db)
            await apply_schema(driver, db)
            await load_seed(driver, db, BASE)
        console.print("mskg load relaton …")
        seconds, rss, output = run_cli(connection, paths, run_dir / "load-relaton.log", args.batch_size)  # fmt: skip
        summary = re.search(r"([\d,]+) records: ([\d,]+) created, ([\d,]+) changed, ([\d,]+) unchanged, ([\d,]+) rejected, ([\d,]+) duplicate", output)  # fmt: skip
        rules = re.search(r"Relevance links by rule: (.*)", output)
        figures["ours"] = {
            "seconds": seconds,
            "peak_rss_mib": rss,
            "summary": summary.groups() if summary else None,
            "rules": rules[1] if rules else "",
        }
        console.print(f"ours: {figures['ours']}")
        figures["labels"] = await count_by_label(driver, db)
        figures["types"] = await count_by_type(driver, db)
        figures["ours"]["relationships"] = sum(figures["types"].values()) - seed_relationships
        (run_dir / "figures.json").write_text(json.dumps(figures, indent=2, default=str))
        if not args.skip_queries:
            await _queries(args, connection, run_dir, figures)
    finally:
        await driver.close()
        if server is not None and not args.keep:
            server.stop()
    return report(args, figures)


async def _queries(args: argparse.Namespace, connection: Connection, run_dir: Path, figures: dict[str, Any]) -> None:  # fmt: skip
    started = time.time()
    figures["load_average"] = os.getloadavg()
    if not args.sparql_only:
        results, exports, api_rss = await query_phase(
            connection, run_dir, args.clients, args.duration, args.export_window
        )
        figures["queries"] = [_row(r) for r in results]
        figures["exports"] = exports
        figures["api_rss_mib"] = api_rss
    if not args.skip_sparql:
        figures["sparql"] = await sparql_phase(connection, run_dir, args.clients, args.duration, args.sparql_wait)  # fmt: skip
    figures["query_phase_seconds"] = time.time() - started
    (run_dir / "figures.json").write_text(json.dumps(figures, indent=2, default=str))


def report(args: argparse.Namespace, figures: dict[str, Any]) -> str:
    lines = [
        "# MSKG catalogue benchmark — ISO, IEC, ITU and IEEE (Relaton)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"Neo4j 5.26 Community (heap {args.heap}, page cache {args.pagecache}).",
        "",
    ]
    if "ours" in figures:
        lines += _import_report(figures)
    lines += ["| nodes | count |", "|---|---:|"]
    lines += [f"| {k} | {v:,} |" for k, v in sorted(figures["labels"].items())]
    lines += ["", "| relationships | count |", "|---|---:|"]
    lines += [f"| {k} | {v:,} |" for k, v in sorted(figures["types"].items())]
    lines += _query_report(args, figures)
    return "\n".join(lines)


def _import_report(figures: dict[str, Any]) -> list[str]:
    ours = figures["ours"]
    records = int(ours["summary"][0].replace(",", "")) if ours["summary"] else 0
    base = figures.get("baseline")
    lines: list[str] = []
    lines += ["| import | records | seconds | records/s | relationships/s | peak RSS MiB |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    if base:
        lines.append(
            f"| plain UNWIND … MERGE (same rows) | {base['records']:,} | {base['seconds']:.0f} | "
            f"{base['records'] / base['seconds']:,.0f} | {base['relationships'] / base['seconds']:,.0f} | – |"
        )
    lines.append(
        f"| `mskg load relaton` | {records:,} | {ours['seconds']:.0f} | "
        f"{records / ours['seconds']:,.0f} | {ours['relationships'] / ours['seconds']:,.0f} | {ours['peak_rss_mib']:,.0f} |"
    )
    lines += [
        "",
        "Relationships/s counts the relationships each import added to the graph; "
        "records/s the records read (duplicate copies and rejects included).",
    ]
    if base:
        lines += ["", f"Ratio (ours / plain, records/s): {base['seconds'] / ours['seconds']:.2f}×"]
    if ours["summary"]:
        lines += ["", "Records: {} read, {} created, {} changed, {} unchanged, {} rejected, {} duplicate copies skipped.".format(*ours["summary"])]  # fmt: skip
    lines += ["", f"Relevance links by rule: {ours['rules']}", ""]
    return lines


def _query_report(args: argparse.Namespace, figures: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "queries" in figures:
        lines += ["", f"| query ({args.clients} clients, {args.duration:.0f} s each) | requests | errors | p50 ms | p99 ms | req/s |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for q in figures["queries"]:
            lines.append(f"| {q['name']} | {q['requests']:,} | {q['errors']} | {q['p50']:.0f} | {q['p99']:.0f} | {q['rate']:.1f} |")  # fmt: skip
        lines += ["", f"API peak RSS: {figures['api_rss_mib']:.0f} MiB"]
        lines += ["", "| RDF export, streamed | first byte s | seconds | MiB | MiB/s | whole graph |", "|---|---:|---:|---:|---:|---|"]  # fmt: skip
        for e in figures.get("exports", []):
            first = "–" if e.get("first_byte") is None else f"{e['first_byte']:.2f}"
            whole = "yes" if e.get("complete", True) else "no (window ended)"
            lines.append(f"| {e['syntax']}{'' if e['ok'] else ' (failed)'} | {first} | {e['seconds']:.0f} | {e['mib']:,.1f} | {e['mib'] / e['seconds']:.2f} | {whole} |")  # fmt: skip
    sparql = figures.get("sparql")
    if sparql:
        if sparql["loaded"] is None:
            lines += [
                "",
                f"SPARQL: the store had not loaded the graph after {sparql['wait']:.0f} s.",
            ]
        else:
            q = sparql["query"]
            lines += ["", f"SPARQL: a fresh store loaded the whole graph in {sparql['loaded']:.0f} s "
                      f"(Fuseki RSS {sparql['fuseki_rss_mib']:,.0f} MiB); {q['name']}: "
                      f"{q['requests']:,} requests, {q['errors']} errors, p50 {q['p50']:.0f} ms, p99 {q['p99']:.0f} ms."]  # fmt: skip
    if "load_average" in figures:
        lines += ["", "Load average when the queries started: " + ", ".join(f"{x:.1f}" for x in figures["load_average"])]  # fmt: skip
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--catalogues", default="../shared/catalogues", help="folder holding iso/iec/itu/ieee .tar.xz")  # fmt: skip
    parser.add_argument("--only", default=",".join(ARCHIVES), help="which archives, comma-separated [all four]")  # fmt: skip
    parser.add_argument("--dir", default=".mskg/bench-catalogues", help="run directory")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per query")
    parser.add_argument("--skip-baseline", action="store_true", help="only our loader")
    parser.add_argument("--keep", action="store_true", help="leave the Neo4j server running")
    parser.add_argument("--yes", action="store_true", help="empty NEO4J_URI's database")
    parser.add_argument("--queries-only", action="store_true", help="only the queries, on a graph an earlier run loaded (its figures.json in --dir)")  # fmt: skip
    parser.add_argument("--export-window", type=float, default=60.0, help="seconds each RDF syntax is streamed (a whole catalogue graph takes far longer)")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=500, help="records per transaction, both imports")  # fmt: skip
    parser.add_argument("--skip-queries", action="store_true", help="only the import figures")
    parser.add_argument("--skip-sparql", action="store_true", help="leave out the SPARQL store load and queries")  # fmt: skip
    parser.add_argument("--sparql-only", action="store_true", help="with --queries-only: only the SPARQL store load and queries (other figures kept from figures.json)")  # fmt: skip
    parser.add_argument("--sparql-wait", type=float, default=3600.0, help="seconds to wait for the SPARQL store to load")  # fmt: skip
    args = parser.parse_args()
    folder = Path(args.catalogues)
    paths = [folder / f"{name}.tar.xz" for name in args.only.split(",") if name]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise SystemExit(
            f"missing archives: {', '.join(missing)} (see the README: Real catalogues)"
        )
    run_dir = Path(args.dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    text = asyncio.run(run(args, run_dir, paths))
    (run_dir / "report.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"\n(written to {run_dir / 'report.md'})", file=sys.stderr)


if __name__ == "__main__":
    main()
