"""The published ontology passes a real OWL 2 reasoner: HermiT (through owlready2) accepts every
term in it, finds it consistent and no class unsatisfiable. The last two tests show the check
fails where it should: on a datatype outside OWL 2's datatype map, and on a contradiction."""

from __future__ import annotations

from pathlib import Path

from ontology.artifacts import GENERATED_DIR
from tests.owl_reasoner import reason

ONTOLOGY = GENERATED_DIR / "mskg.ttl"
PREFIXES = """
@prefix mskg: <https://w3id.org/mskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_hermit_finds_the_published_ontology_consistent() -> None:
    verdict = reason([ONTOLOGY])
    assert verdict.error is None, verdict.error
    assert verdict.consistent
    assert verdict.unsatisfiable == []


def test_hermit_refuses_a_range_outside_owl2s_datatype_map(tmp_path: Path) -> None:
    extra = tmp_path / "date-range.ttl"
    extra.write_text(PREFIXES + "mskg:deadline rdfs:range xsd:date .\n", encoding="utf-8")
    verdict = reason([ONTOLOGY, extra])
    assert verdict.error is not None
    assert "http://www.w3.org/2001/XMLSchema#date" in verdict.error


def test_hermit_finds_data_against_a_range_inconsistent(tmp_path: Path) -> None:
    data = tmp_path / "clash.ttl"
    data.write_text(
        PREFIXES + '<https://w3id.org/mskg/id/standard/x> mskg:edition "second" .\n',
        encoding="utf-8",
    )
    verdict = reason([ONTOLOGY, data], ignore_unsupported_datatypes=True)
    assert verdict.error is None, verdict.error
    assert not verdict.consistent
