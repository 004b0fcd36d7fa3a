"""Keep the shared SPARQL store current from the revision log.

Every API process runs a small background task, but one of them at a time does the work: the
holder of a lease kept inside the store. Every write is a compare-and-set on a sync-state
resource in the store (graph <urn:mskg:sync>): an update request's first operation replaces the
state's token only if it still has the value the writer read, and every later operation of the
request applies only if the token is the writer's new one. Fuseki runs a request in one TDB2
write transaction, so two processes racing cannot apply batches out of order or twice: the
loser's request changes nothing and it reads the state again.

A batch of revisions is applied with one Cypher statement (all changed keys described at
once) and one SPARQL Update request. The store is (re)loaded from the RDF export — into a
staging graph, then swapped in by one update — when it is empty or when the log was replaced
(a database emptied and reloaded, or restored: sequence numbers start again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF

from api.sparql.store import FusekiStore
from graph.change_record import LinkChange
from graph.changes import Revision
from graph.driver import AsyncDriver, Connection
from graph.errors import GraphUnavailableError
from graph.rdf_export import blocking_batches, describe_many, revision_log_triples
from graph.rdf_formats import FORMATS, serialize_export
from graph.revisions import log_after, log_position
from ontology import ONTOLOGY
from ontology.iris import entity_iri
from ontology.provenance import CHANGED, EVENT_OF
from ontology.rdf_mapping import Triple

log = logging.getLogger("mskg.api.sparql")

SYNC_GRAPH = "urn:mskg:sync"
_STATE = "<urn:mskg:sync:state>"
_SEQ, _HEAD, _TOKEN = "<urn:mskg:sync:seq>", "<urn:mskg:sync:head>", "<urn:mskg:sync:token>"
_OWNER, _UNTIL = "<urn:mskg:sync:owner>", "<urn:mskg:sync:until>"
_LOAD_PREFIX = "urn:mskg:load:"
_XSD = "http://www.w3.org/2001/XMLSchema#"

REVISIONS_PER_BATCH = 50  # a catalogue import's revisions hold ~1,000–3,000 changes each
KEYS_PER_REQUEST = 500
# A whole catalogue graph (12M triples) streams into Fuseki in ~3 minutes on two cores.
LOAD_LEASE_SECONDS = 900.0
LOAD_TIMEOUT_SECONDS = 3600.0
# Rounds in which the store's state is not read while the log stays where the store was (the
# store is read again after 8 quiet rounds of 0.25 s, or at once when the log moves).
STATE_READ_EVERY = 8


@dataclass(frozen=True)
class StoreState:
    """The sync state as read from the store. `seq` None: never loaded."""

    seq: int | None
    head: str | None
    token: str | None
    owner: str | None
    held: bool  # the lease is valid now (by the store's clock)


@dataclass(frozen=True)
class Freshness:
    """How far the store is behind the log when a query is answered."""

    state: StoreState
    # Revisions committed before the query that the store does not hold yet; None when Neo4j
    # cannot say (the store still answers while Neo4j is down).
    lag: int | None


def _nt(triple: Triple) -> str:
    s, p, o = triple
    return f"{s.n3()} {p.n3()} {o.n3()} ."


def _lit(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _guard(token: str) -> str:
    return f"GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} {_lit(token)} }}"


def _swap_token(expected: str | None, new: str) -> str:
    """The compare-and-set that opens every write request."""
    if expected is None:
        check = f"FILTER NOT EXISTS {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} ?any }} }}"
    else:
        check = _guard(expected)
    return (
        f"DELETE {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} ?t }} }}\n"
        f"INSERT {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} {_lit(new)} }} }}\n"
        f"WHERE {{ {check} OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} ?t }} }} }}"
    )


def _set_position(token: str, seq: int, head: str | None, owner: str, lease: float) -> str:
    """Record the last applied revision and renew the writer's lease (under `token`)."""
    return (
        f"DELETE {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} ?p ?o }} }}\n"
        f"WHERE {{ {_guard(token)} GRAPH <{SYNC_GRAPH}> {{ {_STATE} ?p ?o }} "
        f"FILTER (?p IN ({_SEQ}, {_HEAD}, {_OWNER}, {_UNTIL})) }} ;\n"
        f"INSERT {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_SEQ} {seq} ; {_HEAD} {_lit(head or '')} ; "
        f"{_OWNER} {_lit(owner)} ; {_UNTIL} ?until }} }}\n"
        f"WHERE {{ {_guard(token)} "
        f'BIND (NOW() + "PT{lease:g}S"^^<{_XSD}dayTimeDuration> AS ?until) }}'
    )


