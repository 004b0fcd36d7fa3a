"""RDF import: the export comes back in (every entity, relationship and relationship property);
data failing SHACL is rejected with a report and nothing written; unknown terms are reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph.driver import AsyncDriver, Connection
from graph.maintenance import clear_database, snapshot
from graph.rdf_export import export_triples
from loaders.errors import LoaderError
from loaders.rdf import import_rdf
from loaders.seed import load_seed

BASE = "https://w3id.org/mskg/"
META = {"version", "createdAt", "updatedAt", "createdBy", "updatedBy"}


def _facts(props: dict[str, Any]) -> dict[str, Any]:
    # Multi-valued properties are sets in RDF: their order is not part of the data.
    return {k: sorted(v) if isinstance(v, list) else v for k, v in props.items() if k not in META}


def content(snap: dict[str, Any]) -> dict[str, Any]:
    """Stored facts without bookkeeping (who/when/version) and without import file sources."""
    nodes = {
        key: (labels, _facts(props))
        for key, (labels, props) in snap["nodes"].items()
        if not key.startswith("src-file-")
    }
    rels = {k: _facts(props) for k, props in snap["relationships"].items()}
    return {"nodes": nodes, "relationships": rels}


async def export_to(driver: AsyncDriver, db: str, path: Path, fmt: str) -> None:
    graph = Graph()
    async for triple in export_triples(driver, db, BASE):
        graph.add(triple)
    graph.serialize(path, format=fmt)


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("turtle", ".ttl"), ("json-ld", ".jsonld"), ("xml", ".rdf")]
)
async def test_export_then_import_into_an_empty_database_restores_every_fact(
    empty_graph: AsyncDriver, neo4j_connection: Connection, tmp_path: Path, fmt: str, suffix: str
) -> None:
    db = neo4j_connection.database
    await load_seed(empty_graph, db, BASE)
    before = content(await snapshot(empty_graph, db))
    path = tmp_path / f"mskg{suffix}"
    await export_to(empty_graph, db, path, fmt)
    await clear_database(empty_graph, db)
    result = await import_rdf(empty_graph, db, BASE, path, "rdf-importer")
    assert result.entities == len(before["nodes"])
    after = content(await snapshot(empty_graph, db))
    assert after == before


BROKEN = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix mskg: <https://w3id.org/mskg/ontology#> .
<https://w3id.org/mskg/id/committee/broken-import> a org:OrganizationalUnit ;
    mskg:key "broken-import" ;
    mskg:committeeKind mskg:CommitteeKind-NOT_A_KIND .
"""


async def test_data_failing_shacl_is_rejected_and_nothing_is_written(
    empty_graph: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    db = neo4j_connection.database
    await load_seed(empty_graph, db, BASE)
    before = await snapshot(empty_graph, db)
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(LoaderError) as rejected:
        await import_rdf(empty_graph, db, BASE, path, "rdf-importer")
    report = "\\n".join(str(p) for p in rejected.value.problems)
    assert "SHACL" in report
    assert "https://w3id.org/mskg/id/committee/broken-import" in report
    assert "committeeKind" in report
    assert "prefLabel" in report
    assert await snapshot(empty_graph, db) == before


UNKNOWN = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/mskg/id/committee/odd-one> a org:OrganizationalUnit ;
    skos:prefLabel "怪"@zh, "Odd"@en ;
    <https://example.org/colour> "red" .
"""


async def test_unknown_predicates_are_reported_not_dropped(
    empty_graph: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    db = neo4j_connection.database
    path = tmp_path / "unknown.ttl"
    path.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(LoaderError) as rejected:
        await import_rdf(empty_graph, db, BASE, path, "rdf-importer")
    assert any(
        "unknown predicate https://example.org/colour" in str(p) for p in rejected.value.problems
    )
    assert (await snapshot(empty_graph, db))["nodes"] == {}


EITHER_WAY = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix mskg: <https://w3id.org/mskg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://w3id.org/mskg/id/committee/typed-standard> a org:OrganizationalUnit ;
    mskg:key "typed-standard" ;
    skos:prefLabel "旧式类型"@zh, "Standard-typed"@en ;
    mskg:scope "范围"@zh .
<https://w3id.org/mskg/id/person/typed-own> a mskg:Person, foaf:Person ;
    mskg:key "typed-own" ;
    skos:prefLabel "李明"@zh, "Li Ming"@en ;
    vcard:hasEmail <mailto:li.ming@example.org> ;
    vcard:hasTelephone <tel:+86-10-1234-5678> ;
    foaf:homepage <https://example.org/li-ming> .
"""


async def test_nodes_typed_with_the_standard_or_the_own_class_import_and_contacts_come_back(
    empty_graph: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    db = neo4j_connection.database
    path = tmp_path / "either-way.ttl"
    path.write_text(EITHER_WAY, encoding="utf-8")
    result = await import_rdf(empty_graph, db, BASE, path, "rdf-importer")
    assert result.entities == 2
    nodes = (await snapshot(empty_graph, db))["nodes"]
    labels, committee = nodes["typed-standard"]
    assert "Committee" in labels
    assert committee["scope_zh"] == "范围"
    labels, person = nodes["typed-own"]
    assert "Person" in labels
    # Stored as people write them; IRIs only in RDF.
    assert (person["email"], person["phone"], person["homepage"]) == (
        "li.ming@example.org",
        "+86 10 1234 5678",
        "https://example.org/li-ming",
    )
