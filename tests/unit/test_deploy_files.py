"""No Docker engine runs here, so the deployment files are checked as data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from config.settings import Settings
from neo4j_local.server import neo4j_version

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_neo4j_image_matches_the_local_server_version() -> None:
    image = compose()["services"]["neo4j"]["image"]
    assert image == f"neo4j:{neo4j_version()}-community"


def test_neo4j_service_has_volume_password_from_env_and_healthcheck() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert any(v.startswith("neo4j-data:/data") for v in neo4j["volumes"])
    assert "neo4j-data" in compose()["volumes"]
    assert "RETURN 1" in " ".join(neo4j["healthcheck"]["test"])
    # Bolt is published to loopback only.
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"])


def test_api_waits_for_healthy_neo4j_and_is_wired_by_settings_names() -> None:
    api = compose()["services"]["api"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")
    # Every MSKG_* variable compose sets is one Settings reads.
    fields = {f"MSKG_{name.upper()}" for name in Settings.model_fields}
    assert {k for k in env if k.startswith("MSKG_")} <= fields
    assert any(str(p).endswith(":8000") for p in api["ports"])


def test_dockerfile_serves_the_api_on_the_published_port() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.M)
    assert 'CMD ["mskg", "serve"]' in dockerfile
    assert "MSKG_HOST=0.0.0.0" in dockerfile


def test_the_image_serves_the_web_assets_built_from_the_npm_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY web/package.json web/package-lock.json" in dockerfile
    assert re.search(r"RUN npm ci .*copy-assets\.sh /vendor", dockerfile)
    assert "COPY --from=assets /vendor ./api/web/static/vendor" in dockerfile


def test_fuseki_service_is_private_persistent_restarted_and_wired_to_the_api() -> None:
    services = compose()["services"]
    fuseki = services["fuseki"]
    assert fuseki["build"] == {"context": ".", "dockerfile": "Dockerfile.fuseki"}
    assert fuseki["restart"] == "unless-stopped"
    assert "ports" not in fuseki  # only the API reaches it, on the compose network
    assert fuseki["environment"]["FUSEKI_PASSWORD"].startswith("${MSKG_SPARQL_PASSWORD:?")
    assert any(v.startswith("fuseki-data:/fuseki/tdb2") for v in fuseki["volumes"])
    assert "fuseki-data" in compose()["volumes"]
    api = services["api"]
    assert api["depends_on"]["fuseki"]["condition"] == "service_healthy"
    assert api["environment"]["MSKG_SPARQL_URL"] == "http://fuseki:3030/mskg"
    assert api["environment"]["MSKG_SPARQL_PASSWORD"].startswith("${MSKG_SPARQL_PASSWORD:?")


def test_the_fuseki_image_runs_what_mskg_sparql_start_runs() -> None:
    from sparql_local.server import ENTRY_POINT, LOGGING_CONFIG, fuseki_config

    conf = ROOT / "sparql_local" / "compose"
    assert (conf / "config.ttl").read_text() == fuseki_config(Path("/fuseki/tdb2"), 30.0)
    assert (conf / "log4j2.properties").read_text() == LOGGING_CONFIG
    assert ENTRY_POINT in (conf / "start.sh").read_text()
    dockerfile = (ROOT / "Dockerfile.fuseki").read_text()
    assert "COPY sparql_local/pom.xml" in dockerfile
    assert "dependency:copy-dependencies" in dockerfile
    assert "COPY sparql_local ./sparql_local" in (ROOT / "Dockerfile").read_text()
