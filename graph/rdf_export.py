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


async def describe(driver: AsyncDriver, database: str, base: str, key: str) -> list[Triple] | None:
    """The triples about one entity: its own, its outgoing relationships (with their reified
    statements) and the incoming ones; None when there is no such entity."""
    records, _, _ = await driver.execute_query(
        f"""
MATCH (n:{RESOURCE_LABEL} {{key: $key}})
RETURN [l IN labels(n) WHERE l <> '{RESOURCE_LABEL}'][0] AS cls, properties(n) AS p,
  COLLECT {{ MATCH (n)-[r]->(m:{RESOURCE_LABEL})
             RETURN {{type: type(r), key: m.key, cls: [l IN labels(m) WHERE l <> '{RESOURCE_LABEL}'][0], p: properties(r)}} }} AS outgoing,
  COLLECT {{ MATCH (m:{RESOURCE_LABEL})-[r]->(n)
             RETURN {{type: type(r), key: m.key, cls: [l IN labels(m) WHERE l <> '{RESOURCE_LABEL}'][0], p: properties(r)}} }} AS incoming
""",
        parameters_={"key": key},
        database_=database,
        routing_="r",
    )
    if not records:
        return None
    record = records[0]
    cls = ONTOLOGY.cls(record["cls"])
    triples = list(entity_triples(base, cls, record["p"]))
    declared = {r.type for r in ONTOLOGY.relations}
    for rel in record["outgoing"]:
        if rel["type"] in declared:
            end = (ONTOLOGY.cls(rel["cls"]), rel["key"])
            triples += relation_triples(
                base, ONTOLOGY.relation(rel["type"]), (cls, key), end, rel["p"]
            )
    for rel in record["incoming"]:
        if rel["type"] in declared:
            start = (ONTOLOGY.cls(rel["cls"]), rel["key"])
            triples += relation_triples(
                base, ONTOLOGY.relation(rel["type"]), start, (cls, key), rel["p"]
            )
    return triples
