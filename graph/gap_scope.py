"""The delegates' relevant scope, kept where an index sees it.

A relevant gap list leaves out the items only published catalogues describe (every source is a
catalogue's) that no relevance rule or editor linked to a concept. On the real catalogues that is
~99 % of the international items, and no index answers "has a source that is not a catalogue's"
or "is about a concept": the list walked every item (180k) to find fifty, 111–132 ms a page.

So each standard or work item in scope has a `GapScope {item}` node (`item` is its key, unique;
not `key`, which a match of any node by key must not find), linked to nothing, and the
international list walks those in key order. They are derived data, like the
SPARQL store: kept from the revision log in the same transaction as every write that could move
an item in or out — the entities and link ends of each revision (`refresh`, from
`write_revision` and the replay), a restore (`rebuild`) — and rebuilt by `apply_schema` for a
database written before they existed. A write made with Cypher outside MSKG, which the revision
log does not see either, is not reflected until `rebuild` runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncDriver

from graph.gateway import Tx, read, transaction
from ontology import RESOURCE_LABEL

SCOPE_LABEL = "GapScope"

SCOPE_SCHEMA = (
    f"CREATE CONSTRAINT gap_scope_item IF NOT EXISTS FOR (m:{SCOPE_LABEL}) REQUIRE m.item IS UNIQUE",
)

# The sources of published catalogues are `src-relaton-iso` …: an item all of whose sources
# start so is described by catalogues alone.
CATALOGUE_SOURCE_PREFIX = "src-relaton-"


def in_scope(var: str) -> str:
    """Whether the item `var` is in the relevant scope (`$catalogueSource` is the prefix above).

    ABOUT ends at a Concept by the ontology (every write checks a relationship's range), so the
    test needs no far node: Neo4j answers it from the node's relationship counts."""
    return (
        f"(NOT (size(coalesce({var}.sources, [])) > 0 AND all(s IN {var}.sources WHERE s STARTS WITH "
        f"$catalogueSource)) OR EXISTS {{ ({var})-[:ABOUT]->() }})"
    )


def _marked(var: str) -> str:
    return f"({var}:Standard OR {var}:WorkItem) AND {in_scope(var)}"


# A write to a relationship of an item with many of them (a "dense" node, 50 and more) does
# not lock the item, so two writes could each decide its mark from their own view: one removing
# its last link to a concept, the other adding one, and the item left unmarked. Setting a
# property (to its own value: nothing changes) takes the item's write lock before the decision,
# so the second decides after the first has committed. Keys are sorted first, so writes lock items
# in one order; a deadlock with other locks is retried like any contention.
_REFRESH = f"""
UNWIND $keys AS k
OPTIONAL MATCH (n:{RESOURCE_LABEL} {{key: k}})
CALL (n) {{
  WITH n WHERE n:Standard OR n:WorkItem
  SET n.key = n.key
}}
WITH k, CASE WHEN n IS NULL THEN false ELSE {_marked("n")} END AS wanted
CALL (k, wanted) {{
  WITH k WHERE wanted
  MERGE (:{SCOPE_LABEL} {{item: k}})
}}
CALL (k, wanted) {{
  WITH k WHERE NOT wanted
  OPTIONAL MATCH (m:{SCOPE_LABEL} {{item: k}})
  DELETE m
}}
"""

_REBUILD = (
    f"MATCH (m:{SCOPE_LABEL}) DELETE m",
    # MERGE: every API process applies the schema at start-up, so two may rebuild at once.
    f"MATCH (n:{RESOURCE_LABEL}) WHERE n.key IS NOT NULL AND {_marked('n')} "
    f"MERGE (:{SCOPE_LABEL} {{item: n.key}})",
)


async def refresh(tx: Tx, keys: Sequence[str]) -> None:
    """Mark or unmark the entities with these keys (a key no entity has any more is unmarked)."""
    if keys:
        await tx.run(
            _REFRESH, {"keys": sorted(set(keys)), "catalogueSource": CATALOGUE_SOURCE_PREFIX}
        )


async def rebuild_in(tx: Tx) -> None:
    """Every mark anew, in the caller's transaction (a restore's)."""
    for statement in _REBUILD:
        await tx.run(statement, {"catalogueSource": CATALOGUE_SOURCE_PREFIX})


async def rebuild(driver: AsyncDriver, database: str) -> None:
    """Every mark anew, in one transaction."""
    await transaction(driver, database, rebuild_in, bulk=True)


async def rebuild_if_unmarked(driver: AsyncDriver, database: str) -> bool:
    """Rebuild when items are in scope but none is marked (a database from before the marks);
    return whether it did."""
    rows = await read(
        driver,
        database,
        f"RETURN NOT EXISTS {{ MATCH (:{SCOPE_LABEL}) }} AND EXISTS {{ MATCH (n:{RESOURCE_LABEL}) "
        f"WHERE {_marked('n')} }} AS missing",
        {"catalogueSource": CATALOGUE_SOURCE_PREFIX},
        bulk=True,
    )
    if not rows[0]["missing"]:
        return False
    await rebuild(driver, database)
    return True
