"""Several API processes under uvicorn: each worker builds its app from the environment.

uvicorn starts workers as fresh processes that import an app factory by name, so the parent
hands them the connection it resolved (the local Neo4j's and Fuseki's passwords included) as
the same environment variables a user would set.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from config.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def environment(settings: Settings) -> dict[str, str]:
    """The variables under which `Settings()` in a worker reads the resolved connection."""
    env: dict[str, str] = {}
    if settings.neo4j_uri is not None:
        env["NEO4J_URI"] = settings.neo4j_uri
    env["NEO4J_USER"] = settings.neo4j_user
    env["NEO4J_DATABASE"] = settings.neo4j_database
    if settings.neo4j_password is not None:
        env["NEO4J_PASSWORD"] = settings.neo4j_password.get_secret_value()
    if settings.sparql_url is not None:
        env["MSKG_SPARQL_URL"] = settings.sparql_url
        env["MSKG_SPARQL_USER"] = settings.sparql_user
    if settings.sparql_password is not None:
        env["MSKG_SPARQL_PASSWORD"] = settings.sparql_password.get_secret_value()
    return env


def hand_over(settings: Settings) -> None:
    """Put the resolved connection where the workers' `Settings()` will find it."""
    os.environ.update(environment(settings))


def app() -> FastAPI:
    """The factory each worker process runs (`uvicorn … --factory`)."""
    from api.app import create_app

    return create_app(Settings())
