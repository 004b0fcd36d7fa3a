"""GraphQL lists against the seed graph: connections (paging, totalCount, cursors), sorting, and
filters — operators, ranges, AND/OR/NOT, bilingual text, relationship filters."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import pytest

from loaders.seed import SeedData, read_seed
from tests.conftest import GraphQLClient


@cache
def seed() -> SeedData:
    return read_seed()


def seed_keys(class_name: str) -> set[str]:
    return {e.key for e in seed().entities if e.cls.name == class_name}


def seed_props(key: str) -> dict[str, Any]:
    return next(e.props for e in seed().entities if e.key == key)


def keys(connection: dict[str, Any]) -> list[str]:
    return [node["key"] for node in connection["nodes"]]


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# -- connections ----------------------------------------------------------------------------------
PAGE = """
query Page($first: Int!, $after: String) {
  committees(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { key } }
    nodes { key }
  }
}
"""


def test_paging_walks_every_committee_once(gql: GraphQLClient) -> None:
    walked: list[str] = []
    after: str | None = None
    pages = 0
    total = None
    while True:
        body = gql(PAGE, {"first": 7, "after": after})
        assert "errors" not in body
        assert body["extensions"]["cypherRoundTrips"] == 1
        page = body["data"]["committees"]
        pages += 1
        total = page["totalCount"]
        edge_keys = [edge["node"]["key"] for edge in page["edges"]]
        assert edge_keys == keys(page)
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        walked += edge_keys
        if not info["hasNextPage"]:
            break
        assert len(edge_keys) == 7
        after = info["endCursor"]
        assert pages < 20, "paging does not end"
    assert len(walked) == len(set(walked)), "a committee appeared on two pages"
    assert set(walked) == seed_keys("Committee")
    assert total == len(walked)
    assert pages == -(-total // 7)  # full pages of 7, then what is left
    assert walked == sorted(walked)  # without orderBy: by key, a stable total order


def test_page_after_the_last_item_is_empty(gql: GraphQLClient) -> None:
    last = gql.data(PAGE, {"first": 100})["committees"]
    assert last["pageInfo"]["hasNextPage"] is False
    after_end = gql.data(PAGE, {"first": 5, "after": last["pageInfo"]["endCursor"]})["committees"]
    assert after_end["nodes"] == []
    assert after_end["totalCount"] == len(seed_keys("Committee"))
    assert after_end["pageInfo"]["hasNextPage"] is False
    assert after_end["pageInfo"]["endCursor"] is None


def test_first_zero_counts_without_items(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          committees(first: 0) { totalCount nodes { key } pageInfo { hasNextPage } }
          standards(first: 0) { totalCount }
          entities(first: 0) { totalCount }
        }"""
    )
    assert data["committees"] == {
        "totalCount": len(seed_keys("Committee")),
        "nodes": [],
        "pageInfo": {"hasNextPage": True},
    }
    assert data["standards"]["totalCount"] == len(seed_keys("Standard"))
    assert data["entities"]["totalCount"] == len(seed().entities)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "Zm9vOjE=", "b2Zmc2V0Oi0x", "!!!!"])
def test_bad_after_cursor_is_bad_user_input(gql: GraphQLClient, cursor: str) -> None:
    # "Zm9vOjE=" is base64 of "foo:1", "b2Zmc2V0Oi0x" of "offset:-1".
    body = gql(
        "query($after: String) { committees(first: 2, after: $after) { nodes { key } } }",
        {"after": cursor},
    )
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "after"
    assert body["extensions"]["cypherRoundTrips"] == 0


# -- sorting --------------------------------------------------------------------------------------
SORTED = """
query Sorted($order: [CommitteeOrder!]) {
  committees(first: 100, orderBy: $order) { nodes { key designation prefLabel { en } } }
}
"""