def _replace_entities(token: str, iris: Iterable[str], triples: Iterable[str]) -> str:
    """Drop what the store says about these entities (as subject, as object except the log's
    history, and the reified statements of their relationships), then add the fresh triples."""
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    keep = f"<{CHANGED}>, <{EVENT_OF}>"
    guard = _guard(token)
    ops = []
    if values:
        for side in ("subject", "object"):
            ops.append(
                f"DELETE {{ ?x ?p ?o }} WHERE {{ {guard} VALUES ?e {{ {values} }} "
                f"?x <{RDF[side]}> ?e . ?x ?p ?o }}"
            )
        ops.append(f"DELETE {{ ?e ?p ?o }} WHERE {{ {guard} VALUES ?e {{ {values} }} ?e ?p ?o }}")
        ops.append(
            f"DELETE {{ ?s ?p ?e }} WHERE {{ {guard} VALUES ?e {{ {values} }} ?s ?p ?e "
            f"FILTER (?p NOT IN ({keep})) }}"
        )
    body = "\n".join(triples)
    if body:
        ops.append(f"INSERT {{\n{body}\n}} WHERE {{ {guard} }}")
    return " ;\n".join(ops)


class StoreSync:
    """One per API process: reads the store's state for queries and, when it holds the lease,
    applies the revision log to the store."""

    def __init__(
        self,
        store: FusekiStore,
        driver: AsyncDriver,
        connection: Connection,
        base: str,
        every: float = 0.25,
        lease: float = 5.0,
    ) -> None:
        self.store = store
        self.driver = driver
        self.connection = connection
        self.database = connection.database
        self.base = base
        self.every = every
        self.lease = lease
        self.owner = uuid.uuid4().hex
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_error: str | None = None
        self.state: StoreState | None = None  # as of the last round that read it
        self._quiet_rounds = 0  # rounds since then in which the log did not move

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="sparql-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.step()
                if self._last_error is not None:
                    log.info("SPARQL store sync works again")
                    self._last_error = None
            except Exception as exc:
                # Fuseki or Neo4j down or restarting: say so once (not every round), keep trying.
                if str(exc) != self._last_error:
                    log.warning("SPARQL store sync paused: %s", exc, exc_info=True)
                    self._last_error = str(exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.every)
            self._wake.clear()

    # -- reading -------------------------------------------------------------------------------
    async def read_state(self) -> StoreState:
        rows = await self.store.select(
            "SELECT ?seq ?head ?token ?owner ?held WHERE {\n"
            f"  OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_SEQ} ?seq }} }}\n"
            f"  OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_HEAD} ?head }} }}\n"
            f"  OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_TOKEN} ?token }} }}\n"
            f"  OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_OWNER} ?owner ; {_UNTIL} ?until }} }}\n"
            "  BIND (COALESCE(?until > NOW(), false) AS ?held)\n}"
        )
        row = rows[0] if rows else {}
        return StoreState(
            seq=int(row["seq"]) if "seq" in row else None,
            head=row.get("head") or None,
            token=row.get("token"),
            owner=row.get("owner"),
            held=row.get("held") == "true",
        )

    async def freshness(self, wait: float) -> Freshness:
        """The store's state for a query arriving now: if revisions committed before now are
        missing, wait up to `wait` seconds for the writer to apply them, then answer anyway."""
        deadline = time.monotonic() + wait
        # The state seen by the last round is a lower bound (the store only moves forward): when
        # it already holds the log's head, the store need not be asked again.
        first = self.state if self.state is not None else await self.read_state()
        try:
            seq, _head, same = await log_position(
                self.driver, self.database, first.seq or 0, first.head
            )
        except GraphUnavailableError:
            return Freshness(first, None)
        state = first
        while True:
            if state.seq is not None:
                if state.token != first.token:
                    current = state.seq >= seq
                else:
                    current = same and state.seq >= seq
                if current:
                    return Freshness(state, 0)
            if time.monotonic() >= deadline:
                break
            self.wake()
            await asyncio.sleep(0.05)
            state = await self.read_state()
        if state.seq is None:
            return Freshness(state, seq)
        return Freshness(state, max(seq - state.seq, 0) if same else seq)

    # -- writing -------------------------------------------------------------------------------
    async def step(self) -> None:
        """One round: if the store is behind the log and nobody else holds the lease, take it
        and catch up (for at most a few seconds; the next round continues).

        While the log has not moved past what the store last held, the store is current (it
        only moves forward), so it is asked again only after `STATE_READ_EVERY` quiet rounds:
        an idle API process then costs Fuseki one small query per couple of seconds, not four a
        second, and a write is still applied in the round after it commits."""
        known = self.state
        if known is not None and known.seq is not None and self._quiet_rounds < STATE_READ_EVERY:
            seq, _head, same = await log_position(self.driver, self.database, known.seq, known.head)
            if same and known.seq >= seq:
                self._quiet_rounds += 1
                return
        self._quiet_rounds = 0
        state = await self.read_state()
        self.state = state
        seq, _head, same = await log_position(
            self.driver, self.database, state.seq or 0, state.head
        )
        if state.seq is not None and same and state.seq >= seq:
            return
        if state.held and state.owner != self.owner:
            return
        if not (state.held and state.owner == self.owner) and not await self._acquire():
            return
        await self._catch_up(time.monotonic() + 5.0)

    async def _acquire(self, lease: float | None = None) -> bool:
        await self.store.update(
            f"DELETE {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_OWNER} ?o ; {_UNTIL} ?u }} }}\n"
            f"INSERT {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_OWNER} {_lit(self.owner)} ; "
            f"{_UNTIL} ?until }} }}\n"
            f"WHERE {{ OPTIONAL {{ GRAPH <{SYNC_GRAPH}> {{ {_STATE} {_OWNER} ?o ; {_UNTIL} ?u }} }}\n"
            f"  FILTER (!BOUND(?u) || ?u < NOW() || ?o = {_lit(self.owner)})\n"
            f'  BIND (NOW() + "PT{lease or self.lease:g}S"^^<{_XSD}dayTimeDuration> AS ?until) }}'
        )
        state = await self.read_state()
        return state.held and state.owner == self.owner

    async def _catch_up(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            state = await self.read_state()
            if state.owner != self.owner:
                return  # the lease went to another process
            if state.seq is None:
                await self._load(state)
                continue
            revisions = await log_after(
                self.driver, self.database, state.seq, state.head, first=REVISIONS_PER_BATCH
            )
            if revisions is None:
                await self._load(state)
            elif not revisions:
                return
            else:
                await self._apply(state, revisions)

    async def _apply(self, state: StoreState, revisions: list[Revision]) -> None:
        """Re-describe every entity the revisions touched and add the revisions themselves:
        one Cypher statement per chunk of keys, one update request per chunk."""
        assert state.seq is not None
        iris: dict[str, str] = {}  # key -> IRI of entities the changes name with their class
        keys: set[str] = set()
        for rev in revisions:
            for change in rev.changes:
                if not isinstance(change, LinkChange):
                    cls = ONTOLOGY.cls(change.class_name)
                    iris[change.key] = entity_iri(self.base, cls, change.key)
                keys.update(change.keys)
        ordered = sorted(keys)
        step = KEYS_PER_REQUEST
        chunks = [ordered[i : i + step] for i in range(0, len(ordered), step)] or [[]]
        last = revisions[-1]
        expected = state.token
        for index, chunk in enumerate(chunks):
            described = await describe_many(
                self.driver, self.database, self.base, chunk, reveal=False
            )
            # The entity itself is the subject of the first triple of its description (the
            # others' types name agents and reified statements, which are not replaced).
            chunk_iris = {str(ts[0][0]) for ts in described.values() if ts}
            chunk_iris |= {iris[key] for key in chunk if key in iris}
            triples = [_nt(t) for ts in described.values() for t in ts]
            new = uuid.uuid4().hex
            ops = [_swap_token(expected, new), _replace_entities(new, chunk_iris, triples)]
            if index == len(chunks) - 1:
                history = await revision_log_triples(
                    self.driver, self.database, self.base, state.seq, last.seq, reveal=False
                )
                ops.append(_replace_entities(new, (), (_nt(t) for t in history)))
                ops.append(_set_position(new, last.seq, last.id, self.owner, self.lease))
            await self.store.update(" ;\n".join(op for op in ops if op))
            expected = new
        after = await self.read_state()
        if after.token != expected:
            log.info("SPARQL store: another writer got there first; reading the state again")

    async def _load(self, state: StoreState) -> None:
        """Load the export. An empty store gets it directly in its default graph; a store that
        holds an older graph gets it in a staging graph that one update request swaps in, so
        queries meanwhile see the old graph, never a half-loaded one. The export is streamed
        in one request (one transaction) under a lease long enough for it: another process
        that took over meanwhile would load the same triples again, and its closing
        compare-and-set would fail."""
        seq, head, _ = await log_position(self.driver, self.database, 0, None)
        fresh = state.seq is None
        target = "default" if fresh else f"{_LOAD_PREFIX}{uuid.uuid4().hex}"
        log.info("SPARQL store: loading the graph from the export (revision %d)", seq)
        started = time.monotonic()
        await self._acquire(LOAD_LEASE_SECONDS)
        ntriples = serialize_export(
            lambda: blocking_batches(self.driver, self.connection),
            FORMATS["ntriples"],
            self.base,
            reveal=False,
        )
        count = await self.store.load(target, ntriples, seconds=LOAD_TIMEOUT_SECONDS)
        new = uuid.uuid4().hex
        guard = _guard(new)
        ops = [_swap_token(state.token, new)]
        if not fresh:
            ops += [
                f"DELETE {{ ?s ?p ?o }} WHERE {{ {guard} ?s ?p ?o }}",
                f"INSERT {{ ?s ?p ?o }} WHERE {{ {guard} GRAPH <{target}> {{ ?s ?p ?o }} }}",
            ]
        ops += [
            _set_position(new, seq, head, self.owner, self.lease),
            # Staging graphs of this load and of any load that died half-way.
            f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {guard} GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER (STRSTARTS(STR(?g), "{_LOAD_PREFIX}")) }}',
        ]
        await self.store.update(" ;\n".join(ops))
        log.info("SPARQL store: %d triples loaded in %.1fs", count, time.monotonic() - started)
