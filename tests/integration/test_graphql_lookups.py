"""GraphQL lookups against the seed graph: by key, by IRI, by Relay global id, through the
`Entity` interface; bilingual labels; sources of entities and of relationships; private fields."""

from __future__ import annotations

import base64

import pytest

from loaders.seed import read_seed
from tests.conftest import GraphQLClient

IRI_BASE = "https://w3id.org/mskg/id"


def test_committee_by_key(gql: GraphQLClient) -> None:
    body = gql(
        """{
          committee(key: "sac-tc28") {
            key iri designation committeeKind status founded
            prefLabel { zh en } altLabel { zh en }
            scope { en }
          }
        }"""
    )
    assert "errors" not in body
    committee = body["data"]["committee"]
    assert committee == {
        "key": "sac-tc28",
        "iri": f"{IRI_BASE}/committee/sac-tc28",
        "designation": "SAC/TC28",
        "committeeKind": "TC",
        "status": "ACTIVE",
        "founded": "1983",
        "prefLabel": {
            "zh": "全国信息技术标准化技术委员会",
            "en": "National Information Technology Standardization Technical Committee",
        },
        "altLabel": {"zh": ["信标委"], "en": ["SAC/TC28", "CITS", "TC28"]},
        "scope": {
            "en": "Standardization in the field of information technology, corresponding to "
            "ISO/IEC JTC 1."
        },
    }
    # A lookup by key is a single Cypher statement.
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_metadata_of_a_seeded_entity(gql: GraphQLClient) -> None:
    committee = gql.data(
        '{ committee(key: "sac-tc590") { version createdBy updatedBy createdAt updatedAt } }'
    )["committee"]
    assert committee["version"] == 1
    assert committee["createdBy"] == committee["updatedBy"] == "mskg-seed"
    assert committee["createdAt"]
    assert committee["createdAt"] == committee["updatedAt"]


def test_entity_by_iri(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          committee: entityByIri(iri: "https://w3id.org/mskg/id/committee/sac-tc28") {
            __typename key ... on Committee { designation }
          }
          concept: entityByIri(iri: "https://w3id.org/mskg/id/concept/concept-blockchain") {
            __typename key prefLabel { zh en }
          }
          workItem: entityByIri(iri: "https://w3id.org/mskg/id/work-item/cn-plan-20210929-t-469") {
            __typename key ... on WorkItem { designation projectKind }
          }
          unknown: entityByIri(iri: "https://w3id.org/mskg/id/committee/no-such-committee") { key }
        }"""
    )
    assert data["committee"] == {
        "__typename": "Committee",
        "key": "sac-tc28",
        "designation": "SAC/TC28",
    }
    assert data["concept"] == {
        "__typename": "Concept",
        "key": "concept-blockchain",
        "prefLabel": {"zh": "区块链", "en": "Blockchain"},
    }
    assert data["workItem"] == {
        "__typename": "WorkItem",
        "key": "cn-plan-20210929-t-469",
        "designation": "20210929-T-469",
        "projectKind": "NATIONAL_PLAN",
    }
    assert data["unknown"] is None


@pytest.mark.parametrize(
    ("lookup", "typename", "key"),
    [
        ('committee(key: "sac-tc28")', "Committee", "sac-tc28"),
        ('standard(key: "iso-22739")', "Standard", "iso-22739"),
        ('organization(key: "cesi")', "Organization", "cesi"),
        ('concept(key: "concept-blockchain")', "Concept", "concept-blockchain"),
        ('liaison(key: "liaison-sc24-wg8-ogc")', "Liaison", "liaison-sc24-wg8-ogc"),
        ('source(key: "seed-plan")', "Source", "seed-plan"),
    ],
)
def test_node_round_trip(gql: GraphQLClient, lookup: str, typename: str, key: str) -> None:
    first = gql.data(f"{{ item: {lookup} {{ id key iri }} }}")["item"]
    again = gql.data(
        "query($id: ID!) { node(id: $id) { __typename id ... on Entity { key iri } } }",
        {"id": first["id"]},
    )["node"]
    assert again == {"__typename": typename, "id": first["id"], "key": key, "iri": first["iri"]}


def global_id(class_name: str, key: str) -> str:
    """The Relay id form: unpadded URL-safe base64 of `Class:key`."""
    return base64.urlsafe_b64encode(f"{class_name}:{key}".encode()).decode().rstrip("=")


def test_node_ids_are_relay_global_ids(gql: GraphQLClient) -> None:
    data = gql.data(
        '{ committee(key: "sac-tc28") { id } concept(key: "concept-blockchain") { id } }'
    )
    assert data["committee"]["id"] == global_id("Committee", "sac-tc28")
    assert data["concept"]["id"] == global_id("Concept", "concept-blockchain")


@pytest.mark.parametrize(
    "node_id",
    [
        "not a global id!",
        global_id("Committee", "no-such-key"),
        global_id("Committee", "concept-blockchain"),  # the key exists, but not as a Committee
        global_id("NoSuchClass", "sac-tc28"),
    ],
)
def test_node_with_unknown_or_mismatched_id_is_null(gql: GraphQLClient, node_id: str) -> None:
    body = gql("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert body["data"] == {"node": None}
    assert "errors" not in body


def test_unknown_key_is_null(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          committee(key: "no-such-committee") { key }
          entity(key: "no-such-entity") { key }
          standard(key: "no-such-standard") { key }
        }"""
    )
    assert data == {"committee": None, "entity": None, "standard": None}


