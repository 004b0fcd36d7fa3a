"""MSKG side by side with the Neo4j GraphQL Library and the raw driver, on the same Neo4j and data.

    .venv/bin/python -m bench.peer_bench --scale 20000          (or: make bench-peer)

1. a private Neo4j (or NEO4J_URI with --yes, whose database is emptied), loaded with the seed
   and `mskg generate --scale N --seed S` (deterministic: the same scale and seed, the same graph);
2. the peer (bench/peer: `@neo4j/graphql` on Apollo Server, installed by `npm ci` from its lock
   file) serving typeDefs generated from the ontology (bench/peer_typedefs.py), and `mskg serve`,
   each on a free loopback port;
3. every operation of bench/peer_ops.py sent once to all three with each set of variables; the
   answers must be equal after normalisation (bench/peer_compare.py) — a difference is printed
   and the operation is marked in the table, never dropped;
4. interleaved rounds: for each operation and concurrency (1 and 8 clients), `--rounds` rounds,
   each giving every target `--duration` seconds in turn (the order rotates per round), one
   load client (aiohttp for the two servers, the async driver for the raw statements);
5. a table: req/s (median of rounds, with min–max), p50/p99 over all rounds, MSKG/peer
   throughput and MSKG/raw p50 ratios, and each server's memory; a second table: the CPU time
   the API, the peer, Neo4j and the load client spent per request while each target was
   measured (from /proc); both written to the run directory;
6. with --profile N, py-spy samples the API under 8 clients running operation N and the top
   functions are printed (where the CPU goes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from neo4j.exceptions import DriverError, Neo4jError
from rich.console import Console

from bench.peer_compare import canonical, differences, from_peer
from bench.peer_ops import OPERATIONS, ROOT_STATEMENTS, Op, Variables
from bench.peer_typedefs import type_defs
from bench.run import BASE, env_connection, our_loader, start_api
from graph.driver import AsyncDriver, Connection, open_driver
from graph.maintenance import clear_database
from graph.records import native_tree
from graph.schema import apply_schema
from loaders.seed import load_seed
from loaders.synthetic import generate
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port

console = Console(stderr=True)
PEER_DIR = Path(__file__).with_name("peer")
TARGETS = ("MSKG", "peer", "raw")


# -- the servers -------------------------------------------------------------------------------------
@dataclass
class Peer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_peer(connection: Connection, typedefs: Path, log: Path) -> Peer:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not on PATH: the peer runs on Node.js 20 or later")
    if not (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        raise SystemExit("the peer is not installed: run `make bench-peer` (npm ci in bench/peer)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
    env.update(NEO4J_URI=connection.uri, NEO4J_USER=connection.user, NEO4J_PASSWORD=connection.password, NEO4J_DATABASE=connection.database, NODE_ENV="production")  # fmt: skip
    process = subprocess.Popen([node, "server.mjs", str(typedefs), str(port)], cwd=PEER_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the peer stopped: see {log}\n{log.read_text()[-2000:]}")
        try:
            probe = httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
            if probe.status_code == 200:
                return Peer(url, process)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the peer did not start; see {log}")


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    values = {"VmRSS:": float("nan"), "VmHWM:": float("nan")}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, *rest = line.split()
            if name in values:
                values[name] = int(rest[0]) / 1024
    return values["VmRSS:"], values["VmHWM:"]


def children(pid: int) -> list[int]:
    """The direct children of a process (the API's workers under `--workers`)."""
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def tree_memory_mib(pid: int) -> tuple[float, float]:
    """Resident and peak memory of a process and its children, summed."""
    figures = [memory_mib(p) for p in (pid, *children(pid))]
    return sum(f[0] for f in figures), sum(f[1] for f in figures)


# -- where the CPU goes ------------------------------------------------------------------------------
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, with_children: bool = True) -> float:
    """User and system CPU time of a process so far, and of its live children (the API's
    workers) unless told not to."""
    total = 0.0
    for p in (pid, *children(pid)) if with_children else (pid,):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # After the command name in parentheses: state is field 3, utime 14, stime 15.
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


