"""Aggregations and the delegates' gap analysis — one Cypher statement each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.catalogue import CATALOGUE_SOURCE_PREFIX
from graph.gateway import MapMaker, as_dict, read
from graph.selection import Filter, Selection
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.vocab import DOMESTIC_PROJECT_KINDS, DOMESTIC_STANDARD_KINDS

MAX_GROUPS = 500


@dataclass(frozen=True)
class Dimension:
    """Group by a stored property (`prop`) or by the entity at the end of a relationship."""

    prop: str | None = None
    rel_type: str | None = None
    direction: Literal["out", "in"] = "out"


@dataclass(frozen=True)
class Group:
    values: list[Any]
    labels: list[dict[str, Any] | None]  # {zh, en} of related entities, None for properties
    count: int


async def counts(
    driver: AsyncDriver, database: str, class_name: str, flt: Filter | None, dims: list[Dimension]
) -> list[Group]:
    """How many `class_name` entities per combination of dimension values, largest first."""
    label = ONTOLOGY.cls(class_name).name
    params = cypher.Params()
    matches, grouped, values, labels = [], [], [], []
    for i, dim in enumerate(dims):
        if dim.rel_type is not None:
            rel = ONTOLOGY.relation(dim.rel_type).type
            arrow = f"-[:{rel}]->" if dim.direction == "out" else f"<-[:{rel}]-"
            matches.append(f"OPTIONAL MATCH (n){arrow}(d{i}:{RESOURCE_LABEL})")
            # Grouped by the related node itself: its key and labels are read after the limit,
            # for the groups kept, straight from the node (keys are unique, so the groups are
            # the same as by key).
            grouped.append(f"d{i}")
            values.append(f"d{i}.key")
            labels.append(
                f"CASE WHEN d{i} IS NOT NULL THEN {{zh: d{i}.prefLabel_zh, en: d{i}.prefLabel_en}} END"
            )
        else:
            assert dim.prop is not None
            grouped.append(f"n.{cypher.stored_property(dim.prop)} AS v{i}")
            values.append(f"v{i}")
            labels.append("null")
    condition = cypher.where("n", flt, params)
    # Each entity is one row unless a relationship dimension expands it: counting rows then
    # spares Neo4j a set of every node it grouped (~25 % of grouping 20k standards by two
    # properties).
    counted = "count(DISTINCT n)" if matches else "count(*)"
    # Grouping on the values alone (not on maps of labels) and naming the groups after the
    # limit keeps the aggregation as small as Neo4j can make it. Ties are broken by the values
    # in order, as lists compare.
    # One row holding every group: the driver's cost is per record, and 500 records cost more
    # than the aggregation itself.
    query = (
        f"RETURN COLLECT {{ MATCH (n:{label}) WHERE {condition} "
        + " ".join(matches)
        + f" WITH {', '.join(grouped)}, {counted} AS c "
        f"ORDER BY c DESC, {', '.join(values)} LIMIT {MAX_GROUPS} "
        f"RETURN [[{', '.join(values)}], [{', '.join(labels)}], c] }} AS groups"
    )
    rows = await read(driver, database, query, params.values, make_map=as_dict)
    return [Group(v, labs, c) for v, labs, c in rows[0]["groups"]]


GapDirection = Literal["international_without_domestic", "domestic_without_international"]
GapScope = Literal["relevant", "all"]

# Items taken only from a published catalogue (every source is a catalogue's) are in the
# delegates' default scope only when a relevance rule or an editor linked them to a concept.


def _in_scope(var: str) -> str:
    return (
        f"(NOT (size(coalesce({var}.sources, [])) > 0 AND all(s IN {var}.sources WHERE s STARTS WITH "
        f"$catalogueSource)) OR EXISTS {{ MATCH ({var})-[:ABOUT]->(:Concept) }})"
    )


def _domestic(var: str) -> str:
    # coalesce: a null kind must count as "not domestic", not as unknown (NOT null is null).
    return (
        f"(coalesce({var}.standardKind IN $domesticKinds, false) "
        f"OR coalesce({var}.projectKind IN $domesticProjects, false))"
    )


async def gaps(
    driver: AsyncDriver,
    database: str,
    direction: GapDirection,
    concept: str | None,
    selection: Selection,
    limit: int,
    scope: GapScope = "relevant",
    make_map: MapMaker = as_dict,
) -> list[Any] | None:
    """Standards and work items on one side with no adoption link to the other side.

    `concept` narrows to items about that concept or any narrower one; None when there is no
    such concept. `scope` "relevant" leaves out catalogue items no relevance rule or editor
    linked to a concept (the bulk of an imported catalogue); "all" keeps them.
    """
    params = cypher.Params()
    params.values.update(
        {
            "concept": concept,
            "domesticKinds": sorted(DOMESTIC_STANDARD_KINDS),
            "domesticProjects": sorted(DOMESTIC_PROJECT_KINDS),
            "limit": limit,
            "catalogueSource": CATALOGUE_SOURCE_PREFIX,
        }
    )
    if direction == "international_without_domestic":
        side = f"NOT {_domestic('n')}"
        missing = f"NOT EXISTS {{ MATCH (n)<-[:ADOPTS]-(d) WHERE {_domestic('d')} }}"
    else:
        side = _domestic("n")
        missing = f"NOT EXISTS {{ MATCH (n)-[:ADOPTS]->(i) WHERE NOT {_domestic('i')} }}"
    # Each case starts from the smallest indexed set that holds every answer, so a gap list
    # does not read the whole catalogue (180k editions) to find a few dozen items.
    scoped = f" AND {_in_scope('n')}" if scope == "relevant" else ""
    if concept is not None:
        # Items about a concept are in the relevant scope by definition (they have an ABOUT).
        candidates = (
            f"MATCH (:Concept {{key: $concept}})<-[:BROADER*0..6]-(:Concept)<-[:ABOUT]-(n:{RESOURCE_LABEL}) "
            "WHERE n:Standard OR n:WorkItem WITH DISTINCT n "
            f"WITH n WHERE {side} AND {missing}"
        )
    elif direction == "domestic_without_international":
        candidates = (
            "CALL () { MATCH (n:Standard) WHERE n.standardKind IN $domesticKinds RETURN n "
            "UNION MATCH (n:WorkItem) WHERE n.projectKind IN $domesticProjects RETURN n } "
            f"WITH n WHERE {missing}{scoped}"
        )
    else:
        # International items are nearly the whole catalogue: walk them in key order (the key
        # index) and stop at the limit-th gap instead of sorting every match.
        candidates = (
            f"MATCH (n:{RESOURCE_LABEL}) WHERE n.key IS NOT NULL AND (n:Standard OR n:WorkItem) "
            f"AND {side} AND {missing}{scoped}"
        )
    query = (
        "CALL () { OPTIONAL MATCH (c:Concept {key: $concept}) "
        "RETURN $concept IS NULL OR c IS NOT NULL AS known } "
        f"CALL () {{ {candidates} "
        f"WITH n ORDER BY n.key LIMIT $limit WITH {cypher.projection('n', selection, params)} AS item "
        "RETURN collect(item) AS items } RETURN known, items"
    )
    rows = await read(driver, database, query, params.values, make_map=make_map)
    if not rows[0]["known"]:
        return None
    items: list[Any] = rows[0]["items"]
    return items
