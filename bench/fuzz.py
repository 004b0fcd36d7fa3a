"""MSKG fuzz run: ≥ 10,000 generated requests against a real API and a real Neo4j, with figures.

    .venv/bin/python -m bench.fuzz --cases 10000          (or: make fuzz CASES=10000)

By default it starts a private Neo4j (or uses NEO4J_URI, whose database is emptied — pass
--yes), loads the seed, creates an editor account and starts the API on a free port, logging to
the run directory so each failure is explained by the exception the server logged. With
--api URL it fuzzes a running API instead (--token for the editor's arms; they write to it).

The campaign is the one the test suite runs in small (tests/fuzz/campaign.py): GraphQL from the
live schema (positive and negative), every /openapi.json route, raw bodies to /graphql and
/sparql; as anonymous and as an editor. Prints a table — cases, 5xx, INTERNAL_SERVER_ERROR,
requests without an answer, p50/p99 latency, per arm and in all — the error codes seen, and
every distinct failure signature with one reproducer; writes it all to the run directory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from bench.run import env_connection
from graph.accounts import create_account
from graph.driver import Connection, open_driver
from graph.maintenance import clear_database
from graph.schema import apply_schema
from loaders.seed import load_seed
from neo4j_local.server import LocalNeo4j, ServerOptions, free_port
from sparql_local.server import FusekiOptions, LocalFuseki
from tests.fuzz.campaign import INTERNAL, Arm, Campaign, Identity, Tally, arms

console = Console(stderr=True)
MSKG = str(Path(sys.executable).with_name("mskg"))
BASE = "https://w3id.org/mskg/"

# Shares of the cases per arm (they add up to 1).
SHARES = {
    "graphql-positive-anonymous": 0.25,
    "graphql-negative-anonymous": 0.10,
    "graphql-positive-editor": 0.25,
    "openapi-positive-anonymous": 0.08,
    "openapi-negative-anonymous": 0.08,
    "openapi-positive-editor": 0.06,
    "raw-any-anonymous": 0.12,
    "raw-any-editor": 0.06,
}


def budget(cases: int, editor: bool) -> dict[str, int]:
    shares = {k: v for k, v in SHARES.items() if editor or not k.endswith("-editor")}
    total = sum(shares.values())
    return {k: max(1, round(cases * v / total)) for k, v in shares.items()}


class Stack:
    """A private Neo4j (unless NEO4J_URI) with the seed and an editor, and an API process."""

    def __init__(self, run_dir: Path, args: argparse.Namespace) -> None:
        self.run_dir = run_dir
        self.args = args
        self.server: LocalNeo4j | None = None
        self.fuseki: LocalFuseki | None = None
        self.api: subprocess.Popen[bytes] | None = None
        self.log = run_dir / "api.log"

    async def seed(self) -> tuple[Connection, str]:
        """The database holding the seed and an editor account; the editor's token."""
        if os.environ.get("NEO4J_URI"):
            if not self.args.yes:
                raise SystemExit(
                    "NEO4J_URI is set: its database will be emptied; pass --yes to go on"
                )
            connection = env_connection()
        else:
            self.server = LocalNeo4j(ServerOptions(home=self.run_dir / "neo4j", bolt_port=free_port(), heap=self.args.heap, pagecache="512m"))  # fmt: skip
            with console.status("Starting Neo4j…"):
                self.server.start()
            connection = Connection(self.server.options.uri, "neo4j", self.server.password())
        driver = open_driver(connection)
        try:
            with console.status("Loading the seed…"):
                await apply_schema(driver, connection.database)
                await clear_database(driver, connection.database)
                await load_seed(driver, connection.database, BASE)
                _, token = await create_account(driver, connection.database, "fuzz-editor", "editor")  # fmt: skip
        finally:
            await driver.close()
        return connection, token

    def start_api(self, connection: Connection) -> str:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MSKG_"))}
        env.update(NEO4J_URI=connection.uri, NEO4J_USER=connection.user, NEO4J_PASSWORD=connection.password, NEO4J_DATABASE=connection.database, MSKG_LOG_LEVEL="warning")  # fmt: skip
        # SPARQL requests need the store: a private Fuseki the API uses (and restarts) as its local one.
        self.fuseki = LocalFuseki(FusekiOptions(home=self.run_dir / "fuseki", port=free_port(), heap="512m"))  # fmt: skip
        with console.status("Starting Fuseki…"):
            self.fuseki.start()
        env.update(MSKG_DATA_DIR=str(self.run_dir), MSKG_SPARQL_PORT=str(self.fuseki.options.port), MSKG_SPARQL_CATCHUP_SECONDS="30")  # fmt: skip
        self.api = subprocess.Popen([MSKG, "serve", "--port", str(port)], env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the API did not start; see {self.log}")

    def stop(self) -> None:
        if self.api is not None:
            self.api.terminate()
            try:
                self.api.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.api.kill()
                self.api.wait()
        if self.fuseki is not None:
            self.fuseki.stop()
        if self.server is not None and not self.args.keep:
            self.server.stop()


def fuzz(url: str, log: Path | None, token: str | None, args: argparse.Namespace) -> tuple[list[tuple[Arm, Tally]], float]:  # fmt: skip
    campaign = Campaign(url, log, seed=args.seed, slow=args.slow)
    editor = Identity("editor", token)
    plan = list(arms(Identity("anonymous"), editor, budget(args.cases, token is not None)))
    results: list[tuple[Arm, Tally]] = []
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console) as progress:
        overall = progress.add_task("all arms", total=sum(a.cases for a in plan))
        for arm in plan:
            task = progress.add_task(arm.name, total=arm.cases)

            def step(n: int, task: TaskID = task) -> None:
                progress.advance(task, n)
                progress.advance(overall, n)

            campaign.tally = Tally()
            arm_started = time.perf_counter()
            campaign.run(arm, step)
            progress.update(task, completed=arm.cases)
            results.append((arm, campaign.tally))
            progress.console.print(
                f"{arm.name}: {campaign.tally.total:,} cases in {time.perf_counter() - arm_started:.0f} s, "
                f"{len(campaign.tally.failures)} failure signature(s)"
            )
    return results, time.perf_counter() - started


