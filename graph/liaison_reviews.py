"""Liaisons due for review: ISO and IEC review each liaison at least every two years, so a
liaison officer needs the active liaisons whose review date has come, most overdue first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import AsyncDriver

from graph import compile as cypher
from graph.computed import review_due
from graph.gateway import read
from graph.records import native_tree
from graph.selection import Selection


async def due_for_review(
    driver: AsyncDriver,
    database: str,
    committee: str | None,
    as_of: dt.date | None,
    selection: Selection,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Active liaisons (held by or with `committee`, or all) whose next review is due on or
    before `as_of` (default: today on the database server), earliest due first."""
    p = cypher.Params()
    p.values.update({"committee": committee, "asOf": as_of, "limit": limit})
    query = (
        "MATCH (liaison:Liaison) WHERE coalesce(liaison.liaisonStatus, 'ACTIVE') = 'ACTIVE' "
        "AND ($committee IS NULL OR EXISTS { MATCH (liaison)-[:LIAISON_OF|LIAISON_WITH]->"
        "(:Resource {key: $committee}) }) "
        f"WITH liaison, {review_due('liaison')} AS due WHERE due <= coalesce($asOf, date()) "
        "WITH liaison, due ORDER BY due, liaison.key LIMIT $limit "
        f"RETURN {cypher.projection('liaison', selection, p)} AS item"
    )
    rows = await read(driver, database, query, p.values)
    return [native_tree(r["item"]) for r in rows]