def test_sort_by_designation_asc_and_desc(gql: GraphQLClient) -> None:
    asc = gql.data(SORTED, {"order": [{"field": "DESIGNATION"}]})["committees"]["nodes"]
    desc = gql.data(SORTED, {"order": [{"field": "DESIGNATION", "direction": "DESC"}]})[
        "committees"
    ]["nodes"]
    assert len(asc) == len(desc) == len(seed_keys("Committee"))
    asc_designations = [n["designation"] for n in asc if n["designation"] is not None]
    desc_designations = [n["designation"] for n in desc if n["designation"] is not None]
    assert asc_designations == sorted(asc_designations)
    assert desc_designations == sorted(asc_designations, reverse=True)
    assert asc_designations[:3] == ["ARMDWG", "BDL SC", "C/LT"]
    assert desc_designations[:2] == ["TSAG", "TC28/SG4"]
    # Committees without a designation stay together at one end.
    for nodes in (asc, desc):
        flags = [n["designation"] is None for n in nodes]
        assert flags in (sorted(flags), sorted(flags, reverse=True))


def test_sort_by_english_label_asc_and_desc_as_literals(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          asc: committees(first: 100, orderBy: [{field: PREF_LABEL_EN}]) { nodes { prefLabel { en } } }
          desc: committees(first: 100, orderBy: [{field: PREF_LABEL_EN, direction: DESC}]) {
            nodes { prefLabel { en } }
          }
        }"""
    )
    asc = [n["prefLabel"]["en"] for n in data["asc"]["nodes"]]
    desc = [n["prefLabel"]["en"] for n in data["desc"]["nodes"]]
    assert asc == sorted(asc)
    assert desc == sorted(asc, reverse=True)
    assert asc[:2] == ["3GPP RAN", "3GPP SA4"]
    assert desc[0] == (
        "SAC/TC28 Subcommittee on Computer Graphics, Image Processing and Environmental Data "
        "Representation"
    )


def test_sort_by_two_fields(gql: GraphQLClient) -> None:
    nodes = gql.data(
        """{
          committees(
            where: {committeeKind: {in: [TC, JTC]}}
            orderBy: [{field: STATUS}, {field: DESIGNATION, direction: DESC}]
          ) { nodes { key status } }
        }"""
    )["committees"]["nodes"]
    assert [(n["status"], n["key"]) for n in nodes] == [
        ("ACTIVE", "sac-tc590"),
        ("ACTIVE", "sac-tc28"),
        ("ACTIVE", "sac-tc242"),
        ("ACTIVE", "iso-tc307"),
        ("ACTIVE", "iso-iec-jtc1"),
        ("ACTIVE", "iec-tc100"),
        ("CONCLUDED", "iso-tc97"),
        ("CONCLUDED", "iec-tc83"),
        ("PROPOSED", "miit-metaverse-tc"),
    ]


# -- property filters -----------------------------------------------------------------------------
def test_eq_and_in(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          eq: committees(where: {designation: {eq: "SAC/TC590"}}) { totalCount nodes { key } }
          in: committees(where: {key: {in: ["sac-tc28", "sac-tc590", "no-such-key"]}}) { nodes { key } }
          enumIn: committees(where: {committeeKind: {in: [JTC, JSEG]}}) { nodes { key } }
          none: committees(where: {designation: {eq: "sac/tc590"}}) { totalCount }
        }"""
    )
    assert data["eq"] == {"totalCount": 1, "nodes": [{"key": "sac-tc590"}]}
    assert keys(data["in"]) == ["sac-tc28", "sac-tc590"]
    assert keys(data["enumIn"]) == ["iso-iec-jseg15", "iso-iec-jtc1"]
    assert data["none"]["totalCount"] == 0  # eq is exact; contains is the forgiving one


