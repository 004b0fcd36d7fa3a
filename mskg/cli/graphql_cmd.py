"""`mskg graphql-schema`: print the GraphQL schema (SDL)."""

from __future__ import annotations


def print_schema() -> None:
    """Print the GraphQL schema in SDL (e.g. for client code generators)."""
    from api.graphql.schema import build_schema
    from ontology import ONTOLOGY

    print(build_schema(ONTOLOGY).as_str())
