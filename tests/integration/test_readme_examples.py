"""Every ```graphql block in the README runs against the seed graph without errors and
returns data — so a reader can paste them into GraphiQL. Mutations run as an editor."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, GraphQLClient

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _name(example: str) -> str:
    found = re.search(r"(?:query|mutation) (\w+)", example)
    assert found is not None, example
    return found.group(1)


@pytest.fixture(scope="module")
async def editor_token(seeded_db: AsyncDriver, neo4j_connection: Connection) -> str:
    _, token = await create_account(
        seeded_db, neo4j_connection.database, f"readme-{uuid.uuid4().hex[:6]}", "editor"
    )
    return token


def test_the_readme_has_examples_for_each_user_group() -> None:
    assert {
        "LiaisonOfficer",
        "Delegate",
        "Researcher",
        "Explore",
        "Filters",
        "NewLiaison",
        "Rename",
    } <= {_name(e) for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_readme_example_runs(
    gql: GraphQLClient, api: ApiProcess, editor_token: str, example: str
) -> None:
    if example.lstrip().startswith("mutation"):
        with httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {editor_token}"},
        ) as client:
            data = GraphQLClient(client).data(example)
    else:
        data = gql.data(example)
    assert data
    assert all(value not in (None, [], {}) for value in data.values()), data