def test_contains_is_case_insensitive(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          lower: committees(where: {designation: {contains: "sac/tc"}}) { nodes { key } }
          upper: committees(where: {designation: {contains: "SAC/TC"}}) { nodes { key } }
          label: committees(where: {prefLabel: {contains: "BLOCKCHAIN"}}) { nodes { key } }
        }"""
    )
    expected = ["sac-tc242", "sac-tc28", "sac-tc28-sc24", "sac-tc590"]
    assert keys(data["lower"]) == keys(data["upper"]) == expected
    assert keys(data["label"]) == ["ieee-cs-bdl-sc", "iso-tc307", "sac-tc590"]


def test_starts_with_and_ends_with(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          starts: committees(where: {designation: {startsWith: "ISO/TC 307"}}) { nodes { key } }
          ends: standards(where: {designation: {endsWith: "-2024"}}) { nodes { key } }
        }"""
    )
    assert keys(data["starts"]) == ["iso-tc307", "iso-tc307-wg1", "iso-tc307-wg2", "iso-tc307-wg3"]
    assert keys(data["ends"]) == [
        "gb-t-44021-4-2024",
        "gb-t-44220-2024",
        "gy-t-411-2024",
        "ieee-2888-5-2024",
    ]


def test_partial_date_ranges(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          orgs: organizations(where: {founded: {gte: "2000"}}, orderBy: [{field: FOUNDED}]) {
            nodes { key founded }
          }
          committees: committees(where: {founded: {gte: "2020", lt: "2023"}}, orderBy: [{field: FOUNDED}]) {
            nodes { key founded }
          }
          year: committees(where: {founded: {startsWith: "1987"}}) { nodes { key } }
          before: committees(where: {founded: {lt: "1990"}}) { nodes { key founded } }
        }"""
    )
    assert data["orgs"]["nodes"] == [
        {"key": "sac", "founded": "2001-10"},
        {"key": "msf", "founded": "2022-06-21"},
        {"key": "global-initiative-virtual-worlds", "founded": "2024-06-14"},
    ]
    assert data["committees"]["nodes"] == [
        {"key": "sac-tc590", "founded": "2021-10-29"},
        {"key": "itu-t-fg-mv", "founded": "2022-12-16"},
    ]
    assert keys(data["year"]) == ["iso-iec-jtc1", "iso-iec-jtc1-sc24"]
    assert data["before"]["nodes"] == [
        {"key": "iso-iec-jtc1", "founded": "1987"},
        {"key": "iso-iec-jtc1-sc24", "founded": "1987"},
        {"key": "sac-tc28", "founded": "1983"},
    ]


def test_full_date_ranges(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          standards(where: {effective: {gte: "2023-01-01", lt: "2024-01-01"}}) {
            nodes { key effective issued }
          }
        }"""
    )
    assert data["standards"]["nodes"] == [
        {"key": "gb-t-42752-2023", "effective": "2023-12-01", "issued": "2023-05-23"}
    ]


def test_stage_code_ranges(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          published: standards(where: {stageCode: {gte: "60.00", lt: "61.00"}}) { nodes { key } }
          early: workItems(where: {stageCode: {lt: "20.00"}}) { nodes { key stageCode } }
          approved: workItems(where: {stageCode: {eq: "10.99"}}) { nodes { key } }
        }"""
    )
    assert keys(data["published"]) == sorted(
        k
        for k in seed_keys("Standard")
        if "60.00" <= (seed_props(k).get("stageCode") or "") < "61.00"
    )
    assert keys(data["published"]) == [
        "gb-t-42752-2023",
        "gb-t-46483-2025",
        "iec-tr-63308-2021",
        "iec-tr-63614-1-2026",
        "iec-tr-63614-3-2026",
        "iso-22739-2024",
        "iso-iec-23005-1-2020",
        "iso-iec-23090-14-2023-amd-1-2023",
        "iso-iec-23090-14-2025",
        "iso-iec-tr-23090-27",  # 60.00, under publication
    ]
    assert {n["key"]: n["stageCode"] for n in data["early"]["nodes"]} == {
        "iec-pwi-100-49": "00.00",
        "iec-pwi-tr-100-58": "00.00",
        "iec-pwi-tr-100-59": "00.00",
        "ieee-p7016-1": "10.99",
        "wi-cn-industrial-metaverse-construction-spec": "00.00",
        "wi-cn-metaverse-industry-prestudy-1": "00.00",
        "wi-cn-metaverse-industry-prestudy-2": "00.00",
        "wi-cn-metaverse-industry-prestudy-3": "00.00",
        "wi-cn-metaverse-industry-prestudy-4": "00.00",
        "wi-cn-metaverse-reference-architecture": "10.99",
    }
    assert keys(data["approved"]) == ["ieee-p7016-1", "wi-cn-metaverse-reference-architecture"]


def test_is_null(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          noKind: standards(where: {standardKind: {isNull: true}}) { nodes { key } }
          withStatus: committees(where: {status: {isNull: false}}) { totalCount }
          withoutStatus: committees(where: {status: {isNull: true}}) { totalCount }
        }"""
    )
    assert keys(data["noKind"]) == sorted(
        k for k in seed_keys("Standard") if seed_props(k).get("standardKind") is None
    )
    assert "x3d" in keys(data["noKind"])
    with_status = sum(1 for k in seed_keys("Committee") if seed_props(k).get("status"))
    assert 0 < with_status < len(seed_keys("Committee"))  # both filters have something to find
    assert data["withStatus"]["totalCount"] == with_status
    assert data["withoutStatus"]["totalCount"] == len(seed_keys("Committee")) - with_status


