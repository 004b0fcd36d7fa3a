"""The standards expert's corrections to the seed, read back through GraphQL over HTTP from the
real Neo4j: each corrected fact, the facts the sources do not support said so or gone, and the
well documented items that were missing, each with its committee and a publisher's source."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient


def _source_keys(entity: dict[str, Any]) -> set[str]:
    return {s["key"] for s in entity["sources"]}


def _all_sources(gql: GraphQLClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql.data(
            """query($after: String) { sources(first: 100, after: $after) {
                  nodes { key url reliability } pageInfo { hasNextPage endCursor } } }""",
            {"after": after},
        )["sources"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_cesa_has_its_official_name_and_keeps_the_plans_short_one(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          organization(key: "cesa") { prefLabel { zh en } altLabel { zh } }
          committee(key: "cesa-mwc") { prefLabel { zh } altLabel { zh } }
        }"""
    )
    cesa = data["organization"]
    assert cesa["prefLabel"]["zh"] == "中国电子工业标准化技术协会"
    assert "中国电子工业标准化协会" in cesa["altLabel"]["zh"]
    mwc = data["committee"]
    assert mwc["prefLabel"]["zh"] == "中国电子工业标准化技术协会元宇宙工作委员会"
    assert "中国电子工业标准化协会元宇宙工作委员会" in mwc["altLabel"]["zh"]


def test_the_pilot_plan_was_issued_by_four_departments_in_all(gql: GraphQLClient) -> None:
    doc = gql.data(
        """{ policyDocument(key: "doc-new-industry-standardization-pilot") {
              note { en } publishersEdges { node { key } sources { key } } } }"""
    )["policyDocument"]
    assert {e["node"]["key"] for e in doc["publishersEdges"]} == {"miit", "most", "nea", "sac"}
    assert all(e["sources"] for e in doc["publishersEdges"])
    assert "four departments in all" in doc["note"]["en"]
    assert "four other" not in doc["note"]["en"]


def test_the_2021_adoption_is_of_the_2020_edition_of_iso_22739(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          workItem(key: "cn-plan-20210929-t-469") {
            adoptsEdges { degree node { key ... on Standard { designation editionOf { key } } } }
          }
          standard(key: "iso-22739") {
            editions(orderBy: [{field: KEY}]) { key designation stageCode issued }
          }
          newer: standard(key: "iso-22739-2024") { replaces { key } sources { key url reliability } }
        }"""
    )
    (edge,) = data["workItem"]["adoptsEdges"]
    assert edge["degree"] == "IDT"
    assert edge["node"] == {
        "key": "iso-22739-2020",
        "designation": "ISO 22739:2020",
        "editionOf": {"key": "iso-22739"},
    }
    assert data["standard"]["editions"] == [
        {
            "key": "iso-22739-2020",
            "designation": "ISO 22739:2020",
            "stageCode": "95.99",
            "issued": "2020-07",
        },
        {
            "key": "iso-22739-2024",
            "designation": "ISO 22739:2024",
            "stageCode": "60.60",
            "issued": "2024-01",
        },
    ]
    newer = data["newer"]
    assert [r["key"] for r in newer["replaces"]] == ["iso-22739-2020"]
    assert newer["sources"] == [
        {
            "key": "src-iso-82208",
            "url": "https://www.iso.org/standard/82208.html",
            "reliability": "PRIMARY",
        }
    ]


def test_iso_iec_23090_1_is_a_technical_report(gql: GraphQLClient) -> None:
    std = gql.data(
        '{ standard(key: "iso-iec-23090-1") { designation standardKind label(lang: EN) } }'
    )["standard"]
    assert std["designation"] == "ISO/IEC TR 23090-1"
    assert std["standardKind"] == "TR"
    assert std["label"].startswith("ISO/IEC TR 23090-1")


def test_iso_tc307_wg3_has_its_full_title(gql: GraphQLClient) -> None:
    wg = gql.data('{ committee(key: "iso-tc307-wg3") { label(lang: EN) sources { key url } } }')[
        "committee"
    ]
    assert wg["label"] == "ISO/TC 307/WG 3 Smart contracts and their applications"
    assert "https://www.iso.org/committee/6266604.html" in {s["url"] for s in wg["sources"]}


def test_primary_sources_are_the_publishers_own_pages(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          outcomes: source(key: "src-itu-metaverse-fgmv-outcomes") { url reliability }
          mandate: source(key: "src-itu-sg21-mandate") { url reliability }
          jeti: source(key: "src-jtc1info-ag-jeti") { url }
          agJeti: committee(key: "iso-iec-jtc1-ag-jeti") { key }
        }"""
    )
    assert data["outcomes"]["url"] == "https://www.itu.int/metaverse/fg-mv-outcomes/"
    assert data["mandate"]["url"].startswith(
        "https://www.itu.int/en/ITU-T/studygroups/2025-2028/21/"
    )
    # The AG JETI source was a placeholder page: it and the facts resting on it are gone.
    assert data["jeti"] is None
    assert data["agJeti"] is None
    sources = _all_sources(gql)
    assert len(sources) > 100  # both pages read
    for source in sources:
        url = source["url"] or ""
        assert "lorem-ipsum" not in url, source
        if source["key"].startswith("src-itu-") and source["reliability"] == "PRIMARY":
            assert url.startswith("https://www.itu.int/"), source


