"""Settings ↔ the local Neo4j and Fuseki servers."""

from __future__ import annotations

from dataclasses import replace

from pydantic import SecretStr

from config.settings import Settings
from neo4j_local.server import LocalNeo4j, ServerOptions
from sparql_local.server import USER as FUSEKI_USER
from sparql_local.server import FusekiOptions, LocalFuseki


def local_server(settings: Settings) -> LocalNeo4j:
    """The local server of the data directory. When one runs there, its port is the one it was
    started with: `mskg user add` or `mskg neo4j env` find the server `make run` started even
    without the `MSKG_NEO4J_BOLT_PORT` it was given."""
    options = ServerOptions(
        home=settings.local_neo4j_home,
        bolt_port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
    )
    running = LocalNeo4j(options).running_port()
    if running is not None and running != options.bolt_port:
        options = replace(options, bolt_port=running)
    return LocalNeo4j(options)


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


def local_fuseki(settings: Settings) -> LocalFuseki:
    return LocalFuseki(
        FusekiOptions(
            home=settings.local_fuseki_home,
            port=settings.sparql_port,
            heap=settings.sparql_heap,
            query_timeout=settings.sparql_timeout_seconds,
        )
    )


def with_sparql(settings: Settings) -> Settings:
    """Settings whose MSKG_SPARQL_* point at a Fuseki: the user's own, or else the local one."""
    if settings.sparql_url is not None:
        return settings
    server = local_fuseki(settings)
    return settings.model_copy(
        update={
            "sparql_url": server.options.url,
            "sparql_user": FUSEKI_USER,
            "sparql_password": SecretStr(server.password()),
        }
    )
