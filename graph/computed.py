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


# ISO and IEC committees review all their liaison arrangements at least every two years (the
# Directives); other bodies' agreements have no such rule, so only an explicit date counts.
TWO_YEAR_REVIEW = ("ISO_IEC_A", "ISO_IEC_B", "ISO_IEC_C", "INTERNAL")


def review_due(var: str) -> str:
    """When a liaison's next review is due: its own reviewDue, else (for ISO/IEC categories) two
    years after its last review or after it was established; null when none is known."""
    categories = ", ".join(f"'{c}'" for c in TWO_YEAR_REVIEW)
    return (
        f"coalesce({var}.reviewDue, CASE WHEN {var}.category IN [{categories}] THEN "
        f"coalesce({var}.lastReviewed, date({var}.since)) + duration('P2Y') END)"
    )


def _review_due(var: str, _s: str, _target: str) -> str:
    return review_due(var)


def _review_overdue(var: str, _s: str, _target: str) -> str:
    return (
        f"coalesce(coalesce({var}.liaisonStatus, 'ACTIVE') = 'ACTIVE' "
        f"AND {review_due(var)} < date(), false)"
    )


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
        "Liaison",
        "nextReview",
        "When the next review is due: reviewDue, else for ISO/IEC liaisons (A, B, C, internal) "
        "two years after lastReviewed, else after since.",
        "date",
        _review_due,
        optional=True,
    ),
    ComputedField(
        "Liaison",
        "reviewOverdue",
        "Active and its next review is past (today, on the database server).",
        "bool",
        _review_overdue,
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
