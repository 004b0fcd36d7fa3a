"""`/sparql` against the seed: protocol variants and result formats, read-only, and an edit made
a moment earlier through GraphQL is visible to the next query."""

from __future__ import annotations

import csv
import io
import uuid

import httpx

from api.web.sparql_page import EXAMPLES
from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, GraphQLClient

COUNTERPARTS = """
PREFIX mskg: <https://w3id.org/mskg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?domestic ?international WHERE {
  ?domestic mskg:domesticCounterpartOf ?international .
  ?international org:subOrganizationOf* <https://w3id.org/mskg/id/committee/iso-iec-jtc1> .
} ORDER BY ?domestic
"""
ID = "https://w3id.org/mskg/id/committee/"


def bindings(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def test_which_committees_mirror_jtc1_or_its_scs(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    expected = [
        {"domestic": ID + "sac-tc28", "international": ID + "iso-iec-jtc1"},
        {"domestic": ID + "sac-tc28-sc24", "international": ID + "iso-iec-jtc1-sc24"},
    ]
    assert bindings(http.get("/sparql", params={"query": COUNTERPARTS})) == expected
    assert bindings(http.post("/sparql", data={"query": COUNTERPARTS})) == expected
    raw = http.post(
        "/sparql", content=COUNTERPARTS, headers={"Content-Type": "application/sparql-query"}
    )
    assert bindings(raw) == expected
    as_csv = http.get("/sparql", params={"query": COUNTERPARTS}, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(as_csv.text))) == expected
    as_xml = http.get(
        "/sparql",
        params={"query": COUNTERPARTS},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert "sac-tc28-sc24" in as_xml.text


def test_labels_keep_their_language_and_construct_returns_turtle(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    labels = http.get(
        "/sparql",
        params={
            "query": f"SELECT ?l WHERE {{ <{ID}sac-tc590> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'zh') }}"
        },
    )
    assert bindings(labels) == [{"l": "全国区块链和分布式记账技术标准化技术委员会"}]
    graph = http.get(
        "/sparql",
        params={"query": f"CONSTRUCT {{ <{ID}tc28-sg4> ?p ?o }} WHERE {{ <{ID}tc28-sg4> ?p ?o }}"},
        headers={"Accept": "text/turtle"},
    )
    assert graph.headers["content-type"].startswith("text/turtle")
    assert "SAC/TC28 Metaverse Working Group" in graph.text


def test_the_endpoint_is_read_only_and_reports_bad_queries(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    update = http.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert update.status_code == 403
    assert update.json()["detail"]["code"] == "FORBIDDEN"
    smuggled = http.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert smuggled.status_code == 400
    assert http.get("/sparql").status_code == 400


def test_a_browser_gets_the_query_page(http: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = http.get("/sparql", params={"lang": "en"}, headers={"Accept": browser})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/vendor/yasgui/yasgui.min.js">' in page.text
    assert "Example queries" in page.text
    # A client that asks for data without a query still gets the protocol's error.
    missing = http.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert missing.status_code == 400
    assert missing.headers["content-type"].startswith("application/json")
    assert http.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200


def test_every_example_on_the_page_answers_from_the_seed(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    answers = [bindings(http.post("/sparql", data={"query": e.query})) for e in EXAMPLES]
    liaisons, awaiting, counterparts, concepts = answers
    assert {"holder": ID + "iso-iec-jtc1-sc24-wg8", "category": "ISO_IEC_C"}.items() <= next(
        row for row in liaisons if row["partnerLabel"] == "SEDRIS组织"
    ).items()
    assert [row["deadline"] for row in awaiting] == ["2023-11-20", "2024-05-03"]
    assert [row["domestic"] for row in counterparts] == [ID + "sac-tc28", ID + "sac-tc28-sc24"]
    assert concepts[0]["label"] == "metaverse"
    counts = [int(row["n"]) for row in concepts]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) == 20


async def test_an_edit_is_visible_to_the_next_query(
    api: ApiProcess, gql: GraphQLClient, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    async with httpx.AsyncClient(verify=TLS, base_url=api.base_url, timeout=30) as client:
        before = await client.get("/sparql", params={"query": COUNTERPARTS})
        assert len(bindings(before)) == 2  # the store is loaded before the edit
        edit_user = f"sparql-{uuid.uuid4().hex[:6]}"
        _, token = await create_account(seeded_db, neo4j_connection.database, edit_user, "editor")
        edit = await client.post(
            "/graphql",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "query": 'mutation { link(type: DOMESTIC_COUNTERPART_OF, from: "sac-tc590", to: "iso-iec-jtc1-sc24", '
                'properties: {evidence: "NAME_MATCH"}) { applied } renamed: updateCommittee(key: "tc28-sg4", '
                'expectedVersion: 1, patch: {prefLabel: {zh: "元宇宙工作组", en: "Metaverse WG"}}) { applied } }'
            },
        )
        assert "errors" not in edit.json(), edit.json()
        after = bindings(await client.get("/sparql", params={"query": COUNTERPARTS}))
        assert {"domestic": ID + "sac-tc590", "international": ID + "iso-iec-jtc1-sc24"} in after
        label = await client.get(
            "/sparql",
            params={
                "query": f"SELECT ?l WHERE {{ <{ID}tc28-sg4> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} ORDER BY ?l"
            },
        )
        assert bindings(label) == [{"l": "Metaverse WG"}, {"l": "元宇宙工作组"}]
        # The edit's revision is in the store too, as a PROV activity naming who made it.
        provenance = await client.get(
            "/sparql",
            params={
                "query": "PREFIX prov: <http://www.w3.org/ns/prov#> "
                "PREFIX mskg: <https://w3id.org/mskg/ontology#> "
                f"SELECT ?agent WHERE {{ ?rev a prov:Activity ; mskg:changed <{ID}tc28-sg4> ; "
                "prov:wasAssociatedWith ?agent }"
            },
        )
        agents = {b["agent"] for b in bindings(provenance)}
        agent = "https://w3id.org/mskg/id/agent/"
        assert agents == {f"{agent}mskg-seed", f"{agent}{edit_user}"}  # the seed load, the edit
