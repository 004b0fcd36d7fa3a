"""Fields computed in Cypher rather than stored: the liaison officer's "last and next
communication" on a liaison, and whether a statement is overdue.

Each is declared once here — its class, name, result, description and Cypher. The API derives
the GraphQL field from the entry (`api/graphql/types.py`), and `graph.compile` writes the
entry's Cypher into the projection of a node that selects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

# (the node's variable, a fresh variable, the projection of the target entity) → an expression
CypherFor = Callable[[str, str, str], str]


@dataclass(frozen=True)
class ComputedField:
    """A read-only field of the nodes of class `owner`, computed when selected."""

    owner: str
    name: str
    description: str
    returns: Literal["entity", "date", "int", "bool"]
    cypher: CypherFor
    target_class: str | None = None  # the class of an "entity" result (projected like any node)
    optional: bool = False  # may be null


def _last_exchange(var: str, s: str, target: str) -> str:
    return (
        f"head(COLLECT {{ MATCH ({var})<-[:STATEMENT_OF]-({s}:LiaisonStatement) "
        f"WHERE {s}.issued IS NOT NULL WITH {s} ORDER BY {s}.issued DESC, {s}.key LIMIT 1 "
        f"RETURN {target} }})"
    )


def _next_deadline(var: str, s: str, _target: str) -> str:
    return (
        f"head(COLLECT {{ MATCH ({var})<-[:STATEMENT_OF]-({s}:LiaisonStatement) "
        f"WHERE {s}.replyStatus = 'AWAITING' AND {s}.deadline IS NOT NULL "
        f"WITH {s} ORDER BY {s}.deadline LIMIT 1 RETURN {s}.deadline }})"
    )


def _statement_count(var: str, _s: str, _target: str) -> str:
    return f"COUNT {{ MATCH ({var})<-[:STATEMENT_OF]-(:LiaisonStatement) }}"


def _overdue(var: str, _s: str, _target: str) -> str:
    return f"coalesce({var}.replyStatus = 'AWAITING' AND {var}.deadline < date(), false)"


COMPUTED: tuple[ComputedField, ...] = (
    ComputedField(
        "Liaison",
        "lastExchange",
        "The most recent liaison statement of this liaison (by issue date).",
        "entity",
        _last_exchange,
        target_class="LiaisonStatement",
        optional=True,
    ),
    ComputedField(
        "Liaison",
        "nextDeadline",
        "The earliest reply deadline among its statements awaiting a reply.",
        "date",
        _next_deadline,
        optional=True,
    ),
    ComputedField(
        "Liaison",
        "statementCount",
        "How many liaison statements belong to this liaison.",
        "int",
        _statement_count,
    ),
    ComputedField(
        "LiaisonStatement",
        "overdue",
        "Awaiting action and past its deadline (today, on the database server).",
        "bool",
        _overdue,
    ),
)


def computed_fields(class_name: str) -> tuple[ComputedField, ...]:
    """The computed fields of the nodes of `class_name`, in their declared order."""
    return tuple(c for c in COMPUTED if c.owner == class_name)


def computed_field(name: str) -> ComputedField | None:
    """The computed field called `name`, or None."""
    return next((c for c in COMPUTED if c.name == name), None)