def test_and_or_not(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          and: committees(where: {AND: [
            {committeeKind: {eq: TC}}, {status: {eq: ACTIVE}}, {designation: {startsWith: "SAC"}}
          ]}) { nodes { key } }
          or: committees(where: {OR: [
            {designation: {eq: "SAC/TC28"}}, {designation: {eq: "ISO/TC 307"}}
          ]}) { nodes { key } }
          not: committees(where: {committeeKind: {eq: TC}, NOT: {status: {eq: ACTIVE}}}) {
            nodes { key status }
          }
          nested: committees(where: {
            committeeKind: {eq: TC}
            OR: [{status: {eq: CONCLUDED}}, {AND: [{status: {eq: ACTIVE}}, {founded: {gte: "2016"}}]}]
          }) { nodes { key } }
        }"""
    )
    assert keys(data["and"]) == ["sac-tc242", "sac-tc28", "sac-tc590"]
    assert keys(data["or"]) == ["iso-tc307", "sac-tc28"]
    assert data["not"]["nodes"] == [
        {"key": "iec-tc83", "status": "CONCLUDED"},
        {"key": "iso-tc97", "status": "CONCLUDED"},
        {"key": "miit-metaverse-tc", "status": "PROPOSED"},
    ]
    assert keys(data["nested"]) == ["iec-tc83", "iso-tc307", "iso-tc97", "sac-tc590"]


def test_not_is_the_complement(gql: GraphQLClient) -> None:
    """`NOT: X` returns exactly the entities `X` does not return — including those that have no
    value for the property (39 committees have no status; they are certainly not ACTIVE)."""
    data = gql.data(
        """{
          all: committees(first: 100) { totalCount nodes { key } }
          active: committees(first: 100, where: {status: {eq: ACTIVE}}) { totalCount nodes { key } }
          notActive: committees(first: 100, where: {NOT: {status: {eq: ACTIVE}}}) {
            totalCount nodes { key }
          }
          ne: committees(first: 100, where: {status: {ne: ACTIVE}}) { totalCount nodes { key } }
          notConcluded: committees(first: 100, where: {NOT: {dissolved: {lt: "2000"}}}) {
            totalCount
          }
        }"""
    )
    active, not_active = set(keys(data["active"])), set(keys(data["notActive"]))
    assert active.isdisjoint(not_active)
    assert active | not_active == set(keys(data["all"]))
    assert data["active"]["totalCount"] + data["notActive"]["totalCount"] == len(
        seed_keys("Committee")
    )
    assert "iso-tc307-wg1" in not_active  # a working group with no recorded status
    assert set(keys(data["ne"])) == not_active
    dissolved_early = sum(
        1 for k in seed_keys("Committee") if (seed_props(k).get("dissolved") or "9999") < "2000"
    )
    assert dissolved_early == 2  # ISO/TC 97 and IEC/TC 83, 1987
    assert data["notConcluded"]["totalCount"] == len(seed_keys("Committee")) - dissolved_early


def test_text_filter_with_lang(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          zh: committees(where: {prefLabel: {contains: "区块链", lang: ZH}}) { nodes { key } }
          zhInEn: committees(where: {prefLabel: {contains: "区块链", lang: EN}}) { nodes { key } }
          en: committees(where: {prefLabel: {contains: "blockchain", lang: EN}}) { nodes { key } }
          anyLang: concepts(where: {prefLabel: {eq: "区块链"}}) { nodes { key } }
          enEq: concepts(where: {prefLabel: {eq: "Blockchain", lang: EN}}) { nodes { key } }
          wrongLang: concepts(where: {prefLabel: {eq: "Blockchain", lang: ZH}}) { nodes { key } }
          alt: concepts(where: {altLabel: {contains: "DLT", lang: EN}}) { nodes { key } }
          starts: concepts(where: {prefLabel: {startsWith: "虚拟", lang: ZH}}) { nodes { key } }
        }"""
    )
    blockchain_committees = ["ieee-cs-bdl-sc", "iso-tc307", "sac-tc590"]
    assert keys(data["zh"]) == blockchain_committees
    assert keys(data["zhInEn"]) == []
    assert keys(data["en"]) == blockchain_committees
    assert keys(data["anyLang"]) == ["concept-blockchain"]
    assert keys(data["enEq"]) == ["concept-blockchain"]
    assert keys(data["wrongLang"]) == []
    assert keys(data["alt"]) == ["concept-blockchain"]
    assert keys(data["starts"]) == [
        "concept-virtual-digital-human",
        "concept-virtual-reality",
        "concept-virtual-to-real-adaptation",
        "concept-virtual-to-virtual-exchange",
    ]


