"""The one way to Neo4j: every statement graph/ sends goes through this module
(tests/unit/test_gateway_only.py fails when another module calls the driver).

For every call it adds:

- **One error per kind of failure.** ServiceUnavailable, SessionExpired, other driver errors,
  OSError, a database that is unavailable or missing, rejected credentials, no answer in time:
  GraphUnavailableError (with a hint and a Retry-After). A statement stopped by its transaction
  timeout: QueryTimeoutError — not an outage, and never retried.
- **A transaction timeout on every statement.** `Policy.statement_timeout` for what API requests
  send; `bulk=True` (imports, restores, exports, schema, maintenance) gets `Policy.bulk_timeout`.
  A client-side deadline a little beyond it catches a server that stops answering mid-query.
- **A bounded wait during an outage.** The driver's own retries are not used (its first back-off
  alone is a second, and it retries for 30 s); connection failures are retried here only within
  `Policy.outage_wait`, with connection timeouts of the same size. When a call still fails, the
  driver's gate closes for `Policy.fail_fast` seconds: calls fail at once, then one call probes
  Neo4j while the others keep failing fast, and the first answer opens the gate again — recovery
  needs no restart. The gate is per process and per driver, so several API processes each find
  out on their own; behind `neo4j://` routing the driver moves to another member within the
  retry budget, so only a cluster that cannot serve at all closes it. Lock contention
  (deadlocks) is retried for longer (`Policy.contention_retry`): Neo4j is answering.
- **Round trips counted** (graph.runner): reads, writes and streams, one per statement.
- **Causal chaining.** Every session shares the driver's query bookmark manager, so in a cluster
  a read after a write (in this process) sees it.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncResult,
    AsyncTransaction,
    GraphDatabase,
    Query,
    Record,
)
from neo4j import time as neo4j_time
from neo4j.exceptions import (
    AuthError,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    DriverError,
    ForbiddenOnReadOnlyDatabase,
    IncompleteCommit,
    Neo4jError,
    NotALeader,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from graph.errors import GraphUnavailableError, QueryTimeoutError
from graph.runner import count_round_trip

T = TypeVar("T")

START_HINT = "start it with `mskg neo4j start`, or check NEO4J_URI and that the server is up"
TIMEOUT_HINT = (
    "ask for less (a smaller `first`, fewer nested lists, a narrower filter); operators can "
    "raise MSKG_CYPHER_TIMEOUT_SECONDS"
)
# Neo4j checks transaction timeouts every 2 s (db.transaction.monitor.check.interval); the
# client-side deadline leaves it that long and a little more to answer first.
_CLIENT_GRACE = 5.0
_STREAM_FETCH = 2000


@dataclass(frozen=True)
class Policy:
    """How long statements may run and how long a caller waits for a failing Neo4j (seconds)."""

    statement_timeout: float = 30.0
    bulk_timeout: float = 3600.0
    outage_wait: float = 1.0
    fail_fast: float = 2.0
    contention_retry: float = 10.0
    # Neo4j's notifications at or above this severity (an unknown label, relationship type or
    # property — what a rename in the ontology that a query missed looks like — deprecated
    # syntax, a cartesian product) are logged by the driver under `neo4j.notifications`.
    notifications: Literal["off", "warning", "information"] = "warning"

    def driver_config(self) -> dict[str, Any]:
        """Driver settings that keep a dead or unreachable server from holding a caller longer
        than `outage_wait` (connecting, and acquiring a connection — which includes fetching a
        routing table behind `neo4j://`)."""
        return {
            "connection_timeout": self.outage_wait,
            "connection_acquisition_timeout": self.outage_wait + 0.5,
            # Only code outside the gateway (tests, scripts) uses the driver's managed retries.
            "max_transaction_retry_time": self.contention_retry,
            "notifications_min_severity": self.notifications.upper(),
        }


@dataclass
class _Gate:
    """The fail-fast window of one driver (see the module docstring)."""

    policy: Policy
    closed_until: float = 0.0  # time.monotonic(); 0 = open
    probing: bool = False
    cause: str = ""

    def admit(self) -> bool:
        """Let a call through (True when it is the probe), or raise GraphUnavailableError."""
        if not self.closed_until:
            return False
        now = time.monotonic()
        if now < self.closed_until or self.probing:
            left = max(self.closed_until - now, 0.0)
            raise GraphUnavailableError(
                f"Neo4j does not answer ({self.cause}); not trying again for {left:.1f} s",
                START_HINT,
                retry_after=left or self.policy.fail_fast,
            )
        self.probing = True
        return True

    def close(self, cause: str) -> None:
        self.closed_until = time.monotonic() + self.policy.fail_fast
        self.cause = cause

    def open(self) -> None:
        self.closed_until = 0.0


_gates: weakref.WeakKeyDictionary[AsyncDriver, _Gate] = weakref.WeakKeyDictionary()


def configure(driver: AsyncDriver, policy: Policy) -> None:
    """Use `policy` for every call through `driver` (graph.driver.open_driver does this)."""
    _gates[driver] = _Gate(policy)


def policy_of(driver: AsyncDriver) -> Policy:
    return _gate(driver).policy


def _gate(driver: AsyncDriver) -> _Gate:
    gate = _gates.get(driver)
    if gate is None:
        gate = _gates[driver] = _Gate(Policy())
    return gate


# -- what a failure means -----------------------------------------------------------------------
Kind = Literal["outage", "unknown-commit", "contention", "timeout", "refused", "answered", "other"]


def _kind(exc: BaseException) -> Kind:
    if isinstance(exc, Neo4jError):
        code = exc.code or ""
        if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
            return "timeout"
        if isinstance(exc, AuthError) or code.startswith("Neo.ClientError.Security."):
            return "refused"
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return "refused"
        if isinstance(exc, DatabaseUnavailable | NotALeader | ForbiddenOnReadOnlyDatabase):
            return "outage"  # restarting, or a cluster member changing role: not answering
        if exc.is_retryable() and "OutOfMemory" not in code:
            return "contention"  # deadlocks and the like; repeating an out-of-memory is no use
        return "answered"  # a constraint, a syntax error…: the caller's business
    if isinstance(exc, IncompleteCommit):
        return "unknown-commit"
    if isinstance(exc, ServiceUnavailable | SessionExpired | ConnectionAcquisitionTimeoutError):
        return "outage"
    if isinstance(exc, DriverError):
        return "refused"
    if isinstance(exc, OSError):  # TimeoutError included (the client-side deadline)
        return "outage"
    return "other"


def _message(exc: BaseException) -> str:
    """The failure in one line (the driver's messages span several)."""
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    text = (exc.message or str(exc)) if isinstance(exc, Neo4jError) else str(exc)
    return " ".join(text.split()) or type(exc).__name__


def translate(exc: BaseException, database: str, policy: Policy) -> BaseException:
    """The graph layer's error for a driver failure; anything else is returned unchanged."""
    kind = _kind(exc)
    cause = _message(exc)
    if kind == "timeout":
        return QueryTimeoutError(
            f"the query ran longer than its time limit and was stopped ({cause})", TIMEOUT_HINT
        )
    if kind == "outage":
        return GraphUnavailableError(
            f"Neo4j does not answer: {cause}", START_HINT, retry_after=policy.fail_fast
        )
    if kind == "unknown-commit":
        return GraphUnavailableError(
            f"Neo4j stopped answering while committing; the change may or may not be saved: {cause}",
            "reload to see whether it was saved, then retry if not",
            retry_after=policy.fail_fast,
        )
    if kind == "refused":
        if isinstance(exc, AuthError):
            hint = "check NEO4J_USER and NEO4J_PASSWORD (local server: `mskg neo4j env`)"
            return GraphUnavailableError(f"Neo4j rejected the credentials: {cause}", hint)
        if isinstance(exc, Neo4jError):
            hint = f"check that the database {database!r} exists and is online (NEO4J_DATABASE)"
            return GraphUnavailableError(f"Neo4j refused the request: {cause}", hint)
        return GraphUnavailableError(f"Neo4j driver error: {cause}", START_HINT)
    return exc


def _delays() -> Iterator[float]:
    # 0.1, 0.2, 0.4, … s (capped at 1 s), ±20 % so that many callers do not retry in step.
    attempt = 0
    while True:
        yield min(0.1 * 2**attempt, 1.0) * random.uniform(0.8, 1.2)  # noqa: S311 -- jitter
        attempt += 1


# -- records ------------------------------------------------------------------------------------
# The temporal classes values of DATE and DATETIME properties arrive as in a `plain` record.
TEMPORAL_TYPES: frozenset[type] = frozenset({neo4j_time.Date, neo4j_time.DateTime})


# Builds each map of a `tree`, e.g. a dict subclass with attribute access.
MapMaker = Callable[[dict[str, Any]], Any]


def as_dict(value: dict[str, Any]) -> dict[str, Any]:
    """The `MapMaker` that keeps plain dicts."""
    return value


_AS_IS: frozenset[type] = frozenset({str, int, float, bool, bytes, type(None)})


def tree(value: Any, make_map: MapMaker) -> Any:
    """A projection's value in one pass: maps built by `make_map`, temporal values as Python's
    (as `graph.records.native` makes them), nodes and the like as `plain` makes them. Reading a
    page of projected rows this way instead of converting it three times over (plain values,
    native values, then the API's rows) took those conversions from ~24 % of the API's CPU under
    load to ~13 % (py-spy, 100 sorted standards, 8 clients)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    # Scalars, by far the most items of a projection, are kept without a call each.
    as_is = _AS_IS
    if kind is list:
        return [v if type(v) in as_is else tree(v, make_map) for v in value]
    if kind is dict:
        return make_map({k: v if type(v) in as_is else tree(v, make_map) for k, v in value.items()})
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return to_native()
    return _plain(value)


def plain(record: Record) -> dict[str, Any]:
    """A record as a dict of plain values, as `Record.data()` gives it but with byte strings
    kept whole: the driver's exporter treats one as a sequence and rebuilds it a byte at a
    time, so a compressed revision change set of 170 kB took ~0.1 s to read, and a batch of
    catalogue revisions longer than the statement timeout."""
    return {key: _plain(record[key]) for key in record.keys()}  # noqa: SIM118 -- Record is no dict


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bytes, bytearray, bool, int, float)):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Node):
        return _plain(dict(value))
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return (
            _plain(dict(start)) if start is not None else None,
            type(value).__name__,
            _plain(dict(end)) if end is not None else None,
        )
    if isinstance(value, Path):
        out = [_plain(value.start_node)]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            out += [type(rel).__name__, _plain(node)]
        return out
    return value  # temporal and spatial values


# -- running -------------------------------------------------------------------------------------
class Tx:
    """What a transaction function gets: `run` sends one statement (counted) in the transaction."""

    __slots__ = ("_tx",)

    def __init__(self, tx: AsyncTransaction) -> None:
        self._tx = tx

    async def run(self, query: str, params: Mapping[str, Any] | None = None) -> AsyncResult:
        count_round_trip()
        return await self._tx.run(query, dict(params or {}))


async def transaction(
    driver: AsyncDriver,
    database: str,
    work: Callable[[Tx], Awaitable[T]],
    *,
    write: bool = True,
    bulk: bool = False,
    dry_run: bool = False,
) -> T:
    """Run `work` in one transaction (committed, or rolled back with `dry_run`), retried on
    connection failures within the policy's budget. `work` may run more than once: it must not
    have effects outside the transaction."""
    return await _retried(
        driver,
        database,
        bulk,
        lambda seconds: _attempt(driver, database, work, write, seconds, dry_run),
    )


async def _retried(
    driver: AsyncDriver, database: str, bulk: bool, attempt: Callable[[float], Awaitable[T]]
) -> T:
    """`attempt(statement timeout)`, retried on connection failures within the policy's budget."""
    gate = _gate(driver)
    policy = gate.policy
    timeout = policy.bulk_timeout if bulk else policy.statement_timeout
    probe = gate.admit()
    started = time.monotonic()
    delays = _delays()
    try:
        while True:
            try:
                async with asyncio.timeout(timeout + _CLIENT_GRACE):
                    value = await attempt(timeout)
            except Exception as exc:
                kind = _kind(exc)
                if kind in ("answered", "timeout", "contention", "refused"):
                    gate.open()  # Neo4j answered
                mapped = translate(exc, database, policy)
                budget = {"outage": policy.outage_wait, "contention": policy.contention_retry}
                delay = next(delays)
                elapsed = time.monotonic() - started
                tripped = gate.closed_until > 0 and not probe  # another call already found out
                if kind in budget and elapsed + delay < budget[kind] and not tripped:
                    await asyncio.sleep(delay)
                    continue
                if kind in ("outage", "unknown-commit"):
                    gate.close(_message(exc))
                if mapped is exc:
                    raise
                raise mapped from exc
            gate.open()
            return value
    finally:
        if probe:
            gate.probing = False


async def _attempt(
    driver: AsyncDriver,
    database: str,
    work: Callable[[Tx], Awaitable[T]],
    write: bool,
    seconds: float,
    dry_run: bool,
) -> T:
    async with (
        driver.session(
            database=database,
            default_access_mode=WRITE_ACCESS if write else READ_ACCESS,
            bookmark_manager=driver.execute_query_bookmark_manager,
        ) as session,
        await session.begin_transaction(timeout=seconds) as tx,
    ):
        value = await work(Tx(tx))
        if dry_run:
            await tx.rollback()
        return value  # leaving the block commits (or rolls back on an error)


async def read(
    driver: AsyncDriver,
    database: str,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    bulk: bool = False,
    make_map: MapMaker | None = None,
) -> list[dict[str, Any]]:
    """One read statement (routed to a reader in a cluster); its records as dicts — with
    `make_map`, their values converted as `tree` converts them.

    It runs as an auto-commit transaction: one statement needs no BEGIN and COMMIT around it,
    and leaving them out saves a round trip to Neo4j and ~0.7 ms of the API's CPU per read
    (measured on a search: 1.9 → 1.2 ms of client CPU). Retries are the same as `transaction`'s.
    """

    async def attempt(seconds: float) -> list[dict[str, Any]]:
        async with driver.session(
            database=database,
            default_access_mode=READ_ACCESS,
            bookmark_manager=driver.execute_query_bookmark_manager,
        ) as session:
            count_round_trip()
            result = await session.run(Query(query, timeout=seconds), dict(params or {}))
            if make_map is None:
                return [plain(record) async for record in result]
            return [
                {key: tree(record[key], make_map) for key in record.keys()}  # noqa: SIM118
                async for record in result
            ]

    return await _retried(driver, database, bulk, attempt)


async def write(
    driver: AsyncDriver,
    database: str,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    bulk: bool = False,
) -> list[dict[str, Any]]:
    """One write statement in its own transaction; its records as dicts."""

    async def work(tx: Tx) -> list[dict[str, Any]]:
        result = await tx.run(query, params)
        return [plain(record) async for record in result]

    return await transaction(driver, database, work, bulk=bulk)


async def stream(
    driver: AsyncDriver,
    database: str,
    query: str,
    params: Mapping[str, Any] | None = None,
    fetch_size: int = _STREAM_FETCH,
) -> AsyncIterator[dict[str, Any]]:
    """The records of one read, fetched `fetch_size` at a time (memory stays bounded). Retried
    like any call until its first record; a failure after that raises the mapped error, and the
    caller decides how to end what it was producing. Runs under the bulk timeout: a large
    export is an operator-sized job."""
    gate = _gate(driver)
    policy = gate.policy
    probe = gate.admit()
    started = time.monotonic()
    delays = _delays()
    delivered = False
    try:
        while True:
            try:
                async with (
                    driver.session(
                        database=database,
                        default_access_mode=READ_ACCESS,
                        fetch_size=fetch_size,
                        bookmark_manager=driver.execute_query_bookmark_manager,
                    ) as session,
                    await session.begin_transaction(timeout=policy.bulk_timeout) as tx,
                ):
                    count_round_trip()
                    async with asyncio.timeout(policy.bulk_timeout + _CLIENT_GRACE):
                        result = await tx.run(query, dict(params or {}))
                    gate.open()
                    if probe:  # answered: free the probe now, not when the consumer lets go
                        gate.probing = probe = False
                    async for record in result:
                        delivered = True
                        yield plain(record)
                return
            except Exception as exc:
                kind = _kind(exc)
                mapped = translate(exc, database, policy)
                delay = next(delays)
                elapsed = time.monotonic() - started
                if kind == "outage" and not delivered and elapsed + delay < policy.outage_wait:
                    await asyncio.sleep(delay)
                    continue
                if kind == "outage":
                    gate.close(_message(exc))
                if mapped is exc:
                    raise
                raise mapped from exc
    finally:
        if probe:
            gate.probing = False


def stream_blocking(
    policy: Policy,
    uri: str,
    auth: tuple[str, str],
    database: str,
    queries: Iterable[tuple[str, Mapping[str, Any], int]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """For a worker thread: the records of several reads (query, parameters, how many records
    to fetch at a time) that return maps and scalars only, each record tagged with its query's
    index,
    through a short-lived synchronous driver (`policy` is the API driver's: `policy_of`; the
    call needs no driver, so a helper process can make it too). The async driver awaits every socket read as its
    own task and delivers large results ~3.5x slower (111k records: 4.1 s against 1.2 s), which
    is what a whole-graph export spends its time on. `driver`'s policy applies (timeouts, the
    bulk transaction timeout); failures are mapped like every call and not retried: an export
    that fails part-way ends with its error. Closing the generator closes the session."""
    try:
        # Whole-graph reads name every declared type and property, and a type nobody has
        # used yet is no misspelling: Neo4j's "does not exist" warnings would only be noise.
        config = policy.driver_config() | {"notifications_min_severity": "OFF"}
        with GraphDatabase.driver(uri, auth=auth, user_agent="mskg", **config) as blocking:
            for index, (query, params, fetch_size) in enumerate(queries):
                with (
                    blocking.session(
                        database=database, default_access_mode=READ_ACCESS, fetch_size=fetch_size
                    ) as session,
                    session.begin_transaction(timeout=policy.bulk_timeout) as tx,
                ):
                    count_round_trip()
                    # Whole-graph reads return maps and scalars only: a record is a dict as
                    # it is (`plain` would walk every map again, 7 % of an export).
                    for record in tx.run(query, dict(params)):
                        yield index, dict(zip(record.keys(), record, strict=True))
    except Exception as exc:
        mapped = translate(exc, database, policy)
        if mapped is exc:
            raise
        raise mapped from exc


async def autocommit(
    driver: AsyncDriver, database: str, query: str, params: Mapping[str, Any] | None = None
) -> None:
    """A statement that manages its own transactions (`CALL … IN TRANSACTIONS`), which needs
    an auto-commit transaction; under the bulk timeout, not retried (it can be run again)."""
    gate = _gate(driver)
    policy = gate.policy
    probe = gate.admit()
    try:
        async with driver.session(
            database=database, bookmark_manager=driver.execute_query_bookmark_manager
        ) as session:
            count_round_trip()
            result = await session.run(_timed(query, policy.bulk_timeout), dict(params or {}))
            await result.consume()
    except Exception as exc:
        if _kind(exc) == "outage":
            gate.close(_message(exc))
        mapped = translate(exc, database, policy)
        if mapped is exc:
            raise
        raise mapped from exc
    finally:
        if probe:
            gate.probing = False
    gate.open()


def _timed(query: str, timeout: float) -> Query:
    return Query(query, timeout=timeout)


async def ping(driver: AsyncDriver, database: str, seconds: float | None = None) -> str:
    """Run a trivial query now, whatever the fail-fast window says (it is the readiness probe,
    and its answer opens or closes the window); return the server's agent string or raise
    GraphUnavailableError."""
    gate = _gate(driver)
    policy = gate.policy
    limit = policy.outage_wait + 1.0 if seconds is None else seconds
    try:
        async with asyncio.timeout(limit):
            async with driver.session(
                database=database, default_access_mode=READ_ACCESS
            ) as session:
                count_round_trip()
                result = await session.run("RETURN 1 AS ok")
                summary = await result.consume()
    except Exception as exc:
        kind = _kind(exc)
        if kind == "outage":
            gate.close(_message(exc))
        mapped = translate(exc, database, policy)
        if isinstance(exc, TimeoutError):
            mapped = GraphUnavailableError(
                f"Neo4j does not answer: no answer within {limit:.1f} s",
                START_HINT,
                retry_after=policy.fail_fast,
            )
        if mapped is exc:
            # Neo4j answered, but not with a result: report it rather than a stack trace.
            raise GraphUnavailableError(
                f"Neo4j answered with an error: {_message(exc)}",
                f"check that the database {database!r} exists and is online (NEO4J_DATABASE)",
            ) from exc
        raise mapped from exc
    gate.open()
    return str(summary.server.agent)


def retry_after_seconds(error: GraphUnavailableError) -> int:
    """A Retry-After value (whole seconds, at least 1) for an unavailable graph."""
    return max(1, math.ceil(error.retry_after))


__all__ = [
    "START_HINT",
    "Policy",
    "Tx",
    "autocommit",
    "configure",
    "ping",
    "policy_of",
    "read",
    "retry_after_seconds",
    "stream",
    "transaction",
    "translate",
    "write",
]
