"""`mskg generate`: a deterministic synthetic corpus that the importer loads without a reject."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from graph.driver import AsyncDriver, Connection
from loaders.synthetic import KINDS, generate
from tests.conftest import MSKG, api_env


def test_the_same_scale_and_seed_give_the_same_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 500, seed=7)
    again = generate(tmp_path / "b", 500, seed=7)
    generate(tmp_path / "c", 500, seed=8)
    for _, name in KINDS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.rows == again.rows
    assert first.rows["standards"] == 500
    assert (tmp_path / "a" / "standards.csv").read_bytes() != (
        tmp_path / "c" / "standards.csv"
    ).read_bytes()


async def test_generate_and_load_writes_every_row_and_relationship(
    empty_graph: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    out = tmp_path / "corpus"
    completed = await asyncio.to_thread(
        subprocess.run,
        [MSKG, "generate", "--scale", "400", "--seed", "3", "--out", str(out), "--load"],
        env=api_env(neo4j_connection),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert not list(out.glob("*reject*")), "the generated rows must all be valid"
    corpus = generate(tmp_path / "expected", 400, seed=3)
    db = neo4j_connection.database
    records, _, _ = await empty_graph.execute_query(
        "MATCH (n:Resource) WHERE n.key STARTS WITH 'syn-' "
        "RETURN [l IN labels(n) WHERE l <> 'Resource'][0] AS cls, count(*) AS c",
        database_=db,
    )
    counts = {r["cls"]: r["c"] for r in records}
    assert counts == {
        "Concept": corpus.rows["concepts"],
        "Committee": corpus.rows["committees"],
        "Person": corpus.rows["persons"],
        "Liaison": corpus.rows["liaisons"],
        "Standard": corpus.rows["standards"],
        "LiaisonStatement": corpus.rows["statements"],
    }
    records, _, _ = await empty_graph.execute_query(
        "MATCH (a:Resource)-[r]->(b:Resource) WHERE a.key STARTS WITH 'syn-' RETURN count(r) AS c",
        database_=db,
    )
    assert records[0]["c"] == corpus.relationships
    adopted, _, _ = await empty_graph.execute_query(
        "MATCH (:Standard)-[r:ADOPTS]->(:Standard) RETURN r.degree AS d, count(*) AS c",
        database_=db,
    )
    assert sum(r["c"] for r in adopted) == corpus.rows["adoptions"]
    assert {r["d"] for r in adopted} == {"IDT", "MOD", "NEQ"}
