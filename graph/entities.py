"""Reading entities and their relationships by key."""

from __future__ import annotations

from typing import Any, Literal

from neo4j import AsyncDriver

from graph.errors import NotFoundError
from graph.gateway import read
from graph.records import Entity, native
from ontology import ONTOLOGY, RESOURCE_LABEL

Direction = Literal["out", "in"]


async def get_entity(driver: AsyncDriver, database: str, key: str) -> Entity:
    """The entity with this key, or NotFoundError."""
    records = await read(
        driver,
        database,
        f"MATCH (n:{RESOURCE_LABEL} {{key: $key}}) RETURN labels(n) AS l, properties(n) AS p",
        {"key": key},
    )
    if not records:
        raise NotFoundError(f"no entity with key {key!r}")
    return Entity.from_record(records[0]["l"], records[0]["p"])


async def related(
    driver: AsyncDriver, database: str, key: str, rel_type: str, direction: Direction = "out"
) -> list[tuple[Entity, dict[str, Any]]]:
    """Entities at the other end of `rel_type` relationships, with each relationship's
    properties, ordered by key."""
    rel = ONTOLOGY.relation(rel_type)  # only declared types reach Cypher
    pattern = f"-[r:{rel.type}]->" if direction == "out" else f"<-[r:{rel.type}]-"
    records = await read(
        driver,
        database,
        f"MATCH (:{RESOURCE_LABEL} {{key: $key}}){pattern}(m:{RESOURCE_LABEL}) "
        "RETURN labels(m) AS l, properties(m) AS p, properties(r) AS rp ORDER BY m.key",
        {"key": key},
    )
    return [
        (Entity.from_record(r["l"], r["p"]), {k: native(v) for k, v in r["rp"].items()})
        for r in records
    ]


async def count_by_label(driver: AsyncDriver, database: str) -> dict[str, int]:
    """Number of nodes per declared class."""
    records = await read(
        driver,
        database,
        f"MATCH (n:{RESOURCE_LABEL}) UNWIND labels(n) AS l WITH l WHERE l <> '{RESOURCE_LABEL}' "
        "RETURN l, count(*) AS c",
    )
    return {r["l"]: r["c"] for r in records}


async def count_by_type(driver: AsyncDriver, database: str) -> dict[str, int]:
    """Number of relationships per declared type (not the links of derived counts)."""
    records = await read(driver, database, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")
    declared = {rel.type for rel in ONTOLOGY.relations}
    return {r["t"]: r["c"] for r in records if r["t"] in declared}


async def classes_of(driver: AsyncDriver, database: str, keys: list[str]) -> dict[str, str]:
    """The class of each existing key (missing keys are absent)."""
    if not keys:
        return {}
    records = await read(
        driver,
        database,
        f"MATCH (n:{RESOURCE_LABEL}) WHERE n.key IN $keys "
        f"RETURN n.key AS k, [l IN labels(n) WHERE l <> '{RESOURCE_LABEL}'][0] AS c",
        {"keys": keys},
    )
    return {r["k"]: r["c"] for r in records}