def test_entities_filter_by_type(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          entities(where: {types: [Committee, Organization], prefLabel: {contains: "SAC/TC28"}}) {
            nodes { __typename key }
          }
        }"""
    )
    assert data["entities"]["nodes"] == [
        {"__typename": "Committee", "key": "sac-tc28-sc24"},
        {"__typename": "Committee", "key": "tc28-sg4"},
    ]


# -- relationship filters -------------------------------------------------------------------------
def test_committees_with_a_liaison_with_a_partner(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          holders: committees(where: {liaisons: {some: {partner: {some: {key: {eq: "sac-tc28"}}}}}}) {
            nodes { key }
          }
          partners: committees(
            where: {liaisonsAsPartner: {some: {holder: {some: {key: {eq: "miit-metaverse-wg"}}}}}}
          ) { nodes { key } }
          partnerOrgs: organizations(where: {liaisonsAsPartner: {exists: true}}) { nodes { key } }
          anyLiaison: committees(where: {liaisons: {exists: true}}) { nodes { key } }
          categoryC: committees(where: {liaisons: {some: {category: {eq: ISO_IEC_C}}}}) {
            nodes { key }
          }
        }"""
    )
    assert keys(data["holders"]) == ["miit-metaverse-wg"]
    assert keys(data["partners"]) == ["sac-tc242", "sac-tc28", "sac-tc590"]
    assert keys(data["partnerOrgs"]) == [
        "dgiwg",
        "ieee",
        "ietf",
        "iho",
        "khronos",
        "ogc",
        "sedris",
        "siso",
    ]
    assert keys(data["anyLiaison"]) == [
        "iec-tc100",
        "iso-iec-jtc1-sc24-wg8",
        "iso-iec-jtc1-sc27",
        "iso-iec-jtc1-sc29",
        "iso-iec-jtc1-sc36",
        "iso-iec-jtc1-sc38",
        "iso-iec-jtc1-sc42",
        "itu-t-sg16",
        "miit-metaverse-wg",
    ]
    assert keys(data["categoryC"]) == ["iso-iec-jtc1-sc24-wg8"]


