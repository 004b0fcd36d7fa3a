"""The ontology and the seed's RDF export together pass HermiT: the data's values fit the
ranges the ontology gives its own properties, and no class becomes unsatisfiable.

The export keeps its xsd:date, xsd:gYear and xsd:gYearMonth literals, which are outside OWL 2's
datatype map: HermiT takes them as opaque values here (the ontology itself is checked without
that allowance in tests/unit/test_owl_consistency.py)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.driver import AsyncDriver, Connection
from graph.rdf_export import export_triples
from ontology.artifacts import GENERATED_DIR
from tests.owl_reasoner import reason

BASE = "https://w3id.org/mskg/"


async def test_hermit_finds_the_ontology_and_the_seed_consistent(
    seeded_db: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    export = Graph()
    async for triple in export_triples(seeded_db, neo4j_connection.database, BASE):
        export.add(triple)
    data = tmp_path / "seed.nt"
    export.serialize(data, format="nt", encoding="utf-8")
    verdict = reason(
        [GENERATED_DIR / "mskg.ttl", data], ignore_unsupported_datatypes=True, timeout=180
    )
    assert verdict.error is None, verdict.error
    assert verdict.consistent
    assert verdict.unsatisfiable == []
