"""Errors of the graph layer. One root, so callers can catch the layer as a whole::

GraphError
 ├── GraphUnavailableError   Neo4j cannot be reached or refuses the credentials
 ├── NotFoundError           no node with the given key
 ├── ConflictError           optimistic-concurrency check failed
 └── IntegrityError          a write would break a uniqueness or shape rule
"""

from __future__ import annotations


class GraphError(Exception):
    """Root of the graph layer's errors."""


class GraphUnavailableError(GraphError):
    """Neo4j is not reachable, not ready, or rejected our credentials."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class NotFoundError(GraphError):
    """The addressed node does not exist."""


class ConflictError(GraphError):
    """The entity changed since the caller read it (or a key is already taken)."""

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class IntegrityError(GraphError):
    """A write would violate a constraint."""
