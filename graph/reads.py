"""Entity reads for the API: by key, by IRI, and pages — each one Cypher round trip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.gateway import MapMaker, as_dict, read
from graph.selection import Filter, Order, Selection

# Each read below returns maps made by `make_map` (dicts by default), with Python's temporal
# values (graph.gateway.tree).


async def fetch_by_keys(
    driver: AsyncDriver,
    database: str,
    keys: list[str],
    selection: Selection,
    make_map: MapMaker = as_dict,
) -> dict[str, Any]:
    """Projected entities by key (missing keys are absent from the result)."""
    params = cypher.Params()
    query = cypher.by_keys(keys, selection, params)
    rows = await read(driver, database, query, params.values, make_map=make_map)
    return {row["item"]["key"]: row["item"] for row in rows}


async def fetch_by_iri(
    driver: AsyncDriver, database: str, iri: str, selection: Selection, make_map: MapMaker = as_dict
) -> Any:
    params = cypher.Params()
    query = cypher.by_iris([iri], selection, params)
    rows = await read(driver, database, query, params.values, make_map=make_map)
    return rows[0]["item"] if rows else None


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int | None


async def fetch_page(
    driver: AsyncDriver,
    database: str,
    classes: tuple[str, ...],
    flt: Filter | None,
    order: tuple[Order, ...],
    skip: int,
    limit: int,
    selection: Selection,
    with_total: bool,
    make_map: MapMaker = as_dict,
) -> Page:
    """`limit` nodes after `skip` in `order`, projected; the total only when asked."""
    params = cypher.Params()
    query = cypher.page(classes, flt, order, skip, limit, selection, with_total, params)
    rows = await read(driver, database, query, params.values, make_map=make_map)
    row = rows[0]
    return Page(items=row["items"], total=row["total"])
