"""An independent parser — Apache Jena's `riot --validate`, from Maven Central — accepts every
RDF syntax the export produces (and rejects a broken file, so the check can fail)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from graph.driver import AsyncDriver

POM = Path(__file__).resolve().parents[1] / "tools" / "jena" / "pom.xml"
SYNTAX = {
    "turtle": "TTL",
    "trig": "TRIG",
    "ntriples": "NT",
    "nquads": "NQ",
    "jsonld": "JSONLD",
    "rdfxml": "RDFXML",
}


@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("mvn") is None or shutil.which("java") is None:
        pytest.fail(
            "mvn and java are needed to fetch and run Apache Jena (install Maven and a JDK 17)"
        )
    out = tmp_path_factory.mktemp("jena") / "classpath.txt"
    result = subprocess.run(
        ["mvn", "-B", "-q", "-f", str(POM), "dependency:build-classpath", f"-Dmdep.outputFile={out}"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return out.read_text(encoding="utf-8").strip()


def riot(classpath: str, syntax: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["java", "-cp", classpath, "riotcmd.riot", "--validate", f"--syntax={syntax}", str(path)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if "WARN" in line or "ERROR" in line]


@pytest.mark.parametrize("name", list(SYNTAX))
def test_riot_validates_every_export_format(
    http: httpx.Client, seeded_db: AsyncDriver, jena_classpath: str, tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"mskg.{name}"
    path.write_bytes(http.get("/rdf/export", params={"format": name}, timeout=120).content)
    result = riot(jena_classpath, SYNTAX[name], path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _problems(result.stdout + result.stderr) == []


def test_riot_rejects_a_broken_file(jena_classpath: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(
        '<https://w3id.org/mskg/id/x> <https://w3id.org/p> "unterminated .\n', encoding="utf-8"
    )
    assert riot(jena_classpath, "TTL", path).returncode != 0


def test_riot_warnings_are_seen(jena_classpath: str, tmp_path: Path) -> None:
    # A well-formed file with a literal its datatype refuses: riot warns (through the SLF4J
    # provider on the classpath), and the check above would catch it.
    path = tmp_path / "suspect.nt"
    path.write_text(
        "<https://w3id.org/mskg/id/x> <https://w3id.org/p> "
        '"abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
        encoding="utf-8",
    )
    result = riot(jena_classpath, "NT", path)
    problems = _problems(result.stdout + result.stderr)
    assert len(problems) == 1
    assert "Lexical form 'abc' not valid" in problems[0]
