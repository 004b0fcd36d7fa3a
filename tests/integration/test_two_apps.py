"""Two apps built in one process each run their operations on their own schema, against the
real Neo4j: over HTTP (GraphQL) and through the web pages (which run GraphQL in-process)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from api.app import create_app
from config.settings import Settings
from graph.driver import AsyncDriver, Connection

QUERY = '{ committee(key: "sac-tc28") { key designation } }'


def _settings(connection: Connection) -> Settings:
    return Settings(
        _env_file=None,
        neo4j_uri=connection.uri,
        neo4j_user=connection.user,
        neo4j_password=connection.password,
        neo4j_database=connection.database,
    )


async def _answers(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mskg.test") as client:
        response = await client.post("/graphql", json={"query": QUERY})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        assert body["data"] == {"committee": {"key": "sac-tc28", "designation": "SAC/TC28"}}
        page = await client.get("/entity/sac-tc28")
        assert page.status_code == 200
        assert "SAC/TC28" in page.text


async def test_two_apps_in_one_process_share_no_schema(
    seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    settings = _settings(neo4j_connection)
    first, second = create_app(settings), create_app(settings)
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        first_schema = first.state.mskg.graphql_schema
        second_schema = second.state.mskg.graphql_schema
        assert first_schema is not second_schema
        assert first_schema.mapping is not second_schema.mapping
        first_committee = first_schema.get_type_by_name("Committee")
        second_committee = second_schema.get_type_by_name("Committee")
        assert first_committee is not None
        assert second_committee is not None
        assert first_committee is not second_committee
        await _answers(first)
        await _answers(second)
