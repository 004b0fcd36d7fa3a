"""Errors of the graph layer. One root, so callers can catch the layer as a whole::

GraphError
 ├── GraphUnavailableError   Neo4j cannot be reached, is failing fast, or refuses the credentials
 ├── QueryTimeoutError       a statement ran past its transaction timeout (Neo4j stopped it)
 ├── NotFoundError           no node with the given key
 ├── ConflictError           optimistic-concurrency check failed
 ├── IntegrityError          a write would break a uniqueness or shape rule
 └── IncompatibleServerError the Neo4j server is older than MSKG's statements need
"""

from __future__ import annotations


class GraphError(Exception):
    """Root of the graph layer's errors."""


class GraphUnavailableError(GraphError):
    """Neo4j is not reachable, not ready, or rejected our credentials.

    `retry_after`: seconds after which a retry may succeed (the gateway's fail-fast window)."""

    def __init__(self, message: str, hint: str, retry_after: float = 2.0) -> None:
        super().__init__(message)
        self.hint = hint
        self.retry_after = retry_after


class QueryTimeoutError(GraphError):
    """Neo4j stopped a statement that ran past its transaction timeout. Not an outage: the
    same request will time out again; it has to ask for less."""

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


class IncompatibleServerError(GraphError):
    """The Neo4j server lacks Cypher that MSKG's statements use; `hint` says what to run."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint
