"""RDF over HTTP against the seed: every export format parses back to the same graph, Linked
Data content negotiation (and the HTML page), 404s with a clear body, ontology and shapes."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess

VCARD = "http://www.w3.org/2006/vcard/ns#"

FORMATS = {
    "turtle": ("text/turtle", "turtle"),
    "trig": ("application/trig", "trig"),
    "ntriples": ("application/n-triples", "nt"),
    "nquads": ("application/n-quads", "nquads"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}
SAC_TC28 = URIRef("https://w3id.org/mskg/id/committee/sac-tc28")


def parse(body: bytes, rdflib_format: str) -> Graph:
    if rdflib_format in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(data=body, format=rdflib_format)
        graph = Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=body, format=rdflib_format)


@pytest.fixture(scope="module")
def exports(api: ApiProcess, seeded_db: AsyncDriver) -> dict[str, Graph]:
    base_url = api.base_url
    out = {}
    with httpx.Client(verify=TLS, base_url=base_url, timeout=120) as client:
        for name, (media, rdflib_format) in FORMATS.items():
            response = client.get("/rdf/export", params={"format": name})
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith(media)
            out[name] = parse(response.content, rdflib_format)
    return out


def test_every_export_format_parses_back_to_the_same_graph(exports: dict[str, Graph]) -> None:
    reference = set(exports["ntriples"])
    assert len(reference) > 10_000
    for name, graph in exports.items():
        assert set(graph) == reference, name


def test_the_export_answers_the_accept_header(
    api: ApiProcess, seeded_db: AsyncDriver, exports: dict[str, Graph]
) -> None:
    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=120) as client:
        for name in ("ntriples", "jsonld"):
            media, rdflib_format = FORMATS[name]
            response = client.get("/rdf/export", headers={"Accept": media})
            assert response.headers["content-type"].startswith(media)
            assert set(parse(response.content, rdflib_format)) == set(exports[name])
        # `?format=` wins over Accept; a browser's Accept gets the default, Turtle.
        both = client.get(
            "/rdf/export", params={"format": "nquads"}, headers={"Accept": "text/turtle"}
        )
        assert both.headers["content-type"].startswith("application/n-quads")
        browser = client.get("/rdf/export", headers={"Accept": "text/html,*/*;q=0.8"})
        assert browser.headers["content-type"].startswith("text/turtle")
        assert len(set(parse(browser.content, "turtle"))) == len(set(exports["turtle"]))


def test_export_uses_standard_vocabularies_with_language_tags(exports: dict[str, Graph]) -> None:
    graph = exports["turtle"]
    assert (SAC_TC28, SKOS.prefLabel, Literal("全国信息技术标准化技术委员会", lang="zh")) in graph
    org = "http://www.w3.org/ns/org#"
    assert (
        SAC_TC28,
        URIRef(org + "subOrganizationOf"),
        URIRef("https://w3id.org/mskg/id/organization/sac"),
    ) in graph
    founded = graph.value(SAC_TC28, URIRef("https://schema.org/foundingDate"))
    assert isinstance(founded, Literal)
    assert str(founded.datatype) == "http://www.w3.org/2001/XMLSchema#gYear"


@pytest.mark.parametrize("name", list(FORMATS))
def test_entity_iri_dereferences_by_accept_header_and_format_parameter(
    http: httpx.Client, seeded_db: AsyncDriver, name: str
) -> None:
    media, rdflib_format = FORMATS[name]
    by_accept = http.get("/id/committee/sac-tc28", headers={"Accept": media})
    assert by_accept.status_code == 200
    assert by_accept.headers["content-type"].startswith(media)
    graph = parse(by_accept.content, rdflib_format)
    assert (
        SAC_TC28,
        SKOS.prefLabel,
        Literal("National Information Technology Standardization Technical Committee", lang="en"),
    ) in graph
    # Incoming relationships are part of the description too (TC28/SG4 sits under SAC/TC28).
    assert (
        URIRef("https://w3id.org/mskg/id/committee/tc28-sg4"),
        URIRef("http://www.w3.org/ns/org#subOrganizationOf"),
        SAC_TC28,
    ) in graph
    by_param = http.get("/id/committee/sac-tc28", params={"format": name})
    assert set(parse(by_param.content, rdflib_format)) == set(graph)


def test_browsers_get_a_readable_page(http: httpx.Client, seeded_db: AsyncDriver) -> None:
    page = http.get(
        "/id/committee/sac-tc28",
        headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"},
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "全国信息技术标准化技术委员会" in page.text
    assert 'href="/id/committee/tc28-sg4"' in page.text
    assert "?format=turtle" in page.text


def test_unknown_entities_and_classes_are_404_with_a_clear_body(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    missing = http.get("/id/committee/no-such-committee", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == {
        "code": "NOT_FOUND",
        "message": "no Committee with key 'no-such-committee'",
    }
    wrong_class = http.get("/id/unicorn/sac-tc28")
    assert wrong_class.status_code == 404
    assert "committee" in wrong_class.json()["detail"]["message"]
    bad_format = http.get("/rdf/export", params={"format": "csv"})
    assert bad_format.status_code == 400


def test_ontology_and_shapes_are_published(http: httpx.Client) -> None:
    ontology = http.get("/ontology")
    assert ontology.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=ontology.text, format="turtle")
    assert (
        URIRef("https://w3id.org/mskg/ontology#AdoptionDegree-IDT"),
        SKOS.prefLabel,
        Literal("等同采用", lang="zh"),
    ) in graph
    as_jsonld = Graph().parse(
        data=http.get("/ontology", headers={"Accept": "application/ld+json"}).text, format="json-ld"
    )
    # Same graph (blank nodes of owl:unionOf lists are renamed, so they are compared by count).
    assert len(as_jsonld) == len(graph)
    assert {t for t in as_jsonld if not any(isinstance(n, BNode) for n in t)} == {
        t for t in graph if not any(isinstance(n, BNode) for n in t)
    }
    shapes = Graph().parse(data=http.get("/shapes").text, format="turtle")
    assert len(shapes) > 1000


async def test_contact_details_reach_signed_in_readers_only(
    api: ApiProcess, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    editor = f"rdf-contact-{uuid.uuid4().hex[:6]}"
    _, token = await create_account(seeded_db, neo4j_connection.database, editor, "editor")
    signed = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(verify=TLS, base_url=api.base_url, timeout=60) as client:
        created = await client.post(
            "/graphql",
            headers=signed,
            json={
                "query": 'mutation { createPerson(input: {key: "rdf-contact-person", '
                'prefLabel: {zh: "联系人", en: "Contact person"}, email: "contact@example.org", '
                'phone: "+86 10 0000 0000"}) { applied } }'
            },
        )
        assert "errors" not in created.json(), created.json()

        def contacts(text: str, fmt: str = "turtle") -> set[object]:
            graph = Graph().parse(data=text, format=fmt)
            return {
                o
                for predicate in ("hasEmail", "hasTelephone")
                for o in graph.objects(None, URIRef(f"{VCARD}{predicate}"))
            }

        # vCard's object properties take IRIs: mailto: and tel: (RFC 3966: hyphens, no spaces).
        published = {URIRef("mailto:contact@example.org"), URIRef("tel:+86-10-0000-0000")}
        path = "/id/person/rdf-contact-person"
        anonymous = await client.get(path, params={"format": "turtle"})
        assert anonymous.status_code == 200
        assert contacts(anonymous.text) == set()
        for hidden in ("contact@example.org", "0000"):  # not in the revision log either
            assert hidden not in anonymous.text
        reader = await client.get(path, params={"format": "turtle"}, headers=signed)
        assert contacts(reader.text) == published
        export = await client.get("/rdf/export", params={"format": "ntriples"})
        for hidden in ("contact@example.org", "+86 10 0000 0000", "+86-10-0000-0000"):
            assert hidden not in export.text
        full = await client.get("/rdf/export", params={"format": "ntriples"}, headers=signed)
        assert contacts(full.text, "nt") == published
        for predicate in ("hasEmail", "hasTelephone"):
            sparql = await client.get(
                "/sparql",
                params={
                    "query": f"PREFIX vcard: <{VCARD}> SELECT ?e WHERE {{ ?p vcard:{predicate} ?e }}"
                },
            )
            assert sparql.json()["results"]["bindings"] == []


def test_an_entity_page_links_every_rdf_form_and_the_whole_graph(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    page = http.get("/entity/sac-tc28", params={"lang": "en"}).text
    forms = page.split('id="rdf-forms"')[1].split("</p>")[0]
    hrefs = re.findall(r'href="([^"]+)"', forms)
    by_format = {h.split("format=")[1]: h for h in hrefs if h.startswith("/id/")}
    assert set(by_format) == set(FORMATS)
    for name, href in by_format.items():
        media, rdflib_format = FORMATS[name]
        response = http.get(href)
        assert response.headers["content-type"].startswith(media), name
        assert (
            SAC_TC28,
            SKOS.prefLabel,
            Literal("全国信息技术标准化技术委员会", lang="zh"),
        ) in parse(response.content, rdflib_format)
    assert "/rdf/export?format=ntriples" in hrefs
