"""The Neo4j connection and call policy named by settings: all the CLI needs of the API's
start-up, kept apart from the app factory so a command does not import the web stack."""

from __future__ import annotations

from config.settings import Settings
from graph.driver import Connection, Policy


def connection_from(settings: Settings) -> Connection:
    """The Neo4j connection named by settings (the CLI fills them in for the local server)."""
    if settings.neo4j_uri is None or settings.neo4j_password is None:
        raise ValueError(
            "no Neo4j connection: set NEO4J_URI and NEO4J_PASSWORD, or run through `mskg serve`, "
            "which uses the local server started by `mskg neo4j start`"
        )
    return Connection(
        uri=settings.neo4j_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password.get_secret_value(),
        database=settings.neo4j_database,
    )


def policy_from(settings: Settings) -> Policy:
    """Statement timeouts and the wait allowed during an outage, from settings."""
    return Policy(
        statement_timeout=settings.cypher_timeout_seconds,
        bulk_timeout=settings.bulk_timeout_seconds,
        outage_wait=settings.neo4j_wait_seconds,
        fail_fast=settings.neo4j_fail_fast_seconds,
        notifications=settings.neo4j_notifications,
    )
