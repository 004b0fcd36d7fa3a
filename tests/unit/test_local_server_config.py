from __future__ import annotations

import re
from pathlib import Path

from neo4j_local.server import LocalNeo4j, ServerOptions, neo4j_version


def test_version_is_a_526_lts_release() -> None:
    assert re.fullmatch(r"5\.26\.\d+", neo4j_version())


def test_generated_config_listens_on_loopback_only(tmp_path: Path) -> None:
    server = LocalNeo4j(ServerOptions(home=tmp_path, bolt_port=17999, heap="512m"))
    config = dict(
        line.split("=", 1)
        for line in server._config().splitlines()
        if line and not line.startswith("#")
    )
    assert config["server.default_listen_address"] == "127.0.0.1"
    assert config["server.bolt.listen_address"] == "127.0.0.1:17999"
    assert config["server.http.enabled"] == "false"
    assert config["server.https.enabled"] == "false"
    assert config["dbms.security.auth_enabled"] == "true"
    assert config["server.memory.heap.max_size"] == "512m"
    assert config["server.directories.data"] == str(tmp_path.resolve() / "data")


def test_password_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    server = LocalNeo4j(ServerOptions(home=tmp_path))
    first = server.password()
    assert len(first) >= 24
    assert first != "neo4j"
    assert server.password() == first
    assert (server.password_file.stat().st_mode & 0o777) == 0o600


def test_status_of_a_fresh_home_is_stopped(tmp_path: Path) -> None:
    status = LocalNeo4j(ServerOptions(home=tmp_path, bolt_port=17998)).status()
    assert not status.running
    assert status.uri == "bolt://127.0.0.1:17998"


def test_further_settings_are_written_and_override_the_generated_ones(tmp_path: Path) -> None:
    options = ServerOptions(
        home=tmp_path,
        settings=(("dbms.cypher.min_replan_interval", "24h"), ("server.http.enabled", "true")),
    )
    lines = LocalNeo4j(options)._config().splitlines()
    assert "dbms.cypher.min_replan_interval=24h" in lines
    assert "server.http.enabled=true" in lines
    assert "server.http.enabled=false" not in lines
