"""Counts per (related entity, facet value) kept up to date by every write.

Grouping standards by the committee that developed them and their stage has to read the
DEVELOPED_BY relationships of every standard: no index holds a (developer, stage) pair, and on the
catalogues (180k editions) that scan took 270 ms. The ontology declares such groupings as a
class's `tallies` (relationship type, facet); for each, every node of the class is counted in
one cell per related entity (or in the "none" cell) and facet value, so the grouping reads the
cells — a few thousand on the catalogues — instead of the editions.

A cell is a `TallyCell {id, tally, a, b}` node (`a` the related entity's key, `b` the facet value,
absent for "none"); each counted node has a `Tallied {item}` node (`item` its key) linked to
its cells by `COUNTED_IN`, so a cell's count is its number of incoming links, which Neo4j keeps
per node, and keeping the cells up to date is idempotent: a node's links are replaced by what it
has now. Neither label is a resource's, so no query of the graph finds them. They are kept like
the gap scope's marks (graph.gap_scope): from the keys each revision touched, in the write's own
transaction (`refresh`, from `write_revision` and the replay), rebuilt by a restore and by
`apply_schema` when the declaration changed (a `TallyState` node holds the one they were built
for). A grouping reads them only when that node says they are current; otherwise it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import AsyncDriver

from graph.gateway import Tx, read, transaction, write
from ontology import ONTOLOGY, RESOURCE_LABEL

ITEM_LABEL = "Tallied"
CELL_LABEL = "TallyCell"
STATE_LABEL = "TallyState"
COUNTED_IN = "COUNTED_IN"

SCHEMA = (
    f"CREATE CONSTRAINT tallied_item IF NOT EXISTS FOR (t:{ITEM_LABEL}) REQUIRE t.item IS UNIQUE",
    f"CREATE CONSTRAINT tally_cell_id IF NOT EXISTS FOR (c:{CELL_LABEL}) REQUIRE c.id IS UNIQUE",
    f"CREATE INDEX tally_cell_tally IF NOT EXISTS FOR (c:{CELL_LABEL}) ON (c.tally)",
    f"CREATE CONSTRAINT tally_state_name IF NOT EXISTS "
    f"FOR (s:{STATE_LABEL}) REQUIRE s.name IS UNIQUE",
)


@dataclass(frozen=True)
class Tally:
    """One declared tally: `class_name` nodes counted per `rel_type` end and `facet` value."""

    class_name: str
    rel_type: str
    facet: str

    @property
    def name(self) -> str:
        return f"{self.class_name}|{self.rel_type}|{self.facet}"


def declared() -> list[Tally]:
    """Every tally the ontology declares, in declaration order."""
    return [Tally(c.name, r, f) for c in ONTOLOGY.classes for r, f in c.tallies]


def declared_names() -> list[str]:
    return [t.name for t in declared()]


def find(class_name: str, rel_type: str, facet: str | None) -> Tally | None:
    """The tally that counts `class_name` nodes by `rel_type` (and `facet`), if one is declared.
    Without a facet, any tally of that relationship holds the counts (summed over the facet)."""
    for tally in declared():
        if (
            tally.class_name == class_name
            and tally.rel_type == rel_type
            and (facet is None or tally.facet == facet)
        ):
            return tally
    return None


def _part(value: str) -> str:
    # Length-prefixed, so no two (a, b) pairs give the same id whatever their text holds.
    return (
        f"CASE WHEN {value} IS NULL THEN '-' "
        f"ELSE toString(size(toString({value}))) + ':' + toString({value}) END"
    )


def _class_cells(var: str, tallies: list[Tally]) -> str:
    parts = []
    for t in tallies:
        rel = ONTOLOGY.relation(t.rel_type).type
        ends = (
            f"CASE WHEN EXISTS {{ ({var})-[:{rel}]->() }} "
            f"THEN [({var})-[:{rel}]->(x) | x.key] ELSE [null] END"
        )
        parts.append(f"[a IN {ends} | {{tally: '{t.name}', a: a, b: {var}.{t.facet}}}]")
    return " + ".join(parts)


def _cells(var: str) -> str:
    """The cells the node `var` (possibly null) is counted in, as maps {tally, a, b, id}."""
    by_class: dict[str, list[Tally]] = {}
    for t in declared():
        by_class.setdefault(t.class_name, []).append(t)
    branches = " ".join(
        f"WHEN {var}:{name} THEN {_class_cells(var, tallies)}" for name, tallies in by_class.items()
    )
    raw = f"CASE WHEN {var} IS NULL THEN [] {branches} ELSE [] END" if by_class else "[]"
    return f"[c IN {raw} | c {{.*, id: c.tally + '|' + {_part('c.a')} + '|' + {_part('c.b')}}}]"


def _counted_labels() -> str:
    return "|".join(dict.fromkeys(t.class_name for t in declared())) or RESOURCE_LABEL


def _recount(source: str) -> str:
    """A statement replacing the links of each node `n` (key `k`; `n` null when no entity has
    the key any more) that `source` yields by the cells it belongs in now.

    Links are replaced only when the cells changed (a catalogue re-import touches every edition
    and changes none), and the `Tallied` node is kept: deleting and creating again thousands of
    nodes with the same unique key in one transaction made Neo4j check each against the other
    (1.9–2.6 s for a catalogue batch of 5,000 editions, against 0.2 s)."""
    return f"""
{source}
WITH k, {_cells("n")} AS cells
OPTIONAL MATCH (t:{ITEM_LABEL} {{item: k}})
WITH k, t, cells, CASE WHEN t IS NULL THEN [] ELSE [(t)-[:{COUNTED_IN}]->(c) | c.id] END AS old
WHERE NOT (size(old) = size(cells) AND all(c IN cells WHERE c.id IN old))
CALL (t, cells) {{
  WITH t, cells WHERE t IS NOT NULL
  OPTIONAL MATCH (t)-[r:{COUNTED_IN}]->()
  DELETE r
  WITH DISTINCT t, cells WHERE size(cells) = 0
  DELETE t
}}
CALL (k, cells) {{
  WITH k, cells WHERE size(cells) > 0
  MERGE (t:{ITEM_LABEL} {{item: k}})
  WITH t, cells
  UNWIND cells AS cell
  MERGE (c:{CELL_LABEL} {{id: cell.id}}) ON CREATE SET c.tally = cell.tally, c.a = cell.a, c.b = cell.b
  CREATE (t)-[:{COUNTED_IN}]->(c)
}}
"""


# The node's write lock is taken first (as graph.gap_scope does, and for the same reason: a link
# to a committee with many of them does not lock the standard), so two writes decide a node's
# cells one after the other.
_REFRESH = _recount(
    f"""UNWIND $keys AS k
