"""The async driver's lifecycle and a readiness probe."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from graph.errors import GraphUnavailableError

__all__ = ["AsyncDriver", "Connection", "open_driver", "ping", "unavailable"]

_START_HINT = "start it with `mskg neo4j start`, or check NEO4J_URI and that the server is up"


def unavailable(exc: BaseException | str) -> GraphUnavailableError:
    """Wrap a connection-level failure in the graph layer's error, with what to do next."""
    return GraphUnavailableError(f"Neo4j does not answer: {exc}", _START_HINT)


@dataclass(frozen=True)
class Connection:
    """Where Neo4j is and how to log in. `uri` may be bolt://, neo4j://, neo4j+s:// (Aura)."""

    uri: str
    user: str
    password: str
    database: str = "neo4j"

    def __repr__(self) -> str:  # never print the password
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def open_driver(connection: Connection) -> AsyncDriver:
    """Create the process-wide async driver. It pools and reconnects by itself.

    Short connection timeouts keep `/readyz` and requests snappy while Neo4j is down; the driver
    re-establishes connections as soon as the server answers again, so the API never needs a
    restart. Works unchanged against a cluster or Aura (routing `neo4j://` schemes).
    """
    return AsyncGraphDatabase.driver(
        connection.uri,
        auth=(connection.user, connection.password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=10.0,
        liveness_check_timeout=30.0,
        user_agent="mskg",
        # Warnings such as "label does not exist yet" are expected on an empty graph.
        notifications_min_severity="OFF",
    )


async def ping(driver: AsyncDriver, database: str, seconds: float = 5.0) -> str:
    """Run a trivial query; return the server's agent string or raise GraphUnavailableError."""
    try:
        async with asyncio.timeout(seconds):
            # A plain session run, not execute_query: the probe must fail fast, not retry.
            async with driver.session(database=database, default_access_mode="READ") as session:
                result = await session.run("RETURN 1 AS ok")
                summary = await result.consume()
                return str(summary.server.agent)
    except AuthError as exc:
        raise GraphUnavailableError(
            f"Neo4j rejected the credentials: {exc.message}",
            "check NEO4J_USER and NEO4J_PASSWORD (local server: `mskg neo4j env`)",
        ) from exc
    except TimeoutError as exc:
        raise unavailable(f"no answer within {seconds:.0f}s") from exc
    except (ServiceUnavailable, DriverError, OSError) as exc:
        raise unavailable(exc) from exc
    except Neo4jError as exc:
        raise GraphUnavailableError(
            f"Neo4j answered with an error: {exc.message}",
            f"check that the database {database!r} exists and is online (NEO4J_DATABASE)",
        ) from exc
