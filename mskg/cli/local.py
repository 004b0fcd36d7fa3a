"""Settings ↔ the local Neo4j server."""

from __future__ import annotations

from pydantic import SecretStr

from mskg.settings import Settings
from neo4j_local.server import LocalNeo4j, ServerOptions


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        ServerOptions(
            home=settings.local_neo4j_home,
            bolt_port=settings.neo4j_bolt_port,
            heap=settings.neo4j_heap,
            pagecache=settings.neo4j_pagecache,
        )
    )


def with_connection(settings: Settings) -> Settings:
    """Settings whose NEO4J_* point at a server: the user's own, or else the local one."""
    if settings.neo4j_uri is not None:
        return settings
    server = local_server(settings)
    return settings.model_copy(
        update={
            "neo4j_uri": server.options.uri,
            "neo4j_user": "neo4j",
            "neo4j_password": SecretStr(server.password()),
        }
    )