def test_the_working_groups_domestic_liaisons_are_proposed(gql: GraphQLClient) -> None:
    liaisons = gql.data(
        """{ committee(key: "miit-metaverse-wg") {
              liaisons { key liaisonStatus category note { en } } } }"""
    )["committee"]["liaisons"]
    domestic = [x for x in liaisons if x["category"] == "DOMESTIC_COORDINATION"]
    assert {x["key"] for x in domestic} == {
        "liaison-miit-metaverse-wg-sac-tc28",
        "liaison-miit-metaverse-wg-sac-tc242",
        "liaison-miit-metaverse-wg-sac-tc590",
    }
    for liaison in domestic:
        assert liaison["liaisonStatus"] == "PROPOSED"
        assert "planned liaison-officer system" in liaison["note"]["en"]


def test_forerunners_are_not_successors(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          fgmv: committee(key: "itu-t-fg-mv") {
            predecessors { key } forerunnersEdges { node { key } sources { key } note { en } }
          }
          wg: committee(key: "miit-metaverse-wg") { forerunnerOf { key } }
          tc: committee(key: "miit-metaverse-tc") { note { en } }
        }"""
    )
    fgmv = data["fgmv"]
    assert fgmv["predecessors"] == []
    (edge,) = fgmv["forerunnersEdges"]
    assert edge["node"]["key"] == "itu-t-sg16-cg-metaverse"
    assert edge["sources"]
    assert "no formal succession" in edge["note"]["en"]
    assert [c["key"] for c in data["wg"]["forerunnerOf"]] == ["miit-metaverse-tc"]
    assert "by name only" in data["tc"]["note"]["en"]


def test_ethics_and_information_security_are_not_placed_under_technology_governance(
    gql: GraphQLClient,
) -> None:
    data = gql.data(
        """{
          governance: concept(key: "concept-technology-governance") { narrower { key } }
          ethics: concept(key: "concept-ethics") { broader { key } }
          security: concept(key: "concept-information-security") { broader { key } }
        }"""
    )
    narrower = {c["key"] for c in data["governance"]["narrower"]}
    assert {"concept-privacy-protection", "concept-data-security"} <= narrower
    assert not {"concept-ethics", "concept-information-security"} & narrower
    assert data["ethics"]["broader"] == []
    assert data["security"]["broader"] == []


@pytest.mark.parametrize(
    ("key", "source"),
    [
        ("gb-t-42752-2023", "src-rubydoc-stage-names"),
        ("iec-pwi-100-49", "src-rubydoc-stage-names"),
        ("ieee-p7016-1", "src-rubydoc-harmonized-stage-codes"),
        ("wi-cn-metaverse-reference-architecture", "src-rubydoc-harmonized-stage-codes"),
    ],
)
def test_a_mapped_stage_code_says_so_and_cites_the_stage_table(
    gql: GraphQLClient, key: str, source: str
) -> None:
    entity = gql.data(
        """query($key: String!) { entity(key: $key) {
              ... on Standard { stageCode nativeStage note { en } sources { key } }
              ... on WorkItem { stageCode nativeStage note { en } sources { key } } } }""",
        {"key": key},
    )["entity"]
    assert entity["stageCode"]
    assert entity["nativeStage"]
    assert "the source gives only the native stage" in entity["note"]["en"]
    assert source in _source_keys(entity)


def test_the_missing_items_are_there_with_committees_and_sources(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          ieee2888: standard(key: "ieee-2888") {
            parts(orderBy: [{field: KEY}]) { key ... on Standard { designation issued }
              ... on WorkItem { designation projectKind } }
          }
          ieee3079: standard(key: "ieee-3079") { parts(orderBy: [{field: KEY}]) { key } }
          sab: committee(key: "ieee-cs-sab") { designation developed(first: 20) { key } }
          tr27: standard(key: "iso-iec-tr-23090-27") {
            standardKind stageCode partOf { key } developedBy { key } }
          amd: standard(key: "iso-iec-23090-14-2023-amd-1-2023") {
            designation amends { key } replaces { key } sources { url } }
          y4515: standard(key: "itu-t-y-4515") {
            designation issued developedBy { key } sources { url reliability } }
        }"""
    )
    parts = {p["key"]: p for p in data["ieee2888"]["parts"]}
    assert set(parts) == {
        "ieee-2888-1-2023",
        "ieee-2888-2-2023",
        "ieee-p2888-3",
        "ieee-2888-4-2023",
        "ieee-2888-5-2024",
    }
    assert parts["ieee-2888-1-2023"] == {
        "key": "ieee-2888-1-2023",
        "designation": "IEEE 2888.1-2023",
        "issued": "2024-01-08",
    }
    assert parts["ieee-p2888-3"]["projectKind"] == "PAR"
    assert [p["key"] for p in data["ieee3079"]["parts"]] == ["ieee-3079-2020", "ieee-3079-3-2023"]
    assert data["sab"]["designation"] == "C/SAB"
    assert set(parts) | {"ieee-3079-2020", "ieee-3079-3-2023"} <= {
        d["key"] for d in data["sab"]["developed"]
    }
    tr27 = data["tr27"]
    assert (tr27["standardKind"], tr27["stageCode"]) == ("TR", "60.00")
    assert [p["key"] for p in tr27["partOf"]] == ["iso-iec-23090"]
    assert [c["key"] for c in tr27["developedBy"]] == ["iso-iec-jtc1-sc29"]
    amd = data["amd"]
    assert amd["designation"] == "ISO/IEC 23090-14:2023/Amd 1:2023"
    assert [a["key"] for a in amd["amends"]] == ["iso-iec-23090-14-2023"]
    assert amd["replaces"] == []  # an amendment, not a replacement
    assert amd["sources"] == [{"url": "https://www.iso.org/standard/84769.html"}]
    y4515 = data["y4515"]
    assert y4515["issued"] == "2026-06-29"
    assert [c["key"] for c in y4515["developedBy"]] == ["itu-t-sg20"]
    assert y4515["sources"] == [
        {"url": "https://www.itu.int/rec/T-REC-Y.4515-202606-I", "reliability": "PRIMARY"}
    ]


def test_the_fg_mv_liaison_statement_has_its_public_date_and_purpose(gql: GraphQLClient) -> None:
    statement = gql.data(
        '{ liaisonStatement(key: "ls-itu-t-tsag-1807") { issued purpose state } }'
    )["liaisonStatement"]
    assert statement == {"issued": "2023-01-10", "purpose": "FOR_INFORMATION", "state": "POSTED"}
