"""Bring MSKG's, the peer's and the raw driver's answers to one shape, and say how they differ.

The peer's answer differs from ours in form only, and each difference has one rule here:
- a relationship's properties come as `xConnection { edges { properties { … } node } }` (the
  query aliases it `xEdges`): flattened to `[{…properties, node}]`, our `xEdges` shape;
- relationships are lists (version 7 has no single relationships): a field that is single in the
  ontology (`partner`, `holder`, …) becomes its one element;
- lookups by key are lists filtered by key (`single_roots`), list roots are plain lists
  (`node_roots`, our connections' `nodes`), and a total comes from a second root field
  aliased `<root>_total`.
Then every answer is made canonical: keys whose value is null are dropped (an inline fragment
that does not apply leaves a key out in GraphQL and null in a map projection), scores are
rounded, and lists whose order is not part of the answer are sorted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ontology import ONTOLOGY

SINGLE_FIELDS = frozenset(
    name for rel in ONTOLOGY.relations if not rel.many for name in (rel.field,)
)


def from_peer(
    data: dict[str, Any], single_roots: Iterable[str], node_roots: Iterable[str]
) -> dict[str, Any]:
    """The peer's `data` in MSKG's shape."""
    out: dict[str, Any] = {}
    singles, nodes = set(single_roots), set(node_roots)
    for key, value in data.items():
        value = _peer_value(value)
        if key in singles:
            if not isinstance(value, list) or len(value) > 1:
                raise ValueError(f"{key}: the peer returned {value!r} for a lookup by key")
            value = value[0] if value else None
        elif key in nodes:
            value = {"nodes": value}
        out[key] = value
    for key in [k for k in out if k.endswith("_total")]:
        # `x_total: …Connection { totalCount }` beside `x: …` is our `x { totalCount nodes }`.
        total = out.pop(key)
        out[key.removesuffix("_total")]["totalCount"] = total["totalCount"]
    return out


def _peer_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_peer_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"edges"} and all(isinstance(e, dict) and "node" in e for e in value["edges"]):
        return [
            {
                **(edge.get("properties") or {}),
                **{k: v for k, v in edge.items() if k not in {"properties", "node", "cursor"}},
                "node": _peer_value(edge["node"]),
            }
            for edge in value["edges"]
        ]
    out = {}
    for key, item in value.items():
        item = _peer_value(item)
        if key in SINGLE_FIELDS and isinstance(item, list):
            if len(item) > 1:
                raise ValueError(f"{key}: {len(item)} related nodes where the ontology has one")
            item = item[0] if item else None
        out[key] = item
    return out


def canonical(value: Any, ordered: frozenset[str], path: str = "") -> Any:
    """`value` with nulls dropped, floats rounded and unordered lists sorted."""
    if isinstance(value, dict):
        return {
            k: canonical(v, ordered, f"{path}.{k}" if path else k)
            for k, v in sorted(value.items())
            if v is not None
        }
    if isinstance(value, list):
        items = [canonical(v, ordered, path) for v in value]
        if path in ordered:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, date | datetime):  # the raw driver's dates; GraphQL sends ISO text
        return value.isoformat()
    return value


def differences(expected: Any, actual: Any, path: str = "", limit: int = 10) -> list[str]:
    """Where `actual` differs from `expected`, as readable lines (at most `limit`)."""
    found: list[str] = []
    _diff(expected, actual, path or "data", found, limit)
    return found


def _diff(a: Any, b: Any, path: str, found: list[str], limit: int) -> None:
    if len(found) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                found.append(f"{path}.{key}: missing (expected {_short(a[key])})")
            elif key not in a:
                found.append(f"{path}.{key}: unexpected {_short(b[key])}")
            else:
                _diff(a[key], b[key], f"{path}.{key}", found, limit)
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            found.append(f"{path}: {len(b)} items, expected {len(a)}")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{path}[{i}]", found, limit)
        return
    if a != b:
        found.append(f"{path}: {_short(b)}, expected {_short(a)}")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "…"
