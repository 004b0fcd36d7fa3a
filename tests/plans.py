"""Reading Neo4j's EXPLAIN and PROFILE plans in tests."""

from __future__ import annotations

from typing import Any


def plan_operators(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operator of a plan (as the driver gives it), the root first, depth first."""
    found = [plan]
    for child in plan.get("children", []):
        found += plan_operators(child)
    return found


def operator_name(operator: dict[str, Any]) -> str:
    """The operator's type without its runtime suffix ("NodeIndexScan@neo4j" → "NodeIndexScan")."""
    return str(operator.get("operatorType", "")).split("@")[0]


def operator_details(operator: dict[str, Any]) -> str:
    """What the plan says the operator does, e.g. the index it reads."""
    return str(operator.get("args", {}).get("Details", ""))