def test_edge_filter_adoption_degree(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          standards(where: {adoptedBy: {edge: {degree: {eq: IDT}}}}) {
            nodes { key adoptedByEdges { degree node { key } } }
          }
          mod: standards(where: {adoptedBy: {edge: {degree: {eq: MOD}}}}) { totalCount }
        }"""
    )
    assert data["standards"]["nodes"] == [
        {
            "key": "iec-62087-4-2015",
            "adoptedByEdges": [{"degree": "IDT", "node": {"key": "gb-t-44021-4-2024"}}],
        },
        {
            "key": "iso-22739-2020",
            "adoptedByEdges": [{"degree": "IDT", "node": {"key": "cn-plan-20210929-t-469"}}],
        },
    ]
    assert data["mod"]["totalCount"] == 0


def test_edge_filter_counterpart_evidence(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          stated: committees(where: {counterpartOf: {edge: {evidence: {eq: STATED}}}}) { nodes { key } }
          inferred: committees(
            where: {counterpartOf: {edge: {evidence: {in: [ADOPTION_PRACTICE, NAME_MATCH]}}}}
          ) { nodes { key } }
        }"""
    )
    assert keys(data["stated"]) == ["sac-tc242", "sac-tc28"]
    assert keys(data["inferred"]) == ["sac-tc28-sc24", "sac-tc590"]