# The processes whose CPU is counted per request: a name, and how to read its CPU time so far.
Meters = dict[str, Callable[[], float]]


def cpu_snapshot(meters: Meters) -> dict[str, float]:
    return {name: read() for name, read in meters.items()}


# -- sending one request ----------------------------------------------------------------------------
class GraphQLError(Exception):
    pass


Send = Callable[[Variables], Awaitable[dict[str, Any]]]


def graphql_sender(http: aiohttp.ClientSession, url: str, query: str) -> Send:
    async def send(variables: Variables) -> dict[str, Any]:
        async with http.post(url, json={"query": query, "variables": variables}) as response:
            status = response.status
            body = await response.json(content_type=None)
        if status != 200 or body.get("errors"):
            raise GraphQLError(f"{status}: {json.dumps(body.get('errors'))[:800]}")
        data: dict[str, Any] = body["data"]
        return data

    return send


def load_client() -> aiohttp.ClientSession:
    """The HTTP client that sends to both servers. aiohttp, not httpx: the client shares the
    two cores with the servers and Neo4j, and httpx spent 3.4 ms of CPU on each request (search,
    8 clients) against aiohttp's 0.9 — a third of what a fast operation cost in all, taken
    from the servers alike and pulling every ratio towards 1."""
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=120), connector=aiohttp.TCPConnector(limit=32)
    )


def raw_sender(driver: AsyncDriver, database: str, statement: str) -> Send:
    async def send(variables: Variables) -> dict[str, Any]:
        result = await driver.execute_query(statement, variables, database_=database, routing_="r")
        if len(result.records) != 1:
            raise GraphQLError(f"the raw statement returned {len(result.records)} rows")
        return dict(result.records[0])

    return send


@dataclass
class Targets:
    mskg: Send
    peer: Send
    raw: Send


def senders(op: Op, http: aiohttp.ClientSession, api: str, peer: str, driver: AsyncDriver, db: str) -> Targets:  # fmt: skip
    return Targets(
        graphql_sender(http, f"{api}/graphql", op.mskg),
        graphql_sender(http, peer, op.peer),
        raw_sender(driver, db, op.raw),
    )


def variables_for(op: Op, target: str, variables: Variables) -> Variables:
    if target == "MSKG":
        return variables
    return op.for_peer(variables) if target == "peer" else op.for_raw(variables)


# -- the equality check -----------------------------------------------------------------------------
async def check(op: Op, targets: Targets, sets: list[Variables]) -> list[str]:
    """Problems found comparing the three answers for every set of variables (empty: equal)."""
    problems: list[str] = []
    for variables in sets:
        try:
            ours = canonical(await targets.mskg(variables), op.ordered)
            peer_data = await targets.peer(variables_for(op, "peer", variables))
            theirs = canonical(from_peer(peer_data, op.single_roots, op.node_roots), op.ordered)
            raw = canonical(native_tree(await targets.raw(op.for_raw(variables))), op.ordered)
        except (
            GraphQLError,
            ValueError,
            Neo4jError,
            DriverError,
            aiohttp.ClientError,
            TimeoutError,
        ) as exc:
            problems.append(f"{variables}: {exc}")
            continue
        if ours == {} or all(v in (None, [], {"nodes": []}) for v in ours.values()):
            problems.append(f"{variables}: MSKG's answer is empty — nothing to compare")
        for name, other in (("peer", theirs), ("raw driver", raw)):
            for line in differences(ours, other):
                problems.append(f"{variables}: {name}: {line}")
    return problems


# -- the load ---------------------------------------------------------------------------------------
@dataclass
class Series:
    latencies: list[float] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)  # req/s of each round
    errors: int = 0
    first_error: str = ""
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process, all rounds

    def cpu_ms_per_request(self, name: str) -> float | None:
        if name not in self.cpu or not self.latencies:
            return None
        return 1000 * self.cpu[name] / len(self.latencies)

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]


