"""`mskg graphql-schema`: print the GraphQL schema (SDL)."""

from __future__ import annotations


def print_schema() -> None:
    """Print the GraphQL schema in SDL (e.g. for client code generators)."""
    from api.graphql.schema import schema

    print(schema.as_str())
