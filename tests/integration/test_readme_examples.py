"""Every ```graphql block in the README runs against the seed graph without errors and
returns data — so a reader can paste them into GraphiQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import GraphQLClient

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples_for_each_user_group() -> None:
    names = {re.search(r"query (\w+)", e).group(1) for e in EXAMPLES}  # type: ignore[union-attr]
    assert {"LiaisonOfficer", "Delegate", "Researcher", "Explore", "Filters"} <= names


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: re.search(r"query (\w+)", e).group(1))  # type: ignore[union-attr]
def test_readme_example_runs(gql: GraphQLClient, example: str) -> None:
    data = gql.data(example)
    assert data
    assert all(value not in (None, [], {}) for value in data.values()), data
