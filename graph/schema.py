"""Constraints and indexes derived from the ontology, applied idempotently (IF NOT EXISTS)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from neo4j import AsyncDriver

from graph import derived
from graph.accounts import SCHEMA as ACCOUNT_SCHEMA
from graph.changes import SCHEMA as REVISION_SCHEMA
from graph.errors import IncompatibleServerError
from graph.gateway import read, write
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
    statements += list(derived.SCHEMA)
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


# Writes set labels and relationship types from parameters (graph.upserts), which Cypher has
# from Neo4j 5.26 on; an older server would refuse every import with a syntax error.
MIN_SERVER_VERSION = (5, 26)


def version_problem(version: str) -> str | None:
    """Why a server reporting `version` cannot run MSKG, or None. Versions after the 5.x line
    are numbered by year (2025.01 …) and are newer; a version that does not parse (a cloud
    service's own name) is left to the statements themselves."""
    found = re.match(r"(\d+)\.(\d+)", version)
    if found is None:
        return None
    if (int(found[1]), int(found[2])) >= MIN_SERVER_VERSION:
        return None
    need = ".".join(map(str, MIN_SERVER_VERSION))
    return f"Neo4j {version} is older than {need}, which MSKG needs."


async def server_version(driver: AsyncDriver, database: str) -> str | None:
    """The version the Neo4j server reports (None if it reports none)."""
    rows = await read(
        driver,
        database,
        "CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' "
        "RETURN versions[0] AS version",
    )
    return str(rows[0]["version"]) if rows else None


async def check_server_version(driver: AsyncDriver, database: str) -> None:
    """Raise IncompatibleServerError when the server is too old for MSKG's statements."""
    version = await server_version(driver, database)
    problem = version_problem(version) if version is not None else None
    if problem is not None:
        raise IncompatibleServerError(
            problem,
            "Point NEO4J_URI at Neo4j 5.26 or later (docker-compose.yml and `mskg neo4j start` "
            "run 5.26 LTS), or upgrade the server.",
        )


async def apply_schema(
    driver: AsyncDriver, database: str, statements: Sequence[str] | None = None
) -> int:
    """Apply the schema statements; return how many ran. Safe to call on every start-up.
    Raises IncompatibleServerError first when the server is too old."""
    await check_server_version(driver, database)
    todo = schema_statements() if statements is None else tuple(statements)
    for statement in todo:
        # Schema commands cannot share a transaction with each other; each runs on its own.
        await write(driver, database, statement, bulk=True)
    await write(driver, database, "CALL db.awaitIndexes(300)", bulk=True)
    await write(driver, database, token_statement())
    await derived.rebuild_if_needed(driver, database)
    return len(todo)
