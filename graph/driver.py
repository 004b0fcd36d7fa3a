"""The async driver's lifecycle. Every call through it goes through graph.gateway."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver, AsyncGraphDatabase

from graph.gateway import Policy, configure, ping

__all__ = ["AsyncDriver", "Connection", "Policy", "open_driver", "ping"]


@dataclass(frozen=True)
class Connection:
    """Where Neo4j is and how to log in. `uri` may be bolt://, neo4j://, neo4j+s:// (Aura)."""

    uri: str
    user: str
    password: str
    database: str = "neo4j"

    def __repr__(self) -> str:  # never print the password
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def open_driver(connection: Connection, policy: Policy | None = None) -> AsyncDriver:
    """Create the process-wide async driver. It pools and reconnects by itself.

    `policy` (timeouts, the wait allowed during an outage) applies to every call made through
    the gateway with this driver. The driver re-establishes connections as soon as the server
    answers again, so the API never needs a restart. Works unchanged against a cluster or Aura
    (routing `neo4j://` schemes).
    """
    policy = policy or Policy()
    driver = AsyncGraphDatabase.driver(
        connection.uri,
        auth=(connection.user, connection.password),
        liveness_check_timeout=30.0,
        user_agent="mskg",
        **policy.driver_config(),
    )
    configure(driver, policy)
    return driver
