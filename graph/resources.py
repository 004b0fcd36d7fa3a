"""Resource nodes addressed by IRI: the lowest-level read and write used by every aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import AsyncDriver

from graph.errors import NotFoundError
from ontology import RESOURCE_LABEL

_MERGE = f"""
MERGE (n:{RESOURCE_LABEL} {{iri: $iri}})
SET n += $props
RETURN properties(n) AS props
"""

_GET = f"MATCH (n:{RESOURCE_LABEL} {{iri: $iri}}) RETURN properties(n) AS props"


async def upsert_resource(
    driver: AsyncDriver, database: str, iri: str, props: Mapping[str, Any]
) -> dict[str, Any]:
    """Create or update the resource with this IRI; return its stored properties."""
    records, _, _ = await driver.execute_query(
        _MERGE, parameters_={"iri": iri, "props": dict(props)}, database_=database
    )
    return dict(records[0]["props"])


async def get_resource(driver: AsyncDriver, database: str, iri: str) -> dict[str, Any]:
    """The stored properties of the resource with this IRI, or NotFoundError."""
    records, _, _ = await driver.execute_query(
        _GET, parameters_={"iri": iri}, database_=database, routing_="r"
    )
    if not records:
        raise NotFoundError(f"no resource with IRI {iri}")
    return dict(records[0]["props"])
