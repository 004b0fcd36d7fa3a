"""Expected failures as GraphQL errors with a machine-readable `extensions.code`."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import GraphQLError

from graph.errors import GraphUnavailableError, QueryTimeoutError
from graph.gateway import retry_after_seconds

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
QUERY_TIMEOUT = "QUERY_TIMEOUT"
INTERNAL = "INTERNAL_SERVER_ERROR"
VALIDATION_FAILED = "VALIDATION_FAILED"
CONFLICT = "CONFLICT"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"
FEED_ENDED = "FEED_ENDED"

# Codes whose messages are written for clients; any other error is masked.
CLIENT_CODES = frozenset(
    {
        BAD_USER_INPUT,
        NOT_FOUND,
        QUERY_TOO_COMPLEX,
        SERVICE_UNAVAILABLE,
        QUERY_TIMEOUT,
        "GRAPHQL_VALIDATION_FAILED",
        "VALIDATION_FAILED",
        "CONFLICT",
        "FORBIDDEN",
        "UNAUTHENTICATED",
        FEED_ENDED,
    }
)


def api_error(message: str, code: str, **details: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **details})


def graph_error(exc: BaseException | None) -> GraphQLError | None:
    """The one mapping of the graph layer's outages and timeouts to GraphQL errors (None for
    anything else). Resolvers may call it; the ErrorCodes extension applies it to whatever
    they let through."""
    if isinstance(exc, GraphUnavailableError):
        return unavailable_error(exc)
    if isinstance(exc, QueryTimeoutError):
        return api_error(f"{exc} — {exc.hint}", QUERY_TIMEOUT, hint=exc.hint)
    return None


def unavailable_error(exc: GraphUnavailableError) -> GraphQLError:
    return api_error(
        f"{exc} — {exc.hint}",
        SERVICE_UNAVAILABLE,
        hint=exc.hint,
        retryAfter=retry_after_seconds(exc),
    )


def retry_after(errors: Iterable[GraphQLError]) -> int | None:
    """The Retry-After (seconds) a response carrying these errors should send, if any."""
    waits = [
        int(e.extensions["retryAfter"])
        for e in errors
        if e.extensions
        and e.extensions.get("code") == SERVICE_UNAVAILABLE
        and isinstance(e.extensions.get("retryAfter"), int)
    ]
    return max(waits) if waits else None
