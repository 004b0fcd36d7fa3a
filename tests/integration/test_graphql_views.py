"""The three user groups' views of the seed graph — liaison officers, international delegates and
researchers. Each view is one GraphQL operation, kept as a module-level constant so that it can be
pasted into the README (and into GraphiQL) exactly as tested."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from loaders.seed import SeedData, read_seed
from ontology.vocab import DOMESTIC_PROJECT_KINDS, DOMESTIC_STANDARD_KINDS
from tests.conftest import GraphQLClient

# Liaison officer: every liaison the MIIT Metaverse Standardization Working Group holds — category,
# status, the partner on the other side, the contacts on each side, the last liaison statement
# exchanged and the next reply deadline — plus its planned liaison-officer post, and every liaison
# statement still awaiting a reply, earliest deadline first.
LIAISON_OFFICER_VIEW = """
query LiaisonOfficer {
  committee(key: "miit-metaverse-wg") {
    key
    label(lang: ZH)
    secretariat { key label(lang: ZH) }
    liaisonOfficers: posts(where: { role: { eq: LIAISON_OFFICER } }) {
      key
      postStatus
      holderDescription { zh en }
      holders { key label }
    }
    liaisons(orderBy: [{ field: KEY }]) {
      key
      category
      liaisonStatus
      since
      until
      description { zh en }
      partner { __typename key label(lang: ZH) ... on Committee { designation } }
      contactsEdges { side node { key label email phone } }
      lastExchange { key prefLabel { zh en } issued direction purpose replyStatus }
      nextDeadline
      statementCount
      sources { key }
    }
  }
  awaitingReply: liaisonStatements(
    where: { replyStatus: { eq: AWAITING } }
    orderBy: [{ field: DEADLINE }]
  ) {
    totalCount
    nodes {
      key
      prefLabel { zh en }
      identifiers
      issued
      deadline
      purpose
      liaison { key }
      from { key }
      to { key }
    }
  }
}
"""

# International delegate: the domestic ↔ international mapping — domestic work items and standards
# that adopt an international item, with the degree of correspondence and the stage on each side —
# and the gap analysis both ways: everywhere, for blockchain, and for the foundational-standards
# demand direction (the concept and every narrower concept).
DELEGATE_VIEW = """
query Delegate {
  domesticProjects: workItems(first: 20, where: { adopts: { exists: true } }) {
    nodes {
      key
      designation
      label(lang: ZH)
      projectKind
      stageCode
      nativeStage
      developedBy { key ... on Committee { designation } }
      adoptsEdges {
        degree
        sources { key }
        node {
          __typename
          key
          ... on Standard { designation stageCode standardKind }
          ... on WorkItem { designation stageCode projectKind }
        }
      }
    }
  }
  domesticStandards: standards(first: 20, where: { adopts: { exists: true } }) {
    nodes {
      key
      designation
      standardKind
      stageCode
      developedBy { key ... on Committee { designation } }
      adoptsEdges {
        degree
        node { __typename key ... on Standard { designation stageCode standardKind } }
      }
    }
  }
  internationalWithoutDomestic: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC) {
    __typename
    key
    label
    ... on Standard { designation standardKind stageCode }
    ... on WorkItem { designation projectKind stageCode }
  }
  domesticWithoutInternational: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL) {
    __typename
    key
    label(lang: ZH)
    ... on Standard { designation standardKind }
    ... on WorkItem { designation projectKind }
  }
  blockchainInternationalWithoutDomestic: gaps(
    direction: INTERNATIONAL_WITHOUT_DOMESTIC
    concept: "concept-blockchain"
  ) { key }
  blockchainDomesticWithoutInternational: gaps(
    direction: DOMESTIC_WITHOUT_INTERNATIONAL
    concept: "concept-blockchain"
  ) { key }
  foundationalInternationalWithoutDomestic: gaps(
    direction: INTERNATIONAL_WITHOUT_DOMESTIC
    concept: "concept-foundational-standards"
  ) { key }
  foundationalDomesticWithoutInternational: gaps(
    direction: DOMESTIC_WITHOUT_INTERNATIONAL
    concept: "concept-foundational-standards"
  ) { key }
}
"""

# Researcher: the concept schemes with their top concepts; the four standardization demand
# directions with their narrower concepts and the standards, work items and committees about each;
# what is about blockchain; and two aggregations (standards per subject, committees per kind).
RESEARCHER_VIEW = """
query Researcher {
  schemes: conceptSchemes(orderBy: [{ field: KEY }]) {
    totalCount
    nodes { key label(lang: ZH) topConcepts { key } }
  }
  demandDirections: conceptScheme(key: "scheme-demand-directions") {
    key
    label(lang: ZH)
    topConcepts(orderBy: [{ field: NOTATION }]) {
      key
      notation
      label(lang: ZH)
      narrower(orderBy: [{ field: KEY }]) {
        key
        label(lang: ZH)
        subjectOf(where: { types: [Standard, WorkItem, Committee] }) { __typename key label }
      }
    }
  }
  blockchain: concept(key: "concept-blockchain") {
    key
    label
    broader { key }
    schemes { key }
    standards: subjectOf(where: { types: [Standard, WorkItem] }) {
      __typename
      key
      ... on Standard { designation }
      ... on WorkItem { designation }
    }
    committees: subjectOf(where: { types: [Committee] }) { key ... on Committee { designation } }
    related { key }
    relatedFrom { key }
  }
  standardsPerSubject: standardCounts(groupBy: [SUBJECTS]) {
    count
    values { value label { zh en } }
  }
  committeesPerKind: committeeCounts(groupBy: [COMMITTEE_KIND]) {
    count
    values { value }
  }
}
"""


@cache
def seed() -> SeedData:
    return read_seed()


def seed_entities(*class_names: str) -> dict[str, dict[str, Any]]:
    return {e.key: e.props for e in seed().entities if e.cls.name in class_names}


def keys(items: list[dict[str, Any]]) -> list[str]:
    return [item["key"] for item in items]


def run(gql: GraphQLClient, view: str) -> dict[str, Any]:
    body = gql(view)
    assert "errors" not in body, body["errors"]
    # One Cypher statement per root field, however deep the view nests.
    assert body["extensions"]["cypherRoundTrips"] == len(body["data"])
    data: dict[str, Any] = body["data"]
    return data


# -- liaison officer ------------------------------------------------------------------------------
def test_liaison_officer_view(gql: GraphQLClient) -> None:
    data = run(gql, LIAISON_OFFICER_VIEW)
    wg = data["committee"]
    assert wg["key"] == "miit-metaverse-wg"
    assert wg["label"] == "工业和信息化部元宇宙标准化工作组"
    assert wg["secretariat"] == [{"key": "cesi", "label": "中国电子技术标准化研究院"}]
    assert wg["liaisonOfficers"] == [
        {
            "key": "post-miit-metaverse-wg-liaison-officer",
            "postStatus": "PLANNED",
            "holderDescription": {
                "zh": "计划建立联络人制度，加强与元宇宙相关行业和应用领域标准化组织的协作。",
                "en": "A liaison-officer system is planned, to strengthen collaboration with "
                "standardization organizations in metaverse-related industries and application "
                "fields.",
            },
            "holders": [],
        }
    ]
    liaisons = wg["liaisons"]
    assert keys(liaisons) == [
        "liaison-miit-metaverse-wg-sac-tc242",
        "liaison-miit-metaverse-wg-sac-tc28",
        "liaison-miit-metaverse-wg-sac-tc590",
    ]
    partners = {liaison["key"]: liaison["partner"] for liaison in liaisons}
    assert partners["liaison-miit-metaverse-wg-sac-tc28"] == {
        "__typename": "Committee",
        "key": "sac-tc28",
        "label": "全国信息技术标准化技术委员会",
        "designation": "SAC/TC28",
    }
    assert [p["designation"] for p in partners.values()] == ["SAC/TC242", "SAC/TC28", "SAC/TC590"]
    for liaison in liaisons:
        assert liaison["category"] == "DOMESTIC_COORDINATION"
        # The plan describes earlier coordination and a planned liaison system, no liaison yet.
        assert liaison["liaisonStatus"] == "PROPOSED"
        assert liaison["since"] is None
        assert liaison["until"] is None
        assert "SAC/TC590" in liaison["description"]["zh"]
        assert liaison["description"]["en"].startswith("To prepare the metaverse industry")
        assert liaison["sources"] == [{"key": "seed-plan"}]
        # The seed records no contacts and no liaison statements yet.
        assert liaison["contactsEdges"] == []
        assert liaison["lastExchange"] is None
        assert liaison["nextDeadline"] is None
        assert liaison["statementCount"] == 0
    # The public record: two FG-MV statements to the IETF for action, past their deadlines.
    awaiting = data["awaitingReply"]
    assert awaiting["totalCount"] == 2
    assert [
        (n["key"], n["issued"], n["deadline"], n["purpose"], n["liaison"], n["from"], n["to"])
        for n in awaiting["nodes"]
    ] == [
        (
            "ls-itu-t-fg-mv-1866",
            "2023-10-18",
            "2023-11-20",
            "FOR_ACTION",
            {"key": "liaison-itu-t-ietf"},
            [{"key": "itu-t-fg-mv"}],
            [{"key": "ietf"}],
        ),
        (
            "ls-itu-t-fg-mv-1913",
            "2024-04-17",
            "2024-05-03",
            "FOR_ACTION",
            {"key": "liaison-itu-t-ietf"},
            [{"key": "itu-t-fg-mv"}],
            [{"key": "ietf"}],
        ),
    ]


def test_liaison_officer_sees_the_category_c_liaisons_of_sc24_wg8(gql: GraphQLClient) -> None:
    wg8 = gql.data(
        """{
          committee(key: "iso-iec-jtc1-sc24-wg8") {
            liaisons { category liaisonStatus partner { __typename key } sources { key } }
          }
        }"""
    )["committee"]
    assert sorted(liaison["partner"]["key"] for liaison in wg8["liaisons"]) == [
        "dgiwg",
        "iho",
        "ogc",
        "sedris",
        "siso",
    ]
    for liaison in wg8["liaisons"]:
        assert liaison["category"] == "ISO_IEC_C"
        assert liaison["liaisonStatus"] == "ACTIVE"
        assert liaison["partner"]["__typename"] == "Organization"
        assert liaison["sources"] == [{"key": "src-sedris-wg8-participation"}]


# -- delegate -------------------------------------------------------------------------------------
def is_domestic(props: dict[str, Any]) -> bool:
    return (
        props.get("standardKind") in DOMESTIC_STANDARD_KINDS
        or props.get("projectKind") in DOMESTIC_PROJECT_KINDS
    )


def expected_gaps(direction: str) -> list[str]:
    items = seed_entities("Standard", "WorkItem")
    adopts = [(r.start, r.end) for r in seed().relations if r.type == "ADOPTS"]
    editions = [(r.start, r.end) for r in seed().relations if r.type == "EDITION_OF"]
    if direction == "INTERNATIONAL_WITHOUT_DOMESTIC":
        # A work is adopted when one of its editions is.
        adopted = {end for start, end in adopts if is_domestic(items[start])}
        adopted |= {work for edition, work in editions if edition in adopted}
        return sorted(
            key for key, props in items.items() if not is_domestic(props) and key not in adopted
        )
    return sorted(
        key
        for key, props in items.items()
        if is_domestic(props)
        and not any(start == key and not is_domestic(items[end]) for start, end in adopts)
    )


def test_delegate_mapping(gql: GraphQLClient) -> None:
    data = run(gql, DELEGATE_VIEW)
    assert data["domesticProjects"]["nodes"] == [
        {
            "key": "cn-plan-20210929-t-469",
            "designation": "20210929-T-469",
            "label": "信息技术 区块链和分布式记账技术 术语",
            "projectKind": "NATIONAL_PLAN",
            "stageCode": None,
            "nativeStage": None,
            "developedBy": [{"key": "sac-tc590", "designation": "SAC/TC590"}],
            "adoptsEdges": [
                {
                    "degree": "IDT",
                    "sources": [{"key": "src-iso-73771"}, {"key": "src-renrendoc-iso-22739-idt"}],
                    "node": {
                        "__typename": "Standard",
                        "key": "iso-22739-2020",
                        "designation": "ISO 22739:2020",
                        "stageCode": "95.99",
                        "standardKind": "IS",
                    },
                }
            ],
        }
    ]
    assert data["domesticStandards"]["nodes"] == [
        {
            "key": "gb-t-44021-4-2024",
            "designation": "GB/T 44021.4-2024",
            "standardKind": "GB_T",
            "stageCode": None,
            "developedBy": [{"key": "sac-tc242", "designation": "SAC/TC242"}],
            "adoptsEdges": [
                {
                    "degree": "IDT",
                    "node": {
                        "__typename": "Standard",
                        "key": "iec-62087-4-2015",
                        "designation": "IEC 62087-4:2015",
                        "stageCode": None,
                        "standardKind": "IS",
                    },
                }
            ],
        }
    ]


def test_delegate_gaps_both_ways(gql: GraphQLClient) -> None:
    data = run(gql, DELEGATE_VIEW)
    international = keys(data["internationalWithoutDomestic"])
    domestic = keys(data["domesticWithoutInternational"])
    assert international == expected_gaps("INTERNATIONAL_WITHOUT_DOMESTIC")
    assert domestic == expected_gaps("DOMESTIC_WITHOUT_INTERNATIONAL")
    # ISO 22739:2020 is adopted identically by plan 20210929-T-469 (so the work ISO 22739 is
    # covered), IEC 62087-4 by GB/T 44021.4; the 2024 edition has no domestic adoption yet.
    assert "iso-22739-2020" not in international
    assert "iso-22739" not in international
    assert "iso-22739-2024" in international
    assert "iec-62087-4-2015" not in international
    assert {"x3d", "iso-iec-18039", "ieee-2874-2025", "itu-t-q-fitsm"} <= set(international)
    # GB/T 42752-2023 adopts nothing international; GB/T 44021.4 and 20210929-T-469 do.
    assert "gb-t-42752-2023" in domestic
    assert "gb-t-44021-4-2024" not in domestic
    assert "cn-plan-20210929-t-469" not in domestic
    assert set(international).isdisjoint(domestic)
    by_key = {item["key"]: item for item in data["domesticWithoutInternational"]}
    assert by_key["gb-t-42752-2023"] == {
        "__typename": "Standard",
        "key": "gb-t-42752-2023",
        "label": "区块链和分布式记账技术 参考架构",
        "designation": "GB/T 42752-2023",
        "standardKind": "GB_T",
    }
    assert by_key["wi-cn-metaverse-reference-architecture"]["__typename"] == "WorkItem"
    assert by_key["wi-cn-metaverse-reference-architecture"]["projectKind"] == "NATIONAL_PLAN"
    gaps_by_key = {item["key"]: item for item in data["internationalWithoutDomestic"]}
    assert gaps_by_key["iso-iec-23090-14-2025"]["stageCode"] == "60.60"
    assert gaps_by_key["iec-pwi-100-49"]["projectKind"] == "PWI"


def test_delegate_gaps_within_a_concept(gql: GraphQLClient) -> None:
    data = run(gql, DELEGATE_VIEW)
    # About blockchain, only the 2024 edition of ISO 22739 lacks a domestic adoption (China
    # adopted the 2020 edition).
    assert keys(data["blockchainInternationalWithoutDomestic"]) == ["iso-22739-2024"]
    assert keys(data["blockchainDomesticWithoutInternational"]) == ["gb-t-42752-2023"]
    # Foundational standards = terminology and reference architecture (narrower concepts).
    assert keys(data["foundationalInternationalWithoutDomestic"]) == [
        "itu-t-fgmv-33",
        "msf-metaverse-standards-glossary",
    ]
    assert keys(data["foundationalDomesticWithoutInternational"]) == [
        "gb-t-42752-2023",
        "wi-cn-metaverse-reference-architecture",
    ]


# -- researcher -----------------------------------------------------------------------------------
def test_researcher_concept_schemes(gql: GraphQLClient) -> None:
    data = run(gql, RESEARCHER_VIEW)
    schemes = data["schemes"]
    assert schemes["totalCount"] == len(seed_entities("ConceptScheme"))
    top: dict[str, set[str]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "TOP_CONCEPT_OF":
            top[r.end].add(r.start)
    assert {s["key"]: set(keys(s["topConcepts"])) for s in schemes["nodes"]} == {
        scheme: top.get(scheme, set()) for scheme in seed_entities("ConceptScheme")
    }
    assert keys(schemes["nodes"]) == sorted(seed_entities("ConceptScheme"))


def test_researcher_demand_directions(gql: GraphQLClient) -> None:
    scheme = run(gql, RESEARCHER_VIEW)["demandDirections"]
    assert scheme["label"] == "元宇宙行业标准化需求方向"
    directions = scheme["topConcepts"]
    assert [(c["notation"], c["key"], c["label"]) for c in directions] == [
        ("1", "concept-foundational-standards", "基础标准"),
        ("2", "concept-key-technologies", "关键技术"),
        ("3", "concept-application-implementation", "应用实施"),
        ("4", "concept-technology-governance", "技术治理"),
    ]
    narrower = {c["key"]: keys(c["narrower"]) for c in directions}
    for direction, children in narrower.items():
        assert children == sorted(
            r.start for r in seed().relations if r.type == "BROADER" and r.end == direction
        )
    assert narrower["concept-foundational-standards"] == [
        "concept-reference-architecture",
        "concept-terminology",
    ]
    # 虚拟数字人 sits under two directions.
    assert "concept-virtual-digital-human" in narrower["concept-key-technologies"]
    assert "concept-virtual-digital-human" in narrower["concept-application-implementation"]
    foundational = {c["key"]: c for c in directions[0]["narrower"]}
    terminology = foundational["concept-terminology"]
    assert terminology["label"] == "术语"
    about_terminology = {(s["__typename"], s["key"]) for s in terminology["subjectOf"]}
    assert about_terminology == {
        ("WorkItem", "cn-plan-20210929-t-469"),
        ("Standard", "iso-22739"),
        ("Standard", "itu-t-fgmv-33"),
        ("Standard", "msf-metaverse-standards-glossary"),
        ("Committee", "msf-dg-standards-register"),
    }
    # Plan items are about these concepts too, but the `types` filter leaves them out.
    assert all(
        s["__typename"] != "PlanItem"
        for c in directions
        for n in c["narrower"]
        for s in n["subjectOf"]
    )
    vdh = next(n for n in directions[1]["narrower"] if n["key"] == "concept-virtual-digital-human")
    assert {s["key"] for s in vdh["subjectOf"]} == {
        "gb-t-46483-2025",
        "gy-t-411-2024",
        "ieee-3079-3-2023",
        "itu-t-sg21-q9",
    }


def test_researcher_what_is_about_a_concept(gql: GraphQLClient) -> None:
    blockchain = run(gql, RESEARCHER_VIEW)["blockchain"]
    assert blockchain["label"] == "Blockchain"
    assert blockchain["broader"] == []
    assert keys(blockchain["schemes"]) == ["scheme-technologies"]
    assert blockchain["standards"] == [
        {
            "__typename": "WorkItem",
            "key": "cn-plan-20210929-t-469",
            "designation": "20210929-T-469",
        },
        {"__typename": "Standard", "key": "gb-t-42752-2023", "designation": "GB/T 42752-2023"},
        {"__typename": "Standard", "key": "iso-22739", "designation": "ISO 22739"},
        {"__typename": "Standard", "key": "iso-22739-2020", "designation": "ISO 22739:2020"},
        {"__typename": "Standard", "key": "iso-22739-2024", "designation": "ISO 22739:2024"},
    ]
    assert blockchain["committees"] == [
        {"key": "ieee-cs-bdl-sc", "designation": "BDL SC"},
        {"key": "iso-tc307", "designation": "ISO/TC 307"},
        {"key": "sac-tc590", "designation": "SAC/TC590"},
    ]
    # RELATED is symmetric: stored once (metaverse → blockchain), it reads both ways.
    assert keys(blockchain["related"]) == ["concept-metaverse"]
    assert keys(blockchain["relatedFrom"]) == ["concept-metaverse"]


def test_researcher_aggregations(gql: GraphQLClient) -> None:
    data = run(gql, RESEARCHER_VIEW)
    standards = seed_entities("Standard")
    subjects: dict[str, set[str | None]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "ABOUT" and r.start in standards:
            subjects[r.start].add(r.end)
    expected: dict[str | None, int] = defaultdict(int)
    for key in standards:
        for concept in subjects.get(key) or {None}:
            expected[concept] += 1
    per_subject = {g["values"][0]["value"]: g for g in data["standardsPerSubject"]}
    assert {k: g["count"] for k, g in per_subject.items()} == expected
    assert expected["concept-blockchain"] > 1
    assert per_subject["concept-blockchain"]["values"][0]["label"] == {
        "zh": "区块链",
        "en": "Blockchain",
    }
    kinds: dict[str | None, int] = defaultdict(int)
    for props in seed_entities("Committee").values():
        kinds[props.get("committeeKind")] += 1
    per_kind = {g["values"][0]["value"]: g["count"] for g in data["committeesPerKind"]}
    assert per_kind == kinds
    assert kinds["TC"] > 1