async def hammer(send: Send, sets: list[Variables], clients: int, seconds: float, series: Series) -> None:  # fmt: skip
    """`clients` concurrent callers send back to back for `seconds`; adds one round to `series`."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def caller(index: int) -> None:
        nonlocal done
        i = index
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                await send(sets[i % len(sets)])
            except (
                GraphQLError,
                aiohttp.ClientError,
                TimeoutError,
                Neo4jError,
                DriverError,
                ValueError,
            ) as exc:
                series.errors += 1
                series.first_error = series.first_error or str(exc)
            else:
                series.latencies.append(time.perf_counter() - started)
                done += 1
            i += clients

    started = time.perf_counter()
    await asyncio.gather(*(caller(i) for i in range(clients)))
    series.rates.append(done / (time.perf_counter() - started))


@dataclass
class Row:
    op: Op
    clients: int
    equal: bool
    series: dict[str, Series]


async def measure(op: Op, targets: Targets, sets: list[Variables], clients: int, rounds: int, seconds: float, meters: Meters) -> dict[str, Series]:  # fmt: skip
    series = {t: Series() for t in TARGETS}
    sends = {"MSKG": targets.mskg, "peer": targets.peer, "raw": targets.raw}
    per_target = {t: [variables_for(op, t, v) for v in sets] for t in TARGETS}
    for t in TARGETS:  # warm up: plans cached, connections open, JIT warm
        await hammer(sends[t], per_target[t], clients, min(seconds, 1.0), Series())
    for r in range(rounds):
        order = TARGETS[r % 3 :] + TARGETS[: r % 3]
        for t in order:
            before = cpu_snapshot(meters)
            await hammer(sends[t], per_target[t], clients, seconds, series[t])
            after = cpu_snapshot(meters)
            for name, spent in after.items():
                series[t].cpu[name] = series[t].cpu.get(name, 0.0) + spent - before[name]
    return series


# -- the profile ------------------------------------------------------------------------------------
_FRAME = re.compile(r"^(.*) \((.*?)(?::\d+)?\)$")  # "run (asyncio/runners.py:118)": no line

# Where a sample is spent: the first of these whose file pattern occurs anywhere in its stack.
# The order matters: driver work inside a resolver counts as driver, not as execution.
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Neo4j driver (send, receive, decode)", ("(neo4j/",)),
    (
        "our Cypher compiler (graph/compile, graph/selection)",
        ("(graph/compile", "(graph/selection"),
    ),
    ("GraphQL validation (graphql-core)", ("(graphql/validation/",)),
    ("GraphQL parsing (graphql-core)", ("(graphql/language/parser", "(graphql/language/lexer")),
    ("strawberry: converting arguments to inputs", ("(strawberry/types/arguments",)),
    ("our resolvers and types (api/graphql)", ("(api/graphql/",)),
    ("GraphQL execution (graphql-core, strawberry)", ("(graphql/", "(strawberry/")),
    (
        "HTTP, ASGI, JSON (uvicorn, starlette, fastapi)",
        ("(uvicorn/", "(starlette/", "(fastapi/", "(json/"),
    ),
)


def summarise_profile(collapsed: Path, top: int = 15) -> str:
    """py-spy's collapsed stacks summarised: the share of samples per part of the stack
    (BUCKETS), and the functions most often at the top of the stack (self time)."""
    if not collapsed.exists():
        return f"py-spy wrote nothing; see {collapsed.with_suffix('.log')}"
    buckets: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        total += count
        frames = [_FRAME.sub(r"\1 (\2)", f) for f in stack.split(";")]
        own[frames[-1]] += count
        bucket = next((name for name, marks in BUCKETS if any(m in stack for m in marks)), "other")
        buckets[bucket] += count
    if not total:
        return "no samples"
    lines = [f"{total:,} samples.", "", "| where | % of samples |", "|---|---:|"]
    lines += [f"| {name} | {100 * n / total:.1f} |" for name, n in buckets.most_common()]
    lines += ["", "| self % | function (file) |", "|---:|---|"]
    lines += [f"| {100 * n / total:.1f} | `{frame}` |" for frame, n in own.most_common(top)]
    return "\n".join(lines)


def start_py_spy(api_pid: int, seconds: float, collapsed: Path) -> subprocess.Popen[bytes] | str:
    """py-spy sampling the API for `seconds` into `collapsed`, or why it cannot."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return "py-spy is not installed (pip install -e '.[bench]')"
    command = [spy, "record", "--pid", str(api_pid), "--subprocesses"]
    command += ["--duration", str(int(seconds))]
    command += ["--rate", "200", "--format", "raw", "--output", str(collapsed), "--nonblocking"]
    log = collapsed.with_suffix(".log").open("wb")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)


