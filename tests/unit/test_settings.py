from __future__ import annotations

import pytest
from pydantic import ValidationError

from config.settings import Settings


def test_defaults_use_the_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "MSKG_PORT", "MSKG_HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.neo4j_uri is None
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.local_neo4j_home.parts[-2:] == (".mskg", "neo4j")


def test_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abc.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_PASSWORD", "a-real-secret-1")
    monkeypatch.setenv("NEO4J_DATABASE", "mskg")
    monkeypatch.setenv("MSKG_PORT", "9001")
    settings = Settings(_env_file=None)
    assert settings.neo4j_uri == "neo4j+s://abc.databases.neo4j.io"
    assert settings.neo4j_database == "mskg"
    assert settings.port == 9001


@pytest.mark.parametrize("password", ["neo4j", "password", "changeme"])
def test_placeholder_password_is_rejected(monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://db:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(_env_file=None)


def test_uri_without_password_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://db:7687")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(ValidationError, match="NEO4J_PASSWORD is not"):
        Settings(_env_file=None)


def test_base_iri_must_end_with_separator() -> None:
    with pytest.raises(ValidationError, match="MSKG_BASE_IRI"):
        Settings(_env_file=None, base_iri="https://example.org/mskg")