def test_concepts_under_a_broader_concept(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          concepts(where: {broader: {some: {key: {eq: "concept-foundational-standards"}}}}) {
            nodes { key }
          }
          governance: concepts(where: {broader: {some: {key: {eq: "concept-technology-governance"}}}}) {
            nodes { key }
          }
        }"""
    )
    assert keys(data["concepts"]) == ["concept-reference-architecture", "concept-terminology"]
    expected = sorted(
        r.start
        for r in seed().relations
        if r.type == "BROADER" and r.end == "concept-technology-governance"
    )
    assert keys(data["governance"]) == expected
    # Privacy, content regulation, data security; the plan lists ethics and information security
    # as risks without placing them under 技术治理.
    assert len(expected) == 3


def test_relationship_exists_false(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          noSecretariat: committees(where: {committeeKind: {eq: TC}, secretariat: {exists: false}}) {
            nodes { key }
          }
          undeveloped: standards(first: 100, where: {developedBy: {exists: false}}) { nodes { key } }
        }"""
    )
    assert keys(data["noSecretariat"]) == ["iec-tc100", "iec-tc83", "iso-tc97"]
    developed: dict[str, set[str]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "DEVELOPED_BY":
            developed[r.start].add(r.end)
    expected = sorted(k for k in seed_keys("Standard") if k not in developed)
    assert keys(data["undeveloped"]) == expected
    assert "gy-t-411-2024" in expected


def test_relationship_none_and_all(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          allWg: committees(
            where: {children: {exists: true, all: {prefLabel: {contains: "wg", lang: EN}}}}
          ) { nodes { key } }
          noConcluded: committees(
            where: {committeeKind: {eq: JTC}, children: {none: {status: {eq: CONCLUDED}}}}
          ) { nodes { key } }
          someConcluded: committees(where: {children: {some: {status: {eq: CONCLUDED}}}}) {
            nodes { key }
          }
        }"""
    )
    children: dict[str, list[str]] = defaultdict(list)
    for r in seed().relations:
        if r.type == "SUB_ORGANIZATION_OF":
            children[r.end].append(r.start)
    expected = sorted(
        parent
        for parent, kids in children.items()
        if parent in seed_keys("Committee")
        and all("wg" in seed_props(kid)["prefLabel_en"].lower() for kid in kids)
    )
    assert keys(data["allWg"]) == expected
    assert expected == ["iec-tc100-ta1", "iso-iec-jtc1-sc24", "iso-tc307"]
    assert keys(data["noConcluded"]) == []  # JTC 1 has WG 7 and WG 10, both concluded
    assert keys(data["someConcluded"]) == [
        "iso-iec-jtc1",
        "iso-iec-jtc1-sc29",
        "itu-t-fg-mv",
        "itu-t-tsag",
    ]


def test_all_requires_every_related_entity_to_match(gql: GraphQLClient) -> None:
    """`all` holds when every related entity matches; a child with no recorded status does not
    match `status: {eq: ACTIVE}`, so ISO/TC 307 (three working groups, no status) is not in it."""
    data = gql.data(
        """{
          active: committees(where: {children: {exists: true, all: {status: {eq: ACTIVE}}}}) {
            nodes { key children { key ... on Committee { status } } }
          }
          wg: committees(where: {children: {exists: true, all: {committeeKind: {eq: WG}}}}) {
            nodes { key children { key ... on Committee { committeeKind } } }
          }
        }"""
    )
    for node in data["active"]["nodes"]:
        assert all(child.get("status") == "ACTIVE" for child in node["children"]), node
    assert "iso-tc307" not in keys(data["active"])
    # SC 29's JPEG group has no recorded kind, so not all of SC 29's children are WGs.
    for node in data["wg"]["nodes"]:
        assert all(child.get("committeeKind") == "WG" for child in node["children"]), node
    assert keys(data["wg"]) == [
        "iec-tc100-ta1",
        "ieee-cts-msc",
        "iso-iec-jtc1-sc24",
        "iso-tc307",
        "itu-t-fg-mv",
    ]


def test_related_to_given_keys_lists_each_node_once(gql: GraphQLClient) -> None:
    """A `some` filter naming keys is matched from those keys (graph.compile._key_anchor): a
    standard developed by two of them is still one node, counted once, and the other filters
    still apply."""
    developers: dict[str, set[str]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "DEVELOPED_BY":
            developers[r.start].add(r.end)
    pair = ["iso-iec-jtc1-sc24", "iso-iec-jtc1-sc29"]
    expected = sorted(k for k, v in developers.items() if v & set(pair))
    assert "iso-iec-18039" in expected  # developed by both
    data = gql.data(
        """query Both($pair: [String!]!, $one: String!) {
          both: standards(where: {developedBy: {some: {key: {in: $pair}}}}) {
            totalCount nodes { key }
          }
          narrowed: standards(where: {
            developedBy: {some: {key: {in: $pair}, committeeKind: {eq: SC}}},
            key: {ne: $one}
          }) { totalCount nodes { key } }
          none: standards(where: {developedBy: {some: {key: {eq: $one}}}}) { totalCount nodes { key } }
        }""",
        {"pair": pair, "one": "iso-iec-18039"},
    )
    assert keys(data["both"]) == expected
    assert data["both"]["totalCount"] == len(expected)
    narrowed = [k for k in expected if k != "iso-iec-18039"]
    assert keys(data["narrowed"]) == narrowed
    assert data["narrowed"]["totalCount"] == len(narrowed)
    assert data["none"] == {"totalCount": 0, "nodes": []}  # a standard develops nothing


def test_edges_return_the_properties_selected_and_only_those(gql: GraphQLClient) -> None:
    """An edge's projection carries only the fields asked for (graph.compile: `edge_props`):
    its own properties and bookkeeping come back when selected, directly or in a fragment,
    and an alias that asks for less gets less."""
    standards = seed_keys("Standard")
    adopts = {
        (r.start, r.end): r.props["degree"]
        for r in seed().relations
        if r.type == "ADOPTS" and r.start in standards
    }
    data = gql.data(
        """{
          standards(first: 100, where: {adopts: {exists: true}}) {
            nodes {
              key
              full: adoptsEdges { degree createdAt createdBy ... on AdoptsEdge { updatedAt } node { key } }
              bare: adoptsEdges { node { key } }
            }
          }
        }"""
    )
    seen: dict[tuple[str, str], str] = {}
    for standard in data["standards"]["nodes"]:
        assert len(standard["full"]) == len(standard["bare"])
        for full, bare in zip(standard["full"], standard["bare"], strict=True):
            assert set(bare) == {"node"}
            assert full["node"] == bare["node"]
            assert full["createdAt"]
            assert full["updatedAt"]
            assert full["createdBy"]
            seen[(standard["key"], full["node"]["key"])] = full["degree"]
    assert seen == adopts