async def profile(op: Op, targets: Targets, sets: list[Variables], api_pid: int, seconds: float, out: Path) -> str:  # fmt: skip
    collapsed = out / "profile.collapsed.txt"
    recorder = start_py_spy(api_pid, seconds, collapsed)
    if isinstance(recorder, str):
        return recorder
    await asyncio.sleep(1.0)
    await hammer(targets.mskg, sets, 8, seconds + 1, Series())
    await asyncio.to_thread(recorder.wait, 120)
    return await asyncio.to_thread(summarise_profile, collapsed)


# -- the report -------------------------------------------------------------------------------------
def _fmt_rate(s: Series) -> str:
    if not s.rates:
        return "–"
    return f"{statistics.median(s.rates):.1f} ({min(s.rates):.1f}–{max(s.rates):.1f})"


def _ratio_spread(a: Series, b: Series) -> str:
    ratios = [x / y for x, y in zip(a.rates, b.rates, strict=False) if y]
    if not ratios:
        return "–"
    return f"**{statistics.median(ratios):.2f}** ({min(ratios):.2f}–{max(ratios):.2f})"


def table_row(row: Row, notes: list[str]) -> str:
    """One Markdown row; a peer note is numbered in `notes`."""
    s = row.series
    name = row.op.name
    if row.op.peer_note:
        if row.op.peer_note not in notes:
            notes.append(row.op.peer_note)
        name += f" [{notes.index(row.op.peer_note) + 1}]"
    if not row.equal:
        name += " **(answers differ — see the check)**"
    failed = [x for x in s.values() if x.errors]
    if failed:
        name += f" ({sum(x.errors for x in failed)} errors, e.g. {failed[0].first_error[:80]})"
    p50 = " / ".join(f"{s[t].quantile(50) * 1000:.1f}" for t in TARGETS)
    p99 = " / ".join(f"{s[t].quantile(99) * 1000:.1f}" for t in TARGETS)
    raw_ratio = s["MSKG"].quantile(50) / s["raw"].quantile(50)
    return (
        f"| {name} | {row.clients} | {_fmt_rate(s['MSKG'])} | {_fmt_rate(s['peer'])} "
        f"| {_fmt_rate(s['raw'])} | {_ratio_spread(s['MSKG'], s['peer'])} | {p50} | {p99} "
        f"| {raw_ratio:.1f}× |"
    )


def _cpu(s: Series, names: tuple[str, ...]) -> str:
    figures = [s.cpu_ms_per_request(name) for name in names]
    return " / ".join("–" if f is None else f"{f:.2f}" for f in figures)


def cpu_row(row: Row) -> str:
    """CPU per request of each process while each target was measured (ms)."""
    s = row.series
    return (
        f"| {row.op.name} | {row.clients} | {_cpu(s['MSKG'], ('API', 'Neo4j', 'client'))} "
        f"| {_cpu(s['peer'], ('peer', 'Neo4j', 'client'))} | {_cpu(s['raw'], ('Neo4j', 'client'))} |"
    )


