"""A bounded fuzz run against the real API process and the real Neo4j: GraphQL (every query and
mutation field, positive and negative), every route in /openapi.json, and raw bodies to /graphql
and /sparql — as an anonymous client and as an editor, whose mutations write to this module's
own seed load. No response may be a 5xx, no GraphQL error may be INTERNAL_SERVER_ERROR or lack a
code, every 4xx must have a JSON body. The cases are the same on every run (fixed seeds); a
failure prints each distinct signature with a curl command that reproduces it.

The large run (≥ 10,000 cases, with figures) is `make fuzz` (bench/fuzz.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import ApiProcess
from tests.fuzz.campaign import Arm, Campaign, Identity, Tally, arms

# Cases per arm, about 600 in all: well under two minutes on two cores as long as no generated
# query runs for long (today some `…Counts(groupBy:)` queries run into Neo4j's memory limit).
BUDGET = {
    "graphql-positive-anonymous": 250,
    "graphql-negative-anonymous": 50,
    "graphql-positive-editor": 150,
    "openapi-positive-anonymous": 40,
    "openapi-negative-anonymous": 40,
    "openapi-positive-editor": 30,
    "raw-any-anonymous": 60,
    "raw-any-editor": 30,
}
ANONYMOUS = Identity("anonymous")


@pytest.fixture(scope="module")
async def editor(seeded_db: AsyncDriver, neo4j_connection: Connection) -> Identity:
    """An editor account in this module's seed load (the next module's load removes it)."""
    name = f"fuzz-{uuid.uuid4().hex[:6]}-editor"
    _, token = await create_account(seeded_db, neo4j_connection.database, name, "editor")
    return Identity("editor", token)


@pytest.fixture(scope="module")
def campaign(api: ApiProcess, editor: Identity) -> Campaign:
    return Campaign(api.base_url, Path(api.log.name))


@pytest.mark.parametrize("key", list(BUDGET))
def test_no_request_gets_a_server_error(
    key: str, campaign: Campaign, editor: Identity, api: ApiProcess
) -> None:
    arm: Arm = next(arms(ANONYMOUS, editor, {key: BUDGET[key]}))
    campaign.tally = Tally()
    campaign.run(arm)
    tally = campaign.tally
    assert tally.total >= BUDGET[key] // 2, f"only {tally.total} cases were generated"
    assert api.process.poll() is None, f"the API process exited; see {api.log.name}"
    if tally.failures:
        pytest.fail(tally.report(), pytrace=False)