def test_lookup_by_key_of_another_class_is_null(gql: GraphQLClient) -> None:
    # `sac` is an Organization: the Committee lookup does not return it, `entity` does.
    data = gql.data('{ committee(key: "sac") { key } entity(key: "sac") { __typename key } }')
    assert data == {"committee": None, "entity": {"__typename": "Organization", "key": "sac"}}


def test_typename_through_the_entity_interface(gql: GraphQLClient) -> None:
    expected = {
        "sac-tc28": "Committee",
        "cesi": "Organization",
        "person-li-ming": "Person",
        "post-sac-tc590-chair": "Post",
        "liaison-miit-metaverse-wg-sac-tc28": "Liaison",
        "iso-22739": "Standard",
        "cn-plan-20210929-t-469": "WorkItem",
        "concept-blockchain": "Concept",
        "scheme-demand-directions": "ConceptScheme",
        "seed-plan": "Source",
    }
    query = (
        "{ "
        + " ".join(
            f'e{i}: entity(key: "{key}") {{ __typename key }}' for i, key in enumerate(expected)
        )
        + " }"
    )
    data = gql.data(query)
    assert {v["key"]: v["__typename"] for v in data.values()} == expected


def test_interface_fragments_select_class_fields(gql: GraphQLClient) -> None:
    entity = gql.data(
        """{
          entity(key: "iso-22739") {
            __typename
            key
            ... on Committee { designation committeeKind }
            ... on Standard { designation standardKind developedBy { key } }
          }
        }"""
    )["entity"]
    assert entity == {
        "__typename": "Standard",
        "key": "iso-22739",
        "designation": "ISO 22739",
        "standardKind": "IS",
        "developedBy": [{"key": "iso-tc307"}],
    }


def test_label_in_each_language_and_default(gql: GraphQLClient) -> None:
    concept = gql.data(
        """{
          concept(key: "concept-foundational-standards") {
            zh: label(lang: ZH) en: label(lang: EN) default: label prefLabel { zh en }
          }
        }"""
    )["concept"]
    assert concept == {
        "zh": "基础标准",
        "en": "Foundational standards",
        "default": "Foundational standards",  # English unless asked otherwise
        "prefLabel": {"zh": "基础标准", "en": "Foundational standards"},
    }


def test_text_fields_without_text_are_null(gql: GraphQLClient) -> None:
    committee = gql.data(
        '{ committee(key: "sac-tc590") { definition { zh en } note { zh en } scope { zh en } } }'
    )["committee"]
    assert committee == {"definition": None, "note": None, "scope": None}


def test_sources_of_an_entity(gql: GraphQLClient) -> None:
    committee = gql.data(
        """{
          committee(key: "sac-tc28") {
            sources { __typename key iri url reliability prefLabel { en } }
          }
        }"""
    )["committee"]
    by_key = {s["key"]: s for s in committee["sources"]}
    assert set(by_key) == {"seed-plan", "src-gsiic-tc28"}
    assert {s["__typename"] for s in committee["sources"]} == {"Source"}
    assert by_key["seed-plan"]["iri"] == f"{IRI_BASE}/source/seed-plan"
    assert by_key["seed-plan"]["prefLabel"]["en"] == (
        "Plan for Establishing the MIIT Metaverse Standardization Working Group (Draft for Comment)"
    )


