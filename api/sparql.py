"""A read-only SPARQL 1.1 view of the graph: an in-process Oxigraph store, loaded from the RDF
export and kept current from the revision log. It is the public view (one store serves every
caller), so contact details are not in it.

Each API process keeps its own store. Before answering a query it reads the revisions committed
since the last one it applied (by any process) and re-describes every entity they touched, so
an edit is visible to the next query everywhere — the same log-polling design as the live feed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph

from graph.driver import AsyncDriver
from graph.rdf_export import describe, export_triples, revision_log_triples
from graph.revisions import log_after, recent_changes
from ontology import ONTOLOGY
from ontology.iris import entity_iri
from ontology.provenance import CHANGED, EVENT_OF
from ontology.rdf_mapping import Triple

_CHUNK = 5000
_LOG_PREDICATES = {ox.NamedNode(str(CHANGED)), ox.NamedNode(str(EVENT_OF))}


def _ntriples(triples: list[Triple]) -> bytes:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8")


class SparqlStore:
    def __init__(self) -> None:
        self.store = ox.Store()
        self.seq = -1  # last revision applied; -1 = not loaded yet
        self.head: str | None = None  # its id
        self._lock = asyncio.Lock()

    async def sync(self, driver: AsyncDriver, database: str, base: str) -> None:
        """Bring the store up to the latest committed revision."""
        async with self._lock:
            if self.seq < 0:
                await self._load(driver, database, base)
                return
            while True:
                revisions = await log_after(driver, database, self.seq, self.head)
                if revisions is None:
                    # The log was replaced under us (a database emptied and reloaded, a
                    # restore): start again from the export.
                    await self._load(driver, database, base)
                    return
                if not revisions:
                    return
                iris: set[str] = set()
                keys: set[str] = set()
                for rev in revisions:
                    for change in rev.changes:
                        if change.get("class") and change.get("key"):
                            iris.add(entity_iri(base, ONTOLOGY.cls(change["class"]), change["key"]))
                        keys.update(
                            k
                            for k in (change.get("key"), change.get("start"), change.get("end"))
                            if k
                        )
                        for rel in change.get("relationships", []):
                            keys.update((rel["start"], rel["end"]))
                for key in sorted(keys):
                    described = await describe(driver, database, base, key, reveal=False)
                    if described:
                        iris.add(str(next(s for s, p, _ in described if p == RDF.type)))
                    await asyncio.to_thread(self._replace, iris, described or [], key)
                log = await revision_log_triples(
                    driver, database, base, self.seq, revisions[-1].seq, reveal=False
                )
                await asyncio.to_thread(self.store.load, _ntriples(log), ox.RdfFormat.N_TRIPLES)
                self.seq, self.head = revisions[-1].seq, revisions[-1].id

    async def _load(self, driver: AsyncDriver, database: str, base: str) -> None:
        latest = await recent_changes(driver, database, first=1)
        seq = latest[0].seq if latest else 0
        head = latest[0].id if latest else None
        self.store = ox.Store()
        batch: list[Triple] = []
        async for triple in export_triples(driver, database, base, reveal=False):
            batch.append(triple)
            if len(batch) >= _CHUNK:
                await asyncio.to_thread(self.store.load, _ntriples(batch), ox.RdfFormat.N_TRIPLES)
                batch = []
        if batch:
            await asyncio.to_thread(self.store.load, _ntriples(batch), ox.RdfFormat.N_TRIPLES)
        # Revisions committed while exporting are applied again by the next sync (idempotent).
        self.seq, self.head = seq, head

    def _replace(self, iris: set[str], triples: list[Triple], key: str) -> None:
        """Drop everything said about the entity with `key` (as subject, as object, and the
        reified statements of its relationships), then add its fresh description."""
        subjects = {i for i in iris if i.endswith(f"/{key}")}
        stale: list[Any] = []
        for iri in subjects:
            node = ox.NamedNode(iri)
            stale += list(self.store.quads_for_pattern(node, None, None))
            # What revisions say about the entity (it was changed, events of it) stays: the
            # log is history, not the entity's current description.
            stale += [
                q
                for q in self.store.quads_for_pattern(None, None, node)
                if q.predicate not in _LOG_PREDICATES
            ]
            for statement in self.store.quads_for_pattern(
                None, ox.NamedNode(str(RDF.subject)), node
            ):
                stale += list(self.store.quads_for_pattern(statement.subject, None, None))
            for statement in self.store.quads_for_pattern(
                None, ox.NamedNode(str(RDF.object)), node
            ):
                stale += list(self.store.quads_for_pattern(statement.subject, None, None))
        for quad in stale:
            self.store.remove(quad)
        if triples:
            self.store.load(_ntriples(triples), ox.RdfFormat.N_TRIPLES)
