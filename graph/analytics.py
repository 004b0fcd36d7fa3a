"""Aggregations and the delegates' gap analysis — one Cypher statement each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from neo4j import AsyncDriver

from graph import compile as cypher
from graph import tallies
from graph.gap_scope import CATALOGUE_SOURCE_PREFIX, SCOPE_LABEL, in_scope
from graph.gateway import MapMaker, as_dict, read
from graph.selection import Filter, Selection
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import ClassDef, Datatype
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
    cls = ONTOLOGY.cls(class_name)
    label = cls.name
    tallied = _tallied_grouping(cls, flt, dims)
    if tallied is not None:
        tally, with_facet, facet_first = tallied
        query = tallies.counts_statement(tally, with_facet, facet_first, MAX_GROUPS)
        rows = await read(
            driver,
            database,
            query,
            {"tally": tally.name, "declared": tallies.declared_names()},
            make_map=as_dict,
        )
        if rows:  # none when the cells are not current: counted below instead
            return [Group(v, labs, c) for v, labs, c in rows[0]["groups"]]
    indexed = _indexed_grouping(cls, flt, dims)
    if indexed is not None:
        query = _indexed_counts(label, indexed, cls.facets)
        rows = await read(driver, database, query, {}, make_map=as_dict)
        return [Group(v, labs, c) for v, labs, c in rows[0]["groups"]]
    params = cypher.Params()
    matches, grouped, values, labels = [], [], [], []
    for i, dim in enumerate(dims):
        if dim.rel_type is not None:
            rel = ONTOLOGY.relation(dim.rel_type).type
            arrow = f"-[:{rel}]->" if dim.direction == "out" else f"<-[:{rel}]-"
            # No label on the far end: relationships of declared types join resources only,
            # and a label test per row costs ~15 % of grouping 20k standards by a relationship.
            matches.append(f"OPTIONAL MATCH (n){arrow}(d{i})")
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
    # A filter naming a related entity's key starts from that entity (as lists do): the
    # editions of one committee are counted from the committee, not from 180k editions.
    matched = cypher.matching(f"(n:{label})", "TRUE", flt, params)
    # Counting rows spares Neo4j a set of every node it grouped (~25 % of grouping 20k
    # standards by two properties). It counts each entity once even when a relationship
    # dimension expands it: the related node is part of the group, and writes MERGE
    # relationships, so no two rows of a group share both `n` and every `d`.
    counted = "count(*)"
    # Grouping on the values alone (not on maps of labels) and naming the groups after the
    # limit keeps the aggregation as small as Neo4j can make it. Ties are broken by the values
    # in order, as lists compare.
    # One row holding every group: the driver's cost is per record, and 500 records cost more
    # than the aggregation itself.
    query = (
        f"RETURN COLLECT {{ {matched} "
        + " ".join(matches)
        + f" WITH {', '.join(grouped)}, {counted} AS c "
        f"ORDER BY c DESC, {', '.join(values)} LIMIT {MAX_GROUPS} "
        f"RETURN [[{', '.join(values)}], [{', '.join(labels)}], c] }} AS groups"
    )
    rows = await read(driver, database, query, params.values, make_map=as_dict)
    return [Group(v, labs, c) for v, labs, c in rows[0]["groups"]]


def _tallied_grouping(
    cls: ClassDef, flt: Filter | None, dims: list[Dimension]
) -> tuple[tallies.Tally, bool, bool] | None:
    """The tally holding these counts — with whether the grouping has its facet, and names it
    first — or None. Unfiltered groupings by a relationship, alone or with the facet it is
    tallied with, are read from the cells graph.tallies keeps."""
    if flt is not None or not 1 <= len(dims) <= 2:
        return None
    rels = [d for d in dims if d.rel_type is not None and d.direction == "out"]
    props = [d.prop for d in dims if d.prop is not None]
    if len(rels) != 1 or len(rels) + len(props) != len(dims):
        return None
    assert rels[0].rel_type is not None
    rel_type = ONTOLOGY.relation(rels[0].rel_type).type
    tally = tallies.find(cls.name, rel_type, props[0] if props else None)
    if tally is None:
        return None
    return tally, bool(props), dims[0].prop is not None


def _indexed_grouping(cls: ClassDef, flt: Filter | None, dims: list[Dimension]) -> list[str] | None:
    """The stored properties to count from indexes, or None when the counts need a scan.

    Unfiltered counts by one range-indexed property, or by two facets (which share a composite
    index), are worked out from index scans and the label count, never reading a node.
    """
    if flt is not None or not 1 <= len(dims) <= 2 or any(d.prop is None for d in dims):
        return None
    names = [d.prop for d in dims if d.prop is not None]
    try:
        props = [cls.prop(name) for name in names]
    except KeyError:  # a common property (none of them is indexed per class)
        return None
    if not all(p.indexed and not p.many and p.datatype is not Datatype.TEXT for p in props):
        return None
    if len(names) == 2 and not {tuple(names), tuple(reversed(names))} & set(cls.facet_pairs()):
        return None
    return [cypher.stored_property(name) for name in names]


def _indexed_counts(label: str, props: list[str], facets: tuple[str, ...]) -> str:
    """One statement counting `label` nodes per value combination of `props` from indexes.

    An index holds only the nodes where all its properties are set, so the groups with a null
    are the differences: (a, null) is the count of a less every (a, b), (null, null) what no
    single-property index holds. Ordered and cut as the scanning statement orders and cuts.
    The indexes are named in hints: on a small or fresh graph the planner may otherwise read
    the second property from every node the first index holds.
    """
    scans = [f"CALL () {{ MATCH (n:{label}) RETURN count(*) AS total }}"]
    for i, prop in enumerate(props):
        scans.append(
            f"CALL () {{ MATCH (n:{label}) USING INDEX n:{label}({prop}) WHERE n.{prop} IS NOT NULL "
            f"WITH n.{prop} AS v, count(*) AS c RETURN collect([v, c]) AS s{i} }}"
        )
    if len(props) == 1:
        groups = "s0 + [[null, total - reduce(t = 0, g IN s0 | t + g[1])]]"
        width = 1
    else:
        a, b = props
        # The facets' composite index is declared in one order; either serves both orders.
        pair = ", ".join(sorted(props, key=facets.index))
        scans.append(
            f"CALL () {{ MATCH (n:{label}) USING INDEX n:{label}({pair}) "
            f"WHERE n.{a} IS NOT NULL AND n.{b} IS NOT NULL "
            f"WITH n.{a} AS v0, n.{b} AS v1, count(*) AS c RETURN collect([v0, v1, c]) AS both }}"
        )
        total_of = "reduce(t = 0, g IN {list} | t + g[{at}])"
        groups = (
            "both"
            " + [f IN s0 | [f[0], null, f[1] - reduce(t = 0, g IN both | "
            "t + CASE WHEN g[0] = f[0] THEN g[2] ELSE 0 END)]]"
            " + [f IN s1 | [null, f[0], f[1] - reduce(t = 0, g IN both | "
            "t + CASE WHEN g[1] = f[0] THEN g[2] ELSE 0 END)]]"
            f" + [[null, null, total - {total_of.format(list='s0', at=1)} "
            f"- {total_of.format(list='s1', at=1)} + {total_of.format(list='both', at=2)}]]"
        )
        width = 2
    count = f"g[{width}]"
    names = ", ".join(f"v{i}" for i in range(width))
    return (
        " ".join(scans) + f" RETURN COLLECT {{ UNWIND {groups} AS g WITH g WHERE {count} > 0 "
        f"WITH {', '.join(f'g[{i}] AS v{i}' for i in range(width))}, {count} AS c "
        f"ORDER BY c DESC, {names} LIMIT {MAX_GROUPS} "
        f"RETURN [[{names}], [{', '.join(['null'] * width)}], c] }} AS groups"
    )


GapDirection = Literal["international_without_domestic", "domestic_without_international"]
GapScope = Literal["relevant", "all"]


def _domestic(var: str) -> str:
    # coalesce: a null kind must count as "not domestic", not as unknown (NOT null is null).
    return (
        f"(coalesce({var}.standardKind IN $domesticKinds, false) "
        f"OR coalesce({var}.projectKind IN $domesticProjects, false))"
    )


@dataclass(frozen=True)
class Narrowing:
    """What delegates narrow the mapping and the gap lists by: a concept area (the concept and
    every narrower one, by ABOUT), a body (the committee or organization and every one below
    it, by DEVELOPED_BY), an ICS class (and its subclasses, by CLASSIFIED_AS) and a stage (a
    harmonized stage code, or its first two digits for the whole stage)."""

    concept: str | None = None
    committee: str | None = None
    ics: str | None = None  # the ICS class's concept key
    stage: str | None = None

    def parameters(self) -> dict[str, Any]:
        return asdict(self)

    def sets(self) -> str:
        """Subqueries collecting the nodes each filter admits — the named concept, body or class
        and everything below it (so an empty set means the key is unknown) — and `known`."""
        return (
            "CALL () { OPTIONAL MATCH (:Concept {key: $concept})<-[:BROADER*0..6]-(a:Concept) "
            "RETURN collect(DISTINCT a) AS area } "
            f"CALL () {{ OPTIONAL MATCH (b:{RESOURCE_LABEL} {{key: $committee}}) "
            "WHERE b:Committee OR b:Organization "
            "OPTIONAL MATCH (b)<-[:SUB_ORGANIZATION_OF*0..4]-(body) "
            "RETURN collect(DISTINCT body) AS bodies } "
            "CALL () { OPTIONAL MATCH (:Concept {key: $ics})<-[:BROADER*0..3]-(cls:Concept) "
            "RETURN collect(DISTINCT cls) AS classes } "
            "WITH area, bodies, classes, [$concept IS NULL OR size(area) > 0, "
            "$committee IS NULL OR size(bodies) > 0, $ics IS NULL OR size(classes) > 0] AS known "
        )

    def condition(self, var: str, start: str | None = None) -> list[str]:
        """The predicates `var` must meet, one per filter given, but the filter whose set the
        candidates were drawn from (`start`: "concept", "committee" or "ics")."""
        out = []
        if self.concept is not None and start != "concept":
            out.append(f"EXISTS {{ MATCH ({var})-[:ABOUT]->(t) WHERE t IN area }}")
        if self.committee is not None and start != "committee":
            out.append(f"EXISTS {{ MATCH ({var})-[:DEVELOPED_BY]->(t) WHERE t IN bodies }}")
        if self.ics is not None and start != "ics":
            out.append(f"EXISTS {{ MATCH ({var})-[:CLASSIFIED_AS]->(t) WHERE t IN classes }}")
        if self.stage is not None:
            out.append(f"coalesce({var}.stageCode STARTS WITH $stage, false)")
        return out


class UnknownKeyError(LookupError):
    """A narrowing names a concept, body or ICS class the graph does not hold."""

    def __init__(self, argument: str, key: str) -> None:
        super().__init__(f"no {argument} with key {key!r}")
        self.argument = argument
        self.key = key


KEYED_FILTERS = ("concept", "committee", "ics")  # the order of `known` in Narrowing.sets


def _check_known(narrowing: Narrowing, known: list[bool]) -> None:
    for argument, ok in zip(KEYED_FILTERS, known, strict=True):
        if not ok:
            key = getattr(narrowing, argument)
            raise UnknownKeyError(argument, key)


async def gaps(
    driver: AsyncDriver,
    database: str,
    direction: GapDirection,
    narrowing: Narrowing,
    selection: Selection,
    limit: int,
    scope: GapScope = "relevant",
    make_map: MapMaker = as_dict,
    after: str | None = None,
) -> list[Any]:
    """Standards and work items on one side with no adoption link to the other side, in key
    order, from the key after `after`.

    `narrowing` keeps the items in its concept area, of its body, in its ICS class and at its
    stage; `UnknownKeyError` when it names a key the graph does not hold. `scope` "relevant"
    leaves out catalogue items no relevance rule or editor linked to a concept (the bulk of an
    imported catalogue); "all" keeps them.
    """
    params = cypher.Params()
    params.values.update(
        {
            **narrowing.parameters(),
            "domesticKinds": sorted(DOMESTIC_STANDARD_KINDS),
            "domesticProjects": sorted(DOMESTIC_PROJECT_KINDS),
            "limit": limit,
            "after": after,
            "catalogueSource": CATALOGUE_SOURCE_PREFIX,
        }
    )
    if direction == "international_without_domestic":
        side = f"NOT {_domestic('n')}"
        # A work counts as adopted when one of its editions is (a domestic standard adopts a
        # dated edition: ISO 22739:2020, not ISO 22739); a later edition is still a gap.
        missing = f"NOT EXISTS {{ MATCH (n)<-[:EDITION_OF*0..1]-()<-[:ADOPTS]-(d) WHERE {_domestic('d')} }}"
    else:
        side = _domestic("n")
        missing = f"NOT EXISTS {{ MATCH (n)-[:ADOPTS]->(i) WHERE NOT {_domestic('i')} }}"
    # Each case starts from the smallest indexed set that holds every answer, so a gap list
    # does not read the whole catalogue (180k editions) to find a few dozen items.
    scoped = f" AND {in_scope('n')}" if scope == "relevant" else ""
    later = " AND n.key > $after" if after is not None else ""
    # The candidates are drawn from the first set a filter names (see the cases below).
    start = next((f for f in KEYED_FILTERS if getattr(narrowing, f) is not None), None)
    narrowed = "".join(f" AND {c}" for c in narrowing.condition("n", start))
    if start == "concept":
        # Items about a concept are in the relevant scope by definition (they have an ABOUT).
        candidates = (
            "UNWIND area AS a MATCH (a)<-[:ABOUT]-(n) WHERE (n:Standard OR n:WorkItem)"
            f"{later} WITH DISTINCT n "
            f"WITH n WHERE {side} AND {missing}{narrowed}"
        )
    elif start is not None:
        # A body's or a class's items: from the body (or class) down, never the whole catalogue.
        drawn, rel = (
            ("bodies", "DEVELOPED_BY") if start == "committee" else ("classes", "CLASSIFIED_AS")
        )
        candidates = (
            f"UNWIND {drawn} AS s MATCH (s)<-[:{rel}]-(n) WHERE (n:Standard OR n:WorkItem)"
            f"{later} WITH DISTINCT n "
            f"WITH n WHERE {side} AND {missing}{scoped}{narrowed}"
        )
    elif direction == "domestic_without_international":
        candidates = (
            "CALL () { MATCH (n:Standard) WHERE n.standardKind IN $domesticKinds RETURN n "
            "UNION MATCH (n:WorkItem) WHERE n.projectKind IN $domesticProjects RETURN n } "
            f"WITH n WHERE {missing}{scoped}{narrowed}{later}"
        )
    elif scope == "relevant":
        # The items in scope are marked (graph.gap_scope): walk the marks in key order (their
        # key index) and stop at the limit-th gap. On the catalogues that is ~800 marks, not
        # 180k items; where nearly every item is in scope, the walk stops as early as before.
        mark_after = " AND m.item > $after" if after is not None else ""
        candidates = (
            f"MATCH (m:{SCOPE_LABEL}) WHERE m.item IS NOT NULL{mark_after} "
            f"WITH m ORDER BY m.item MATCH (n:{RESOURCE_LABEL} {{key: m.item}}) "
            f"CALL (n) {{ RETURN {side} AND {missing}{narrowed} AS gap }} "
            # Limited in the marks' order, which the planner knows (it does not know that
            # n.key is m.item): the sort below then orders a page, not every mark.
            "WITH n, m WHERE gap WITH n ORDER BY m.item LIMIT $limit"
        )
    else:
        # International items are nearly the whole catalogue: walk them in key order (the key
        # index) and stop at the limit-th gap instead of sorting every match. The rest stands
        # in a subquery, which the planner does not reorder before the walk (inline, it looked
        # for the adoptions of every item walked: 2.4x slower on the catalogues).
        candidates = (
            f"MATCH (n:{RESOURCE_LABEL}) WHERE n.key IS NOT NULL{later} "
            f"CALL (n) {{ RETURN (n:Standard OR n:WorkItem) AND {side} AND {missing}{narrowed} AS gap }} "
            "WITH n WHERE gap"
        )
    query = (
        narrowing.sets() + f"CALL (area, bodies, classes) {{ {candidates} "
        f"WITH n ORDER BY n.key LIMIT $limit WITH {cypher.projection('n', selection, params)} AS item "
        "RETURN collect(item) AS items } RETURN known, items"
    )
    rows = await read(driver, database, query, params.values, make_map=make_map)
    _check_known(narrowing, rows[0]["known"])
    items: list[Any] = rows[0]["items"]
    return items


@dataclass(frozen=True)
class AdoptionPage:
    total: int
    rows: list[dict[str, Any]]  # {domestic, international, degree}


async def adoption_map(
    driver: AsyncDriver,
    database: str,
    narrowing: Narrowing,
    domestic: Selection,
    international: Selection,
    limit: int,
    offset: int = 0,
    make_map: MapMaker = as_dict,
) -> AdoptionPage:
    """Domestic items and the international ones they adopt, one row per adoption, ordered by
    the domestic designation; a row is kept when either side meets each filter of
    `narrowing` (a domestic project in SAC/TC 28 adopting a JTC 1/SC 24 standard is in both
    committees' maps). Also the number of rows in all."""
    params = cypher.Params()
    params.values.update({**narrowing.parameters(), "limit": limit, "offset": offset})
    either = [
        f"({a} OR {b})"
        for a, b in zip(narrowing.condition("d"), narrowing.condition("i"), strict=True)
    ]
    where = f"WHERE {' AND '.join(either)} " if either else ""
    match = f"MATCH (d)-[a:ADOPTS]->(i) {where}"
    query = (
        narrowing.sets() + f"CALL (area, bodies, classes) {{ {match}RETURN count(*) AS total }} "
        f"CALL (area, bodies, classes) {{ {match}"
        "WITH d, a, i ORDER BY coalesce(d.designation, d.key), d.key, i.key "
        "SKIP $offset LIMIT $limit "
        f"WITH {{domestic: {cypher.projection('d', domestic, params)}, "
        f"international: {cypher.projection('i', international, params)}, degree: a.degree}} AS row "
        "RETURN collect(row) AS rows } RETURN known, total, rows"
    )
    found = await read(driver, database, query, params.values, make_map=make_map)
    _check_known(narrowing, found[0]["known"])
    return AdoptionPage(found[0]["total"], found[0]["rows"])
