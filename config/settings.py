"""Settings for every entry point, read from the environment (and a `.env` file).

Built at entry points only (the CLI, the test fixtures) and passed down; nothing reads the
environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Passwords that must never reach a real deployment (the Neo4j default and the usual examples).
_PLACEHOLDER_SECRETS = frozenset({"neo4j", "password", "changeme", "change-me", "secret", "test"})

LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    """All of MSKG's configuration. `NEO4J_*` for the database, `MSKG_*` for the rest."""

    model_config = SettingsConfigDict(
        env_prefix="MSKG_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_URI", "neo4j_uri"),
        description="Bolt or neo4j(+s) URI of your own Neo4j; unset = the local server.",
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "neo4j_user")
    )
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD", "neo4j_password")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "neo4j_database")
    )

    host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the API listens on.")
    data_dir: Path = Field(default=Path(".mskg"), description="Local state: the Neo4j home.")
    base_iri: str = Field(
        default="https://w3id.org/mskg/",
        description="Base of every entity IRI; must end with '/' or '#'.",
    )
    log_level: LogLevel = "info"
    sparql_timeout_seconds: float = Field(
        default=30.0, gt=0, le=600, description="Longest a SPARQL query may run."
    )
    cypher_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Longest a Cypher statement sent for an API request may run (Neo4j stops it).",
    )
    bulk_timeout_seconds: float = Field(
        default=3600.0,
        gt=0,
        le=86400,
        description="Longest one statement of an import, restore, export or schema update may run.",
    )
    neo4j_wait_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="Longest a call waits for an unreachable Neo4j (connecting and retrying).",
    )
    neo4j_fail_fast_seconds: float = Field(
        default=2.0,
        ge=0,
        le=300,
        description="After Neo4j failed to answer, calls fail at once for this long, then one probes.",
    )
    neo4j_notifications: Literal["off", "warning", "information"] = Field(
        default="warning",
        description="Neo4j's notifications (unknown labels or types, deprecated syntax, …) at or "
        "above this severity are logged under `neo4j.notifications`; 'off' silences them.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        le=1_073_741_824,
        description="Largest request body accepted (413 above); bulk imports use `mskg load`.",
    )
    graphql_document_cache: int = Field(
        default=512,
        ge=0,
        le=100_000,
        description="GraphQL documents kept parsed and validated by their exact text, least "
        "recently used dropped first (0: parse and validate every request).",
    )
    sparql_url: str | None = Field(
        default=None,
        description="Dataset URL of your own Fuseki (e.g. http://fuseki:3030/mskg); unset = the "
        "local server started by `mskg sparql start`.",
    )
    sparql_user: str = Field(default="mskg", description="Fuseki user (queries and updates).")
    sparql_password: SecretStr | None = Field(default=None, description="Fuseki password.")
    sparql_port: int = Field(default=3030, ge=1, le=65535, description="Local Fuseki's port.")
    sparql_heap: str = Field(default="1g", pattern=r"^\d+[kmg]$")
    sparql_catchup_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="Longest a query waits for the store to apply revisions committed before "
        "it arrived; after that it is answered from the store as it is (lag in a header).",
    )
    sparql_sync_seconds: float = Field(
        default=0.25, gt=0, le=60, description="How often the store is brought up to date."
    )
    sparql_max_query_bytes: int = Field(
        default=65536, ge=256, le=10_000_000, description="Largest SPARQL query text accepted."
    )
    sparql_max_nesting: int = Field(
        default=64, ge=4, le=1000, description="Deepest nesting of { and ( in a SPARQL query."
    )
    feed_poll_seconds: float = Field(
        default=0.5, gt=0, le=60, description="How often each API process polls for new revisions."
    )
    feed_buffer: int = Field(
        default=256,
        ge=2,
        le=100_000,
        description="Revisions a live subscription may fall behind before it is ended.",
    )

    neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    neo4j_heap: str = Field(default="1g", pattern=r"^\d+[kmg]$")
    neo4j_pagecache: str = Field(default="512m", pattern=r"^\d+[kmg]$")

    @field_validator("base_iri")
    @classmethod
    def _iri_ends_with_separator(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("MSKG_BASE_IRI must be an http(s) IRI ending with '/' or '#'")
        return value

    @model_validator(mode="after")
    def _external_needs_real_password(self) -> Settings:
        if self.sparql_url is not None and self.sparql_password is None:
            raise ValueError("MSKG_SPARQL_URL is set but MSKG_SPARQL_PASSWORD is not")
        if self.neo4j_uri is None:
            return self
        if self.neo4j_password is None:
            raise ValueError("NEO4J_URI is set but NEO4J_PASSWORD is not")
        if self.neo4j_password.get_secret_value().lower() in _PLACEHOLDER_SECRETS:
            raise ValueError(
                "NEO4J_PASSWORD is a well-known placeholder; set a real secret for your Neo4j"
            )
        return self

    @property
    def local_neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"

    @property
    def local_fuseki_home(self) -> Path:
        return self.data_dir / "fuseki"