def test_sources_of_a_relationship_edge(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          tc28: committee(key: "sac-tc28") {
            counterpartOfEdges { evidence sources { key } node { key ... on Committee { designation } } }
          }
          tc590: committee(key: "sac-tc590") {
            counterpartOfEdges { evidence note { en } sources { key reliability } node { key } }
          }
          adopted: standard(key: "iso-22739-2020") {
            adoptedByEdges { degree sources { key url } node { key } }
          }
        }"""
    )
    assert data["tc28"]["counterpartOfEdges"] == [
        {
            "evidence": "STATED",
            "sources": [{"key": "src-gsiic-tc28"}],
            "node": {"key": "iso-iec-jtc1", "designation": "ISO/IEC JTC 1"},
        }
    ]
    (edge,) = data["tc590"]["counterpartOfEdges"]
    assert edge["evidence"] == "ADOPTION_PRACTICE"
    assert edge["node"] == {"key": "iso-tc307"}
    assert edge["sources"] == [{"key": "src-renrendoc-iso-22739-idt", "reliability": "SECONDARY"}]
    assert edge["note"]["en"].startswith("Evidence: TC590 is responsible for the IDT adoption")
    assert data["adopted"]["adoptedByEdges"] == [
        {
            "degree": "IDT",
            "sources": [
                {"key": "src-iso-73771", "url": "https://www.iso.org/standard/73771.html"},
                {
                    "key": "src-renrendoc-iso-22739-idt",
                    "url": "https://www.renrendoc.com/paper/336963134.html",
                },
            ],
            "node": {"key": "cn-plan-20210929-t-469"},
        }
    ]


def test_relationships_in_both_directions(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          jtc1: committee(key: "iso-iec-jtc1") {
            predecessors(orderBy: [{field: KEY}]) { key }
            domesticCounterparts { key }
            counterpartHolders { key }
            secretariat { key }
          }
          tc28: committee(key: "sac-tc28") { counterpartOf { key } secretariat { key } }
        }"""
    )
    assert data["jtc1"] == {
        "predecessors": [{"key": "iec-tc83"}, {"key": "iso-tc97"}],
        "domesticCounterparts": [{"key": "sac-tc28"}],
        "counterpartHolders": [{"key": "cesi"}],
        "secretariat": [{"key": "ansi"}],
    }
    assert data["tc28"] == {
        "counterpartOf": [{"key": "iso-iec-jtc1"}],
        "secretariat": [{"key": "cesi"}],
    }


def test_relationship_arguments_where_order_first(gql: GraphQLClient) -> None:
    jtc1 = gql.data(
        """{
          committee(key: "iso-iec-jtc1") {
            all: children { key }
            lastThree: children(first: 3, orderBy: [{field: KEY, direction: DESC}]) { key }
            active: children(where: {status: {eq: ACTIVE}}, orderBy: [{field: KEY}]) { key }
          }
        }"""
    )["committee"]
    children = [c["key"] for c in jtc1["all"]]
    seed = read_seed()
    assert children == sorted(
        r.start
        for r in seed.relations
        if r.type == "SUB_ORGANIZATION_OF" and r.end == "iso-iec-jtc1"
    )
    assert children == sorted(children)  # relationship lists are ordered by key by default
    assert [c["key"] for c in jtc1["lastThree"]] == sorted(children, reverse=True)[:3]
    assert [c["key"] for c in jtc1["active"]] == [
        "iso-iec-jtc1-sc24",
        "iso-iec-jtc1-sc27",
        "iso-iec-jtc1-sc29",
        "iso-iec-jtc1-sc36",
        "iso-iec-jtc1-sc37",
        "iso-iec-jtc1-sc38",
        "iso-iec-jtc1-sc42",
    ]


def test_private_person_fields_are_null_for_anonymous_readers(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          person(key: "person-li-ming") { key email phone prefLabel { zh en } memberOf { key } }
          persons(first: 100) { nodes { email phone } }
        }"""
    )
    assert data["person"] == {
        "key": "person-li-ming",
        "email": None,
        "phone": None,
        "prefLabel": {"zh": "李鸣", "en": "Li Ming"},
        "memberOf": [{"key": "cesi"}],
    }
    assert len(data["persons"]["nodes"]) == sum(
        1 for e in read_seed().entities if e.cls.name == "Person"
    )
    assert all(p == {"email": None, "phone": None} for p in data["persons"]["nodes"])