OPTIONAL MATCH (n:{RESOURCE_LABEL} {{key: k}})
CALL (n) {{
  WITH n WHERE n:{_counted_labels()}
  SET n.key = n.key
}}"""
)

_MARK_CURRENT = f"MERGE (s:{STATE_LABEL} {{name: 'tallies'}}) SET s.declared = $declared"

# A rebuild corrects what differs (every node's links are compared, as a write's are) rather
# than starting again: on the catalogues (180k editions) one that finds nothing to change takes
# 3.5 s and writes nothing.
_REBUILD = (
    # Cells of a tally no longer declared, and the nodes of entities gone or not counted.
    f"MATCH (c:{CELL_LABEL}) WHERE NOT c.tally IN $declared DETACH DELETE c",
    f"MATCH (t:{ITEM_LABEL}) WHERE NOT EXISTS {{ MATCH (n:{_counted_labels()} {{key: t.item}}) }} "
    "DETACH DELETE t",
    _recount(f"MATCH (n:{_counted_labels()}) WHERE n.key IS NOT NULL WITH n.key AS k, n"),
    f"MATCH (c:{CELL_LABEL}) WHERE NOT EXISTS {{ (c)<-[:{COUNTED_IN}]-() }} DELETE c",
    _MARK_CURRENT,
)


async def refresh(tx: Tx, keys: Sequence[str]) -> None:
    """Count the entities with these keys in the cells they belong in now (a key no entity has
    any more is counted nowhere)."""
    if keys and declared():
        await tx.run(_REFRESH, {"keys": sorted(set(keys))})


async def rebuild_in(tx: Tx) -> None:
    """Every cell anew, in the caller's transaction (a restore's)."""
    for statement in _REBUILD:
        await tx.run(statement, {"declared": declared_names()})


async def rebuild(driver: AsyncDriver, database: str) -> None:
    """Every cell anew, in one transaction."""
    await transaction(driver, database, rebuild_in, bulk=True)


async def mark_current(driver: AsyncDriver, database: str) -> None:
    """Record that the cells are current (for an empty database: there is nothing to count)."""
    await write(driver, database, _MARK_CURRENT, {"declared": declared_names()})


async def rebuild_if_stale(driver: AsyncDriver, database: str) -> bool:
    """Rebuild when the cells were built for another declaration, or never (a database from
    before them); return whether it did."""
    rows = await read(
        driver,
        database,
        f"OPTIONAL MATCH (s:{STATE_LABEL} {{name: 'tallies'}}) RETURN s.declared AS declared",
    )
    if rows and rows[0]["declared"] == declared_names():
        return False
    await rebuild(driver, database)
    return True


def counts_statement(tally: Tally, with_facet: bool, facet_first: bool, limit: int) -> str:
    """One statement reading the groups of `tally` as `counts` returns them (values, labels,
    count; largest first, ties by the values in order), or no row when the cells are not current
    (the caller counts instead). `with_facet` False sums each related entity's cells."""
    a = "v1" if facet_first else "v0"
    b = "v0" if facet_first else "v1"
    if with_facet:
        grouped = f"c.a AS {a}, c.b AS {b}, COUNT {{ (c)<-[:{COUNTED_IN}]-() }} AS n"
        names = "v0, v1"
        labels = "[null, label]" if facet_first else "[label, null]"
    else:
        grouped = f"c.a AS v0, sum(COUNT {{ (c)<-[:{COUNTED_IN}]-() }}) AS n"
        names = "v0"
        labels = "[label]"
    related = "v1" if with_facet and facet_first else "v0"
    return (
        f"OPTIONAL MATCH (s:{STATE_LABEL} {{name: 'tallies'}}) WITH s WHERE s.declared = $declared "
        "RETURN COLLECT { "
        f"MATCH (c:{CELL_LABEL} {{tally: $tally}}) WITH {grouped} "
        f"WITH {names}, n WHERE n > 0 ORDER BY n DESC, {names} LIMIT {limit} "
        f"OPTIONAL MATCH (d:{RESOURCE_LABEL} {{key: {related}}}) "
        "WITH *, CASE WHEN d IS NOT NULL THEN {zh: d.prefLabel_zh, en: d.prefLabel_en} END AS label "
        f"ORDER BY n DESC, {names} "
        f"RETURN [[{names}], {labels}, n] }} AS groups"
    )
