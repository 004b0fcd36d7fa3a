"""Graph questions: an entity's neighbourhood, and the shortest connections between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.gateway import read
from graph.records import native_tree
from graph.selection import Selection
from ontology import ONTOLOGY, RESOURCE_LABEL

MAX_DEPTH = 3
MAX_HOPS = 6
NODE_CAP = 300  # nodes per neighbourhood: hubs must not blow up a picture or a response

_RELATION_TYPES = [r.type for r in ONTOLOGY.relations]


@dataclass(frozen=True)
class GraphEdge:
    type: str
    start: str
    end: str
    props: dict[str, Any]


@dataclass(frozen=True)
class Subgraph:
    nodes: list[dict[str, Any]]
    edges: list[GraphEdge]
    truncated: bool


def _edges(rows: list[dict[str, Any]]) -> list[GraphEdge]:
    return [GraphEdge(r["type"], r["start"], r["end"], native_tree(r["props"])) for r in rows]


async def neighborhood(
    driver: AsyncDriver, database: str, key: str, depth: int, selection: Selection
) -> Subgraph | None:
    """Entities within `depth` hops (either direction) and every relationship among them."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    params = cypher.Params()
    params.values.update({"key": key, "cap": NODE_CAP, "types": _RELATION_TYPES})
    # Breadth first, one level at a time, each level capped: bounded work even around hubs.
    steps = [f"MATCH (s:{RESOURCE_LABEL} {{key: $key}}) WITH [s] AS seen0, false AS cut0"]
    for level in range(1, depth + 1):
        prev = level - 1
        steps.append(
            f"CALL (seen{prev}) {{ UNWIND seen{prev} AS x MATCH (x)-[r]-(y:{RESOURCE_LABEL}) "
            "WHERE type(r) IN $types RETURN collect(DISTINCT y) AS found } "
            f"WITH seen{prev} + [y IN found WHERE NOT y IN seen{prev}] AS grown, cut{prev} "
            f"WITH grown[..$cap] AS seen{level}, cut{prev} OR size(grown) > $cap AS cut{level}"
        )
    query = (
        " ".join(steps) + f" WITH seen{depth} AS ns, cut{depth} AS truncated "
        f"RETURN [n IN ns | {cypher.projection('n', selection, params)}] AS nodes, "
        "COLLECT { UNWIND ns AS a MATCH (a)-[r]->(b) WHERE b IN ns AND type(r) IN $types "
        "RETURN {type: type(r), start: a.key, end: b.key, props: properties(r)} } AS edges, truncated"
    )
    rows = await read(driver, database, query, params.values)
    if not rows:
        return None
    row = rows[0]
    return Subgraph(
        nodes=native_tree(row["nodes"]), edges=_edges(row["edges"]), truncated=row["truncated"]
    )


@dataclass(frozen=True)
class Path:
    nodes: list[dict[str, Any]]
    edges: list[GraphEdge]


async def shortest_paths(
    driver: AsyncDriver,
    database: str,
    start: str,
    end: str,
    max_hops: int,
    selection: Selection,
    limit: int = 10,
) -> list[Path]:
    """All shortest connections (ignoring direction) of at most `max_hops` relationships."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"maxHops must be between 1 and {MAX_HOPS}")
    params = cypher.Params()
    params.values.update({"start": start, "end": end, "limit": limit, "types": _RELATION_TYPES})
    query = (
        f"MATCH (a:{RESOURCE_LABEL} {{key: $start}}), (b:{RESOURCE_LABEL} {{key: $end}}) "
        f"MATCH p = allShortestPaths((a)-[*..{int(max_hops)}]-(b)) "
        "WHERE all(r IN relationships(p) WHERE type(r) IN $types) "
        "WITH p LIMIT $limit "
        f"RETURN [n IN nodes(p) | {cypher.projection('n', selection, params)}] AS nodes, "
        "[r IN relationships(p) | {type: type(r), start: startNode(r).key, end: endNode(r).key, "
        "props: properties(r)}] AS edges"
    )
    rows = await read(driver, database, query, params.values)
    return [Path(nodes=native_tree(r["nodes"]), edges=_edges(r["edges"])) for r in rows]
