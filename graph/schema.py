"""Constraints and indexes derived from the ontology, applied idempotently (IF NOT EXISTS)."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncDriver

from graph import gap_scope
from graph.accounts import SCHEMA as ACCOUNT_SCHEMA
from graph.changes import SCHEMA as REVISION_SCHEMA
from graph.gateway import write
from graph.proposals import SCHEMA as PROPOSAL_SCHEMA
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import Datatype

FULLTEXT_INDEX = "resource_labels"
# Lucene's CJK analyzer indexes Han text as overlapping bigrams (so `区块链` is found inside a
# longer committee name) and Latin text as lower-cased words (so `blockchain` is found too).
FULLTEXT_ANALYZER = "cjk"


def searchable_fields() -> tuple[str, ...]:
    """Neo4j properties in the full-text index: every property declared `searchable`."""
    names: list[str] = []
    for cls in ONTOLOGY.classes:
        for prop in ONTOLOGY.class_properties(cls):
            if prop.searchable:
                names += [n for n in prop.storage_names() if n not in names]
    return tuple(names)


def schema_statements() -> tuple[str, ...]:
    """All schema statements MSKG needs, in the order they must run."""
    statements = [
        # Every resource node carries the shared label with a unique IRI (the neosemantics
        # convention) and a key unique across classes (keys name entities in URLs and files).
        f"CREATE CONSTRAINT resource_iri IF NOT EXISTS "
        f"FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE",
        f"CREATE CONSTRAINT resource_key IF NOT EXISTS "
        f"FOR (n:{RESOURCE_LABEL}) REQUIRE n.key IS UNIQUE",
        f"CREATE INDEX resource_updated IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) ON (n.updatedAt)",
    ]
    for cls in ONTOLOGY.classes:
        lower = cls.name.lower()
        statements.append(
            f"CREATE CONSTRAINT {lower}_key IF NOT EXISTS "
            f"FOR (n:{cls.name}) REQUIRE n.key IS UNIQUE"
        )
        for stored in cls.indexed_storage_names():
            statements.append(
                f"CREATE INDEX {lower}_{stored.lower()} IF NOT EXISTS "
                f"FOR (n:{cls.name}) ON (n.{stored})"
            )
        for a, b in cls.facet_pairs():
            statements.append(
                f"CREATE INDEX {lower}_{a.lower()}_{b.lower()} IF NOT EXISTS "
                f"FOR (n:{cls.name}) ON (n.{a}, n.{b})"
            )
    for rel in ONTOLOGY.relations:
        for prop in rel.properties:
            if prop.datatype is Datatype.ENUM:
                statements.append(
                    f"CREATE INDEX rel_{rel.type.lower()}_{prop.name.lower()} IF NOT EXISTS "
                    f"FOR ()-[r:{rel.type}]-() ON (r.{prop.name})"
                )
    statements += list(ACCOUNT_SCHEMA) + list(REVISION_SCHEMA) + list(PROPOSAL_SCHEMA)
    statements += list(gap_scope.SCOPE_SCHEMA)
    fields = ", ".join(f"n.{name}" for name in searchable_fields())
    statements.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) "
        f"ON EACH [{fields}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}"
    )
    return tuple(statements)


NAMES_LABEL = "MskgNames"


def token_statement() -> str:
    """One statement that makes Neo4j know every label, relationship type and property key the
    ontology names, by creating a node and relationships that carry them all and deleting them
    in the same transaction (a name, once known, stays known). Queries generated from the
    ontology ask for properties no entity has yet (`description_ar` in a graph with no Arabic
    text); without this each of them draws a warning that a name does not exist — hundreds per
    page on a fresh graph — and a real misspelling would drown in them. The names are the
    ontology's own identifiers, not input."""
    labels = sorted({RESOURCE_LABEL, *(c.name for c in ONTOLOGY.classes)})
    node_props = sorted(
        {
            n
            for c in ONTOLOGY.classes
            for p in ONTOLOGY.class_properties(c)
            for n in p.storage_names()
        }
    )
    rel_props = sorted(
        {
            n
            for r in ONTOLOGY.relations
            for p in ONTOLOGY.relation_properties(r)
            for n in p.storage_names()
        }
    )
    node_map = ", ".join(f"`{name}`: true" for name in node_props)
    rel_map = ", ".join(f"`{name}`: true" for name in rel_props)
    creates = " ".join(
        f"CREATE (t)-[:`{rel.type}` {{{rel_map}}}]->(t)" for rel in ONTOLOGY.relations
    )
    return (
        f"CREATE (t:{NAMES_LABEL}:{':'.join(labels)} {{{node_map}}}) {creates} "
        "WITH t DETACH DELETE t"
    )


async def apply_schema(
    driver: AsyncDriver, database: str, statements: Sequence[str] | None = None
) -> int:
    """Apply the schema statements; return how many ran. Safe to call on every start-up."""
    todo = schema_statements() if statements is None else tuple(statements)
    for statement in todo:
        # Schema commands cannot share a transaction with each other; each runs on its own.
        await write(driver, database, statement, bulk=True)
    await write(driver, database, "CALL db.awaitIndexes(300)", bulk=True)
    await write(driver, database, token_statement())
    await gap_scope.rebuild_if_unmarked(driver, database)
    return len(todo)