def report(results: list[tuple[Arm, Tally]], seconds: float, args: argparse.Namespace) -> str:
    total = Tally()
    for _, tally in results:
        total.merge(tally)
    lines = [
        f"# MSKG fuzz run — {total.total:,} cases, seed {args.seed}",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"one client, requests in sequence; {seconds:.0f} s in all.",
        "",
        "| arm | cases | 5xx | INTERNAL_SERVER_ERROR | no answer | other failures | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for arm, tally in [*results, (None, total)]:
        name = arm.name if arm is not None else "**all**"
        other = sum(f.count for f in tally.failures.values() if f.kind != INTERNAL and not f.kind.startswith(("HTTP 5", "no response")))  # fmt: skip
        lines.append(
            f"| {name} | {tally.total:,} | {tally.server_errors:,} | {tally.codes[INTERNAL]:,} | "
            f"{tally.no_response:,} | {other:,} | {tally.quantile_ms(50):.1f} | {tally.quantile_ms(99):.1f} |"
        )
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(total.statuses.items()))
    codes = ", ".join(f"{code}: {n:,}" for code, n in total.codes.most_common())
    lines += [
        "",
        f"HTTP statuses: {statuses}.",
        "",
        f"Error codes (GraphQL `extensions.code`, HTTP `detail.code`): {codes or 'none'}.",
        "",
        "## Failures",
        "",
        "```",
        total.report() if total.failures else "none",
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--cases", type=int, default=int(os.environ.get("CASES", "10000")), help="requests in all [10000]")  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=0, help="the same seed sends the same cases [0]"
    )
    parser.add_argument("--slow", type=float, default=10.0, help="an answer slower than this many seconds is a failure too [10]")  # fmt: skip
    parser.add_argument("--api", help="fuzz this running API instead of starting one")
    parser.add_argument("--token", help="with --api: an editor's token for the editor arms (they write)")  # fmt: skip
    parser.add_argument("--api-log", type=Path, help="with --api: its log, to explain failures")
    parser.add_argument("--heap", default="2g", help="Neo4j heap for the private server [2g]")
    parser.add_argument("--dir", default=".mskg/fuzz", help="run directory (server, API log, results)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="leave the private Neo4j running")
    parser.add_argument("--yes", action="store_true", help="allow emptying the database at NEO4J_URI")  # fmt: skip
    args = parser.parse_args()
    run_dir = Path(args.dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    if args.api:
        results, seconds = fuzz(args.api, args.api_log, args.token, args)
    else:
        stack = Stack(run_dir, args)
        try:
            connection, token = asyncio.run(stack.seed())
            url = stack.start_api(connection)
            results, seconds = fuzz(url, stack.log, token, args)
        finally:
            stack.stop()
    text = report(results, seconds, args)
    (run_dir / "results.md").write_text(text, encoding="utf-8")
    print(text)
    console.print(f"written to {run_dir / 'results.md'}")


if __name__ == "__main__":
    main()