def report(
    args: argparse.Namespace,
    rows: list[Row],
    memory: dict[str, tuple[float, float]],
    facts: dict[str, str],
) -> str:
    lines = [
        f"#### MSKG, the Neo4j GraphQL Library and the raw driver — scale {args.scale:,}, seed {args.seed}",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {facts['cpu']}; "
        f"Python {platform.python_version()}, Node {facts['node']}, `@neo4j/graphql` {facts['peer']}; "
        f"Neo4j 5.26 Community (heap {args.heap}, page cache {args.pagecache}). Graph: {facts['graph']}. "
        f"MSKG: `mskg serve --workers {args.workers}`; the peer: one Node process. "
        f"{args.rounds} interleaved rounds × {args.duration:g} s per target and concurrency; req/s "
        "is the median of the rounds (min–max), latencies are over all rounds, the MSKG/peer "
        "ratio is taken per round (median, min–max).",
        "",
        "| operation | clients | MSKG req/s | peer req/s | raw req/s | MSKG/peer req/s "
        "| p50 ms MSKG / peer / raw | p99 ms MSKG / peer / raw | MSKG p50 / raw p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    lines += [table_row(row, notes) for row in rows]
    lines += ["", *(f"- [{i}] {note}." for i, note in enumerate(notes, 1))]
    lines += [
        "",
        "CPU per request (ms of CPU time, user + system, over all rounds, while that target was "
        "measured): where each target's throughput goes when the cores are the limit. The "
        "client is the load client, which also runs the raw driver.",
        "",
        "| operation | clients | MSKG: API / Neo4j / client | peer: Node / Neo4j / client "
        "| raw: Neo4j / client |",
        "|---|---:|---:|---:|---:|",
        *(cpu_row(row) for row in rows),
    ]
    lines += [
        "",
        "Memory (MiB, resident at the end / peak): "
        + "; ".join(f"{name} {rss:.0f} / {hwm:.0f}" for name, (rss, hwm) in memory.items())
        + ". The raw driver runs inside the load client.",
        "",
    ]
    return "\n".join(lines)


# -- the run ----------------------------------------------------------------------------------------
async def load_graph(driver: AsyncDriver, db: str, args: argparse.Namespace, run_dir: Path) -> None:
    corpus = generate(run_dir / f"corpus-{args.scale}-{args.seed}", args.scale, args.seed)
    await clear_database(driver, db)
    await apply_schema(driver, db)
    await load_seed(driver, db, BASE)
    console.print(f"loading scale {args.scale:,} (seed {args.seed})…")
    figures = await our_loader(driver, db, corpus, 1000)
    console.print(f"loaded {figures.rows:,} rows in {figures.seconds:.0f} s")


async def pick_variables(op: Op, driver: AsyncDriver, db: str) -> list[Variables]:
    result = await driver.execute_query(op.pick, database_=db, routing_="r")
    sets = [{k: v for k, v in dict(r).items() if k != "none"} for r in result.records]
    if not sets:
        raise SystemExit(f"{op.name}: the graph has nothing to ask about ({op.pick.strip()})")
    return sets


def _facts(graph: str) -> dict[str, str]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    peer = json.loads((PEER_DIR / "node_modules/@neo4j/graphql/package.json").read_text())[
        "version"
    ]
    return {"cpu": cpu, "node": node, "peer": peer, "graph": graph}


async def run(args: argparse.Namespace, run_dir: Path) -> str:
    server: LocalNeo4j | None = None
    if os.environ.get("NEO4J_URI"):
        if not args.yes:
            raise SystemExit("NEO4J_URI is set: its database will be emptied; pass --yes to go on")
        connection = env_connection()
    else:
        server = LocalNeo4j(ServerOptions(home=run_dir / "neo4j", bolt_port=free_port(), heap=args.heap, pagecache=args.pagecache))  # fmt: skip
        with console.status("starting Neo4j…"):
            server.start()
        connection = Connection(server.options.uri, "neo4j", server.password())
    driver = open_driver(connection)
    db = connection.database
    api = peer = None
    try:
        if not args.no_load:
            await load_graph(driver, db, args, run_dir)
        counts = await driver.execute_query("MATCH (n:Resource) RETURN count(n) AS n, COUNT { ()-[]->() } AS r", database_=db)  # fmt: skip
        graph = f"{counts.records[0]['n']:,} nodes, {counts.records[0]['r']:,} relationships"
        console.print(graph)
        typedefs = run_dir / "peer-typeDefs.graphql"
        typedefs.write_text(type_defs(ROOT_STATEMENTS), encoding="utf-8")
        peer = start_peer(connection, typedefs, run_dir / "peer.log")
        api = start_api(connection, run_dir / "api.log", workers=args.workers)
        facts = _facts(graph)
        rows: list[Row] = []
        memory: dict[str, tuple[float, float]] = {}
        ops = [OPERATIONS[i] for i in args.ops] if args.ops else list(OPERATIONS)
        if args.profile is not None and OPERATIONS[args.profile] not in ops:
            ops.append(OPERATIONS[args.profile])
        async with load_client() as http:
            prepared = []
            for op in ops:
                targets = senders(op, http, api.url, peer.url, driver, db)
                sets = await pick_variables(op, driver, db)
                problems = await check(op, targets, sets)
                if problems:
                    console.print(f"[red]{op.name}: the answers differ:[/]")
                    for line in problems[:30]:
                        console.print(f"  {line}", markup=False)
                else:
                    console.print(
                        f"[green]{op.name}: equal answers for {len(sets)} variable sets[/]"
                    )
                prepared.append((op, targets, sets, not problems))
            if args.check_only:
                return "checked only"
            neo4j_pid = server.status().pid if server is not None else None
            api_pid, peer_pid = api.process.pid, peer.process.pid
            meters: Meters = {
                "API": lambda: cpu_seconds(api_pid),
                "peer": lambda: cpu_seconds(peer_pid, with_children=False),
                # The servers are this process's children: the client is this process alone.
                "client": time.process_time,
            }
            if neo4j_pid is not None:
                meters["Neo4j"] = lambda: cpu_seconds(neo4j_pid, with_children=False)
            for clients in args.clients:
                for op, targets, sets, equal in prepared:
                    with console.status(f"{op.name}, {clients} clients…"):
                        series = await measure(
                            op, targets, sets, clients, args.rounds, args.duration, meters
                        )
                    rows.append(Row(op, clients, equal, series))
                    console.print(table_row(rows[-1], []), markup=False)
            name = "MSKG API" if args.workers == 1 else f"MSKG API ({args.workers} workers, summed)"
            memory[name] = tree_memory_mib(api.process.pid)
            memory["peer (Node)"] = memory_mib(peer.process.pid)
            if neo4j_pid is not None:
                memory["Neo4j"] = memory_mib(neo4j_pid)
            text = report(args, rows, memory, facts)
            if args.profile is not None:
                op, targets, sets, _ = next(p for p in prepared if p[0] is OPERATIONS[args.profile])
                with console.status(f"profiling the API: {op.name}, 8 clients…"):
                    summary = await profile(
                        op, targets, sets, api.process.pid, args.profile_seconds, run_dir
                    )
                text += f"\n#### Profile of the API under 8 clients: {op.name}\n\n{summary}\n"
        return text
    finally:
        for process in (api, peer):
            if process is not None:
                process.stop()
        await driver.close()
        if server is not None and not args.keep:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--scale", type=int, default=20000, help="standards in the corpus [20000]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds [5]")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per target per round [5]")  # fmt: skip
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8], help="concurrency levels [1 8]")  # fmt: skip
    parser.add_argument(
        "--ops", type=int, nargs="*", help="only these operations (indexes, from 0)"
    )
    parser.add_argument("--workers", type=int, default=1, help="API processes (mskg serve --workers) [1]")  # fmt: skip
    parser.add_argument("--profile", type=int, help="py-spy the API under 8 clients on operation N")
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument("--heap", default="2g", help="Neo4j heap for the private server [2g]")
    parser.add_argument("--pagecache", default="1g", help="Neo4j page cache [1g]")
    parser.add_argument("--dir", default=".mskg/bench-peer", help="run directory (corpus, server, logs, results)")  # fmt: skip
    parser.add_argument("--no-load", action="store_true", help="measure the graph as it is (NEO4J_URI)")  # fmt: skip
    parser.add_argument("--check-only", action="store_true", help="compare the answers, measure nothing")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="leave the private Neo4j running")
    parser.add_argument(
        "--yes", action="store_true", help="allow emptying the database at NEO4J_URI"
    )
    args = parser.parse_args()
    run_dir = Path(args.dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    text = asyncio.run(run(args, run_dir))
    (run_dir / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
