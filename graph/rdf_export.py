"""Stream the whole graph as RDF triples (memory stays bounded: records are streamed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from neo4j import AsyncDriver

from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.rdf_mapping import Triple, entity_triples, relation_triples

FETCH_SIZE = 2000


async def _stream(driver: AsyncDriver, database: str, query: str) -> AsyncIterator[Any]:
    async with driver.session(
        database=database, default_access_mode="READ", fetch_size=FETCH_SIZE
    ) as session:
        result = await session.run(query)
        async for record in result:
            yield record


async def export_triples(driver: AsyncDriver, database: str, base: str) -> AsyncIterator[Triple]:
    """Every node of every declared class, then every relationship of every declared type."""
    for cls in ONTOLOGY.classes:
        query = f"MATCH (n:{cls.name}) RETURN properties(n) AS p ORDER BY n.key"
        async for record in _stream(driver, database, query):
            for triple in entity_triples(base, cls, record["p"]):
                yield triple
    for rel in ONTOLOGY.relations:
        query = f"""
MATCH (a:{RESOURCE_LABEL})-[r:{rel.type}]->(b:{RESOURCE_LABEL})
RETURN a.key AS ak, [l IN labels(a) WHERE l <> '{RESOURCE_LABEL}'][0] AS al,
       b.key AS bk, [l IN labels(b) WHERE l <> '{RESOURCE_LABEL}'][0] AS bl,
       properties(r) AS p
ORDER BY ak, bk
"""
        async for record in _stream(driver, database, query):
            start = (ONTOLOGY.cls(record["al"]), record["ak"])
            end = (ONTOLOGY.cls(record["bl"]), record["bk"])
            for triple in relation_triples(base, rel, start, end, record["p"]):
                yield triple
