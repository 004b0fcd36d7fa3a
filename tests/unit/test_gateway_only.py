"""Every Neo4j call in graph/ goes through graph/gateway.py (which maps failures, applies the
transaction timeout, bounds the wait during an outage and counts round trips). This fails when
another module calls the driver directly or gets hold of a raw session or transaction."""

from __future__ import annotations

import ast
from pathlib import Path

GRAPH = Path(__file__).resolve().parents[2] / "graph"
GATEWAY = "gateway.py"
# Methods that open sessions or transactions, or run Cypher outside one of the gateway's.
DRIVER_CALLS = frozenset(
    {
        "session",
        "execute_query",
        "execute_read",
        "execute_write",
        "begin_transaction",
        "verify_connectivity",
        "get_server_info",
    }
)
# What other graph modules may import from the driver: the driver type (to pass it on), its
# factory (graph/driver.py builds the driver) and exception classes (to recognise them).
ALLOWED_NEO4J_NAMES = frozenset({"AsyncDriver", "AsyncGraphDatabase"})


def violations(source: str) -> list[str]:
    """What in this module's source bypasses the gateway (empty when nothing does)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DRIVER_CALLS
        ):
            found.append(f"line {node.lineno}: calls .{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "neo4j":
            if node.module == "neo4j.exceptions":
                continue
            for alias in node.names:
                if alias.name not in ALLOWED_NEO4J_NAMES:
                    found.append(f"line {node.lineno}: imports {alias.name} from {node.module}")
        if isinstance(node, ast.Import) and any(a.name.startswith("neo4j") for a in node.names):
            found.append(f"line {node.lineno}: imports the neo4j package whole")
    return found


def test_no_module_but_the_gateway_calls_the_driver() -> None:
    modules = sorted(p for p in GRAPH.glob("*.py") if p.name != GATEWAY)
    assert len(modules) > 15  # the check runs over the real package
    problems = {
        p.name: found for p in modules if (found := violations(p.read_text(encoding="utf-8")))
    }
    assert problems == {}, f"call Neo4j through graph.gateway instead: {problems}"


def test_the_check_catches_direct_calls() -> None:
    direct = """
from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ConstraintError

async def f(driver: AsyncDriver) -> None:
    await driver.execute_query("RETURN 1")
    async with driver.session(database="neo4j") as session:
        await session.execute_write(lambda tx: tx.run("RETURN 1"))
"""
    found = violations(direct)
    assert any("AsyncManagedTransaction" in f for f in found)
    assert any(".execute_query()" in f for f in found)
    assert any(".session()" in f for f in found)
    assert any(".execute_write()" in f for f in found)
    assert (
        violations("from neo4j import AsyncDriver\nfrom neo4j.exceptions import ConstraintError\n")
        == []
    )
