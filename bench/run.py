"""MSKG benchmark: import rate and GraphQL latency at seed size and at full scale, in one run.

    .venv/bin/python -m bench.run --scale 200000          (or: make bench SCALE=200000)

Phases, all on this machine, against a private Neo4j started for the run (or NEO4J_URI, whose
database is emptied — pass --yes):

1. generate the synthetic corpus (`mskg generate`, deterministic);
2. seed: the seed graph; the three user-group queries at seed size with concurrent clients;
3. baseline: into an empty database, the corpus's validated rows written by a plain
   UNWIND-MERGE script (no checks, no revisions) — the limit for this machine and server;
4. our loader (`mskg load csv` code: parse, validate, reference checks, idempotent upserts,
   a revision per batch) on the same corpus into the same empty state, then the seed on top;
5. the three queries again at full scale.

Prints one table and writes it (Markdown, with the machine's facts) to the run directory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from bench.queries import QUERIES, Operation
from graph.driver import AsyncDriver, Connection, open_driver
from graph.maintenance import clear_database
from graph.schema import apply_schema
from loaders.imports import import_file
from loaders.seed import load_seed
from loaders.synthetic import KINDS, Corpus, generate
from loaders.tabular import parse, rows_by_type
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port

console = Console(stderr=True)
MSKG = str(Path(sys.executable).with_name("mskg"))
BASE = "https://w3id.org/mskg/"


# -- import ----------------------------------------------------------------------------------------
@dataclass
class ImportFigures:
    rows: int = 0
    relationships: int = 0
    seconds: float = 0.0
    parse_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


async def plain_unwind_merge(
    driver: AsyncDriver, database: str, corpus: Corpus, batch: int
) -> ImportFigures:
    """The same validated rows, written by the simplest correct script: MERGE by key, SET the
    properties, MERGE the relationships — one transaction per batch, nothing else."""
    figures = ImportFigures()
    for kind, _ in KINDS:
        started = time.perf_counter()
        parsed = parse(corpus.path(kind), kind)
        entities, relations = rows_by_type(parsed, BASE)
        figures.parse_seconds += time.perf_counter() - started
        started = time.perf_counter()
        async with driver.session(database=database) as session:
            for label, rows in entities.items():
                for i in range(0, len(rows), batch):
                    chunk = [
                        {"key": r.key, "iri": r.iri, "props": r.props} for r in rows[i : i + batch]
                    ]
                    await session.execute_write(_run, f"UNWIND $rows AS row MERGE (n:Resource {{key: row.key}}) SET n:{label}, n.iri = row.iri, n += row.props", chunk)  # fmt: skip
            for rel_type, rel_rows in relations.items():
                for i in range(0, len(rel_rows), batch):
                    chunk = [
                        {"start": r.start, "end": r.end, "props": r.props}
                        for r in rel_rows[i : i + batch]
                    ]
                    await session.execute_write(_run, "UNWIND $rows AS row MATCH (a:Resource {key: row.start}) MATCH (b:Resource {key: row.end}) " f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props", chunk)  # fmt: skip
                figures.relationships += len(rel_rows)
        figures.seconds += time.perf_counter() - started
        figures.rows += len(parsed.rows)
    return figures


async def _run(tx: Any, query: str, rows: list[dict[str, Any]]) -> None:
    result = await tx.run(query, rows=rows)
    await result.consume()


async def our_loader(
    driver: AsyncDriver, database: str, corpus: Corpus, batch: int
) -> ImportFigures:
    figures = ImportFigures()
    for kind, _ in KINDS:
        started = time.perf_counter()
        result = await import_file(
            driver, database, BASE, corpus.path(kind), kind, "bench", batch_size=batch
        )
        figures.seconds += time.perf_counter() - started
        figures.rows += result.rows
        figures.relationships += sum(
            c.created + c.updated + c.unchanged for c in result.report.relations.values()
        )
        if result.problems:
            raise SystemExit(
                f"{kind}: {len(result.problems)} rows rejected, e.g. {result.problems[0]}"
            )
    return figures


# -- GraphQL -----------------------------------------------------------------------------------------
@dataclass
class LoadFigures:
    name: str
    latencies: list[float] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def hammer(
    url: str, op: Operation, variables: list[dict[str, Any]], clients: int, duration: float
) -> LoadFigures:
    """`clients` concurrent clients send `op` back to back for `duration` seconds."""
    figures = LoadFigures(op.name)
    deadline = time.perf_counter() + duration
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        await http.post("/graphql", json={"query": op.query, "variables": variables[0]})  # warm-up

        async def client(index: int) -> None:
            i = index
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await http.post(
                    "/graphql", json={"query": op.query, "variables": variables[i % len(variables)]}
                )
                elapsed = time.perf_counter() - started
                body = response.json() if response.status_code == 200 else {}
                if response.status_code != 200 or body.get("errors"):
                    figures.errors += 1
                    if figures.errors == 1:
                        console.print(
                            f"[red]{op.name}: {response.status_code} {str(body.get('errors') or response.text)[:400]}[/]"
                        )
                else:
                    figures.latencies.append(elapsed)
                    figures.round_trips.append(
                        int(body.get("extensions", {}).get("cypherRoundTrips", -1))
                    )
                i += clients

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        figures.seconds = time.perf_counter() - started
    return figures


@dataclass
class Api:
    url: str
    process: subprocess.Popen[bytes]

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def env_connection() -> Connection:
    """The Neo4j that NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE name."""
    return Connection(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ["NEO4J_PASSWORD"],
        os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


def start_api(
    connection: Connection, log: Path, extra: dict[str, str] | None = None, workers: int = 1
) -> Api:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
    env.update(NEO4J_URI=connection.uri, NEO4J_USER=connection.user, NEO4J_PASSWORD=connection.password, NEO4J_DATABASE=connection.database, MSKG_LOG_LEVEL="warning")  # fmt: skip
    env.update(extra or {})
    command = [MSKG, "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return Api(url, process)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the API did not start; see {log}")


async def graphql_phase(
    connection: Connection, run_dir: Path, label: str, clients: int, duration: float
) -> tuple[list[LoadFigures], float]:
    api = start_api(connection, run_dir / f"api-{label}.log")
    try:
        results = []
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            variables = {op.name: await op.variables(http) for op in QUERIES}
        for op in QUERIES:
            with console.status(f"{label}: {op.name}, {clients} clients, {duration:.0f} s…"):
                results.append(await hammer(api.url, op, variables[op.name], clients, duration))
        return results, api.peak_rss_mib()
    finally:
        api.stop()


# -- the run ------------------------------------------------------------------------------------------
def _timed(what: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    with console.status(what):
        value = fn()
    console.print(f"{what} done in {time.perf_counter() - started:.1f} s")
    return value


async def run(args: argparse.Namespace, run_dir: Path, corpus: Corpus) -> str:
    server: LocalNeo4j | None = None
    if os.environ.get("NEO4J_URI"):
        if not args.yes:
            raise SystemExit("NEO4J_URI is set: its database will be emptied; pass --yes to go on")
        connection = env_connection()
    else:
        server = LocalNeo4j(
            ServerOptions(
                home=run_dir / "neo4j",
                bolt_port=free_port(),
                heap=args.heap,
                pagecache=args.pagecache,
            )
        )
        _timed("Starting Neo4j", server.start)
        connection = Connection(server.options.uri, "neo4j", server.password())
    driver = open_driver(connection)
    db = connection.database
    try:
        # Seed size first (it also warms the server up); then both loaders from the same empty
        # state; then the full-scale graph is our loader's result plus the seed.
        await clear_database(driver, db)
        await apply_schema(driver, db)
        await load_seed(driver, db, BASE)
        seed_results, seed_rss = await graphql_phase(
            connection, run_dir, "seed", args.clients, args.duration
        )
        await clear_database(driver, db)
        console.print("baseline: plain UNWIND-MERGE…")
        baseline = await plain_unwind_merge(driver, db, corpus, args.batch)
        console.print(f"baseline: {baseline.rows:,} rows in {baseline.seconds:.1f} s")
        await clear_database(driver, db)
        console.print("our loader…")
        ours = await our_loader(driver, db, corpus, args.batch)
        console.print(f"our loader: {ours.rows:,} rows in {ours.seconds:.1f} s")
        await load_seed(driver, db, BASE)
        full_results, full_rss = await graphql_phase(
            connection, run_dir, "full", args.clients, args.duration
        )
    finally:
        await driver.close()
        if server is not None and not args.keep:
            server.stop()
    return _report(args, corpus, baseline, ours, seed_results, seed_rss, full_results, full_rss)


def _report(args: argparse.Namespace, corpus: Corpus, baseline: ImportFigures, ours: ImportFigures, seed: list[LoadFigures], seed_rss: float, full: list[LoadFigures], full_rss: float) -> str:  # fmt: skip
    cores = os.cpu_count()
    lines = [
        f"# MSKG benchmark — scale {args.scale:,} standards, seed {args.seed}",
        "",
        f"Machine: {cores} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"Neo4j 5.26 Community (heap {args.heap}, page cache {args.pagecache}); "
        f"{args.clients} concurrent clients, {args.duration:.0f} s per query.",
        f"Corpus: {sum(corpus.rows.values()):,} rows, {corpus.relationships:,} relationships.",
        "",
        f"## Import (same rows, batches of {args.batch})",
        "",
        "| loader | rows | seconds | rows/s | relationships/s |",
        "|---|---:|---:|---:|---:|",
        f"| plain UNWIND-MERGE (writes only; parsing took {baseline.parse_seconds:.1f} s more) | {baseline.rows:,} | {baseline.seconds:.1f} | {baseline.rate:,.0f} | {baseline.relationships / baseline.seconds:,.0f} |",
        f"| mskg load csv (parse, validate, check references, upsert, revisions) | {ours.rows:,} | {ours.seconds:.1f} | {ours.rate:,.0f} | {ours.relationships / ours.seconds:,.0f} |",
        "",
        "## GraphQL",
        "",
        "| size | query | requests | errors | p50 ms | p99 ms | req/s | Cypher round trips |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, results in (("seed", seed), (f"{args.scale:,}", full)):
        for r in results:
            trips = sorted(set(r.round_trips))
            lines.append(
                f"| {size} | {r.name} | {len(r.latencies):,} | {r.errors} | {r.quantile(50) * 1000:.1f} | {r.quantile(99) * 1000:.1f} | {r.rate:.1f} | {'/'.join(map(str, trips))} |"
            )
    lines += [
        "",
        f"API process peak memory (VmHWM): {seed_rss:.0f} MiB at seed size, {full_rss:.0f} MiB at full scale.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=int(os.environ.get("SCALE", "200000")),
        help="standards in the corpus [200000]",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=8, help="concurrent GraphQL clients [8]")
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds per query and size [20]"
    )
    parser.add_argument(
        "--batch", type=int, default=1000, help="rows per transaction for both loaders [1000]"
    )
    parser.add_argument("--heap", default="4g", help="Neo4j heap for the private server [4g]")
    parser.add_argument("--pagecache", default="2g", help="Neo4j page cache [2g]")
    parser.add_argument(
        "--dir", default=".mskg/bench", help="run directory (corpus, server, logs, results)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the private Neo4j running")
    parser.add_argument(
        "--yes", action="store_true", help="allow emptying the database at NEO4J_URI"
    )
    args = parser.parse_args()
    run_dir = Path(args.dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    corpus = _timed(
        f"Generating scale {args.scale:,} (seed {args.seed})",
        lambda: generate(run_dir / f"corpus-{args.scale}-{args.seed}", args.scale, args.seed),
    )
    console.print(
        f"corpus: {sum(corpus.rows.values()):,} rows, {corpus.relationships:,} relationships"
    )
    report = asyncio.run(run(args, run_dir, corpus))
    (run_dir / "results.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
