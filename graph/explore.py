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
from ontology.provenance import RECORD_META

MAX_DEPTH = 3
MAX_HOPS = 6
NODE_CAP = 300  # nodes per neighbourhood: hubs must not blow up a picture or a response

_RELATION_TYPES = [r.type for r in ONTOLOGY.relations]


@dataclass(frozen=True)
class Filters:
    """What a picture leaves out: relationship types (`only` these, or all but `skip`), and
    entities of some classes (`classes`: only these are added; `avoid`: none of these — the
    topic concepts that join almost everything, say). The entities asked for stay."""

    only: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()
    classes: tuple[str, ...] | None = None
    avoid: tuple[str, ...] = ()

    def relation_types(self) -> list[str]:
        chosen = self.only if self.only is not None else _RELATION_TYPES
        return [t for t in chosen if t not in self.skip]

    def params(self) -> dict[str, Any]:
        return {
            "types": self.relation_types(),
            "classes": list(self.classes) if self.classes is not None else None,
            "avoid": list(self.avoid),
            "bookkeeping": BOOKKEEPING,
        }


# An entity `var` that the filters let in: of a kept class and of no avoided one.
def _admitted(var: str) -> str:
    return (
        f"($classes IS NULL OR any(l IN labels({var}) WHERE l IN $classes)) "
        f"AND NOT any(l IN labels({var}) WHERE l IN $avoid)"
    )


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


# A relationship's bookkeeping (who wrote it, when) is not part of the picture; its timestamps
# alone took a quarter of a big committee's neighbourhood read to hydrate in the driver.
BOOKKEEPING = sorted(term.name for term in RECORD_META)


def _edges(rows: list[dict[str, Any]]) -> list[GraphEdge]:
    return [GraphEdge(r["type"], r["start"], r["end"], native_tree(dict(r["props"]))) for r in rows]


async def neighborhood(
    driver: AsyncDriver,
    database: str,
    key: str,
    depth: int,
    selection: Selection,
    filters: Filters = Filters(),
) -> Subgraph | None:
    """Entities within `depth` hops (either direction) and every relationship among them, as
    far as `filters` let in (a path runs only through entities they admit)."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    params = cypher.Params()
    params.values.update({"key": key, "cap": NODE_CAP, **filters.params()})
    # Breadth first, one level at a time, each level capped: bounded work even around hubs.
    steps = [f"MATCH (s:{RESOURCE_LABEL} {{key: $key}}) WITH [s] AS seen0, false AS cut0"]
    for level in range(1, depth + 1):
        prev = level - 1
        steps.append(
            f"CALL (seen{prev}) {{ UNWIND seen{prev} AS x MATCH (x)-[r]-(y:{RESOURCE_LABEL}) "
            f"WHERE type(r) IN $types AND {_admitted('y')} RETURN collect(DISTINCT y) AS found }} "
            f"WITH seen{prev} + [y IN found WHERE NOT y IN seen{prev}] AS grown, cut{prev} "
            f"WITH grown[..$cap] AS seen{level}, cut{prev} OR size(grown) > $cap AS cut{level}"
        )
    query = (
        " ".join(steps) + f" WITH seen{depth} AS ns, cut{depth} AS truncated "
        f"RETURN [n IN ns | {cypher.projection('n', selection, params)}] AS nodes, "
        "COLLECT { UNWIND ns AS a MATCH (a)-[r]->(b) WHERE b IN ns AND type(r) IN $types "
        "RETURN {type: type(r), start: a.key, end: b.key, props: [k IN keys(r) WHERE NOT k IN $bookkeeping | [k, r[k]]]} } AS edges, truncated"
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
    filters: Filters = Filters(),
) -> list[Path]:
    """All shortest connections (ignoring direction) of at most `max_hops` relationships, over
    the relationship types `filters` keep and through the entities they admit (the two ends
    are always allowed)."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"maxHops must be between 1 and {MAX_HOPS}")
    params = cypher.Params()
    params.values.update({"start": start, "end": end, "limit": limit, **filters.params()})
    # Neo4j checks both predicates in its shortest-path search and, when that finds nothing,
    # falls back to an exhaustive one: a filter gets the shortest of the paths it allows.
    query = (
        f"MATCH (a:{RESOURCE_LABEL} {{key: $start}}), (b:{RESOURCE_LABEL} {{key: $end}}) "
        f"MATCH p = allShortestPaths((a)-[*..{int(max_hops)}]-(b)) "
        "WHERE all(r IN relationships(p) WHERE type(r) IN $types) "
        f"AND all(n IN nodes(p)[1..-1] WHERE {_admitted('n')}) "
        "WITH p LIMIT $limit "
        f"RETURN [n IN nodes(p) | {cypher.projection('n', selection, params)}] AS nodes, "
        "[r IN relationships(p) | {type: type(r), start: startNode(r).key, end: endNode(r).key, "
        "props: [k IN keys(r) WHERE NOT k IN $bookkeeping | [k, r[k]]]}] AS edges"
    )
    rows = await read(driver, database, query, params.values)
    return [Path(nodes=native_tree(r["nodes"]), edges=_edges(r["edges"])) for r in rows]
