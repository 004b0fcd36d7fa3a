"""A body's liaisons rolled up: those of the body and of every group beneath it (a
subcommittee's working groups hold liaisons of their own, which its liaison officer follows)."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.gateway import read
from graph.records import native_tree
from graph.selection import Selection

# Committee trees are shallow (JTC 1 → SC → WG → ad hoc group); the bound keeps a cycle in
# bad data from walking far.
MAX_DEPTH = 8


async def liaisons_within(
    driver: AsyncDriver, database: str, committee: str, selection: Selection, limit: int = 100
) -> list[dict[str, Any]]:
    """Liaisons held by or with `committee` or any body beneath it (by SUB_ORGANIZATION_OF),
    each once, by key."""
    p = cypher.Params()
    p.values.update({"committee": committee, "limit": limit})
    query = (
        "MATCH (top:Resource {key: $committee}) "
        f"MATCH (body)-[:SUB_ORGANIZATION_OF*0..{MAX_DEPTH}]->(top) WITH DISTINCT body "
        "MATCH (liaison:Liaison)-[:LIAISON_OF|LIAISON_WITH]->(body) "
        "WITH DISTINCT liaison ORDER BY liaison.key LIMIT $limit "
        f"RETURN {cypher.projection('liaison', selection, p)} AS item"
    )
    rows = await read(driver, database, query, p.values)
    return [native_tree(r["item"]) for r in rows]
