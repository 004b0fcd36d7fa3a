"""What the app keeps for its lifetime (one instance per process, held on `app.state`)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from api.feed import RevisionFeed
from api.graphql.mapping import MappedSchema
from api.sparql.store import FusekiStore
from api.sparql.sync import StoreSync
from graph.driver import AsyncDriver, Connection, ping
from graph.errors import GraphUnavailableError
from graph.schema import apply_schema

log = logging.getLogger("mskg.api")


@dataclass(frozen=True)
class SparqlLimits:
    timeout: float = 30.0
    catchup: float = 2.0
    max_query_bytes: int = 65536
    max_nesting: int = 64


@dataclass
class AppState:
    connection: Connection
    driver: AsyncDriver
    graphql_schema: MappedSchema  # built by create_app; the web pages run their operations on it
    feed: RevisionFeed  # the live feed's one poller in this process
    base_iri: str = "https://w3id.org/mskg/"
    sparql: SparqlLimits = field(default_factory=lambda: SparqlLimits())
    # None when no SPARQL store is configured (/sparql then answers 503).
    sparql_store: FusekiStore | None = None
    sparql_sync: StoreSync | None = None
    schema_applied: bool = False
    _schema_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ensure_schema(self) -> None:
        """Apply constraints and indexes once Neo4j answers (at start-up, or later on /readyz)."""
        if self.schema_applied:
            return
        async with self._schema_lock:
            if self.schema_applied:
                return
            await apply_schema(self.driver, self.connection.database)
            self.schema_applied = True
            log.info("schema applied on %s", self.connection.uri)

    async def readiness(self) -> GraphUnavailableError | None:
        """None when Neo4j answers now (applying the schema if still pending), else the cause."""
        try:
            await ping(self.driver, self.connection.database)
            await self.ensure_schema()
        except GraphUnavailableError as exc:
            return exc
        return None
