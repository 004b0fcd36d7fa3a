"""The document cache skips parsing and validation of a repeated text, and nothing else: limits
(which read the variables) and the sign-in check for mutations run on every request; invalid or
rejected documents are never stored. Operations here need no resolver that reaches Neo4j."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from graphql import parse

from api.graphql.document_cache import DocumentCache
from api.graphql.mapping import MappedSchema
from api.graphql.schema import build_schema
from ontology import ONTOLOGY

COSTLY = """query($n: Int!) {
  committees(first: $n) {
    nodes { children(first: $n) { ... on Committee { children(first: $n) { key } } } }
  }
}"""


@pytest.fixture
def schema() -> MappedSchema:
    return build_schema(ONTOLOGY, document_cache_size=8)


def codes(result: Any) -> list[str | None]:
    return [(e.extensions or {}).get("code") for e in result.errors or []]


async def test_a_repeated_text_is_parsed_and_validated_once(schema: MappedSchema) -> None:
    cache = schema.document_cache
    first = await schema.execute("{ __typename }")
    second = await schema.execute("{ __typename }")
    assert first.errors is None
    assert second.errors is None
    assert first.data == second.data == {"__typename": "Query"}
    assert len(cache) == 1
    assert (cache.hits, cache.misses) == (1, 1)
    # Another text (even one differing only in white space) is another entry.
    await schema.execute("{  __typename }")
    assert len(cache) == 2


async def test_an_invalid_document_is_never_stored(schema: MappedSchema) -> None:
    for _ in range(2):
        result = await schema.execute("{ noSuchField }")
        assert codes(result) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "noSuchField" in result.errors[0].message  # type: ignore[index]
        result = await schema.execute("{ __typename ")
        assert codes(result) == ["GRAPHQL_VALIDATION_FAILED"]
    assert len(schema.document_cache) == 0
    assert schema.document_cache.hits == 0


async def test_limits_run_on_a_cached_document(schema: MappedSchema) -> None:
    # Small `first`: limits pass and validation passes, so the document is stored (the
    # resolvers then fail for want of a database, which does not matter here).
    await schema.execute(COSTLY, variable_values={"n": 2})
    assert len(schema.document_cache) == 1
    too_costly = await schema.execute(COSTLY, variable_values={"n": 100})
    assert schema.document_cache.hits == 1
    assert codes(too_costly) == ["QUERY_TOO_COMPLEX"]
    assert too_costly.errors[0].extensions["limit"] == "cost"  # type: ignore[index]
    bad_first = await schema.execute(COSTLY, variable_values={"n": 101})
    assert schema.document_cache.hits == 2
    assert "BAD_USER_INPUT" in codes(bad_first)


async def test_a_document_over_a_limit_is_not_stored(schema: MappedSchema) -> None:
    inner = "key"
    for _ in range(9):
        inner = f"parents(first: 1) {{ ... on Committee {{ key {inner} }} }}"
    deep = f'{{ committee(key: "x") {{ key {inner} }} }}'
    for _ in range(2):
        result = await schema.execute(deep)
        assert codes(result) == ["QUERY_TOO_COMPLEX"]
        assert result.errors[0].extensions["limit"] == "depth"  # type: ignore[index]
    assert len(schema.document_cache) == 0


async def test_sign_in_is_checked_on_a_cached_mutation(schema: MappedSchema) -> None:
    signed_in = SimpleNamespace(user=object())
    anonymous = SimpleNamespace(user=None)
    assert (await schema.execute("mutation { __typename }", context_value=signed_in)).errors is None
    assert len(schema.document_cache) == 1
    refused = await schema.execute("mutation { __typename }", context_value=anonymous)
    assert schema.document_cache.hits == 1
    assert codes(refused) == ["UNAUTHENTICATED"]
    assert refused.data is None


async def test_an_anonymous_mutation_is_refused_and_not_stored(schema: MappedSchema) -> None:
    anonymous = SimpleNamespace(user=None)
    for _ in range(2):
        refused = await schema.execute("mutation { __typename }", context_value=anonymous)
        assert codes(refused) == ["UNAUTHENTICATED"]
    assert len(schema.document_cache) == 0


def test_the_least_recently_used_entry_goes_first() -> None:
    cache = DocumentCache(size=2)
    options: tuple[tuple[str, object], ...] = ()
    for text in ("{ a }", "{ b }"):
        cache.put((text, options), parse(text))
    assert cache.get(("{ a }", options)) is not None  # "{ b }" is now the oldest
    cache.put(("{ c }", options), parse("{ c }"))
    assert len(cache) == 2
    assert cache.get(("{ b }", options)) is None
    assert cache.get(("{ a }", options)) is not None
    assert cache.get(("{ c }", options)) is not None


def test_size_zero_keeps_nothing() -> None:
    cache = DocumentCache(size=0)
    cache.put(("{ a }", ()), parse("{ a }"))
    assert len(cache) == 0


def test_two_schemas_share_no_documents() -> None:
    assert build_schema(ONTOLOGY).document_cache is not build_schema(ONTOLOGY).document_cache
