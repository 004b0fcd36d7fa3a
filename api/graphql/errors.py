"""Expected failures as GraphQL errors with a machine-readable `extensions.code`."""

from __future__ import annotations

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
INTERNAL = "INTERNAL_SERVER_ERROR"
VALIDATION_FAILED = "VALIDATION_FAILED"
CONFLICT = "CONFLICT"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"

# Codes whose messages are written for clients; any other error is masked.
CLIENT_CODES = frozenset(
    {
        BAD_USER_INPUT,
        NOT_FOUND,
        QUERY_TOO_COMPLEX,
        SERVICE_UNAVAILABLE,
        "GRAPHQL_VALIDATION_FAILED",
        "VALIDATION_FAILED",
        "CONFLICT",
        "FORBIDDEN",
        "UNAUTHENTICATED",
    }
)


def api_error(message: str, code: str, **details: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **details})
