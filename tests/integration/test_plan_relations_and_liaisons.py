"""The standards expert's model, read through GraphQL over HTTP from the real Neo4j: the founding
plan's statements as relations (who applied for, set up, led or approved each body; posts and
their nominators; plan items and the bodies they name; the four unnamed pre-research projects),
memberships as nodes, the complete liaison categories with the two-year review and its
"due for review" view, stage history, ballot and confirmation dates, and the public liaison
record a liaison officer sees on day one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, GraphQLClient, load_seed_plus

TODAY = dt.date.today()
LONG_AGO = TODAY - dt.timedelta(days=3 * 365)
RECENT = TODAY - dt.timedelta(days=100)
SOON = TODAY + dt.timedelta(days=30)

# Records the seed does not have: liaisons with review dates (one written with the older
# Category D lettering), a work item in ballot, a confirmed edition with its stage history.
EXTRA = f"""
defaults:
  sources: [seed-plan]
entities:
  - class: Liaison
    key: liaison-test-review-overdue
    prefLabel: {{zh: 复核已逾期的联络, en: "Liaison overdue for review"}}
    category: ISO_IEC_A
    liaisonStatus: ACTIVE
    lastReviewed: {LONG_AGO.isoformat()}
  - class: Liaison
    key: liaison-test-review-recent
    prefLabel: {{zh: 近期已复核的联络, en: "Liaison reviewed recently"}}
    category: ISO_IEC_B
    liaisonStatus: ACTIVE
    lastReviewed: {RECENT.isoformat()}
  - class: Liaison
    key: liaison-test-review-due-soon
    prefLabel: {{zh: 即将复核的联络, en: "Liaison due for review soon"}}
    category: ISO_IEC_D
    liaisonStatus: ACTIVE
    reviewDue: {SOON.isoformat()}
  - class: Liaison
    key: liaison-test-review-ended
    prefLabel: {{zh: 已终止的联络, en: "Ended liaison"}}
    category: ISO_IEC_A
    liaisonStatus: ENDED
    since: "2001"
  - class: Liaison
    key: liaison-test-mou-old
    prefLabel: {{zh: 旧合作备忘录, en: "Old MoU"}}
    category: COOPERATION_AGREEMENT
    liaisonStatus: ACTIVE
    since: "2001"
  - class: WorkItem
    key: wi-test-in-ballot
    prefLabel: {{zh: 投票中的项目, en: "Project in ballot"}}
    projectKind: NP
    stageCode: "40.20"
    ballotOpened: 2026-10-01
    ballotCloses: 2026-12-24
  - class: Standard
    key: std-test-confirmed
    prefLabel: {{zh: 已确认的标准, en: "Confirmed standard"}}
    standardKind: IS
    stageCode: "90.93"
    confirmed: "2025-06"
  - {{class: StageEvent, key: std-test-confirmed-stage-60.60, prefLabel: {{zh: 出版, en: Published}}, stageCode: "60.60", reached: "2020-05"}}
  - {{class: StageEvent, key: std-test-confirmed-stage-90.20, prefLabel: {{zh: 复审, en: Review}}, stageCode: "90.20", reached: "2025-01-15"}}
  - {{class: StageEvent, key: std-test-confirmed-stage-90.93, prefLabel: {{zh: 确认, en: Confirmed}}, stageCode: "90.93", reached: "2025-06"}}
relations:
  - {{type: LIAISON_OF, from: liaison-test-review-overdue, to: iso-iec-jtc1-sc24}}
  - {{type: LIAISON_WITH, from: liaison-test-review-overdue, to: khronos}}
  - {{type: LIAISON_OF, from: liaison-test-review-recent, to: iso-iec-jtc1-sc24}}
  - {{type: LIAISON_WITH, from: liaison-test-review-recent, to: ogc}}
  - {{type: LIAISON_OF, from: liaison-test-review-due-soon, to: iso-iec-jtc1-sc29}}
  - {{type: LIAISON_WITH, from: liaison-test-review-due-soon, to: khronos}}
  - {{type: LIAISON_OF, from: liaison-test-review-ended, to: iso-iec-jtc1-sc24}}
  - {{type: LIAISON_WITH, from: liaison-test-review-ended, to: sedris}}
  - {{type: STAGE_OF, from: std-test-confirmed-stage-90.93, to: std-test-confirmed}}
  - {{type: STAGE_OF, from: std-test-confirmed-stage-60.60, to: std-test-confirmed}}
  - {{type: STAGE_OF, from: std-test-confirmed-stage-90.20, to: std-test-confirmed}}
"""


@pytest.fixture(scope="module")
async def extra_data(
    seeded_db: AsyncDriver,
    neo4j_connection: Connection,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    await load_seed_plus(
        seeded_db,
        neo4j_connection.database,
        tmp_path_factory.mktemp("seed-plus-model"),
        "zz-model-tests.yaml",
        EXTRA,
    )


@pytest.fixture
def gql(gql: GraphQLClient, extra_data: None) -> GraphQLClient:
    return gql


def _keys(items: list[dict[str, Any]]) -> set[str]:
    return {item["key"] for item in items}


# -- the founding plan's statements as relations ---------------------------------------------------
ESTABLISHMENT = """
query($key: String!) {
  committee(key: $key) {
    establishedByEdges { establishmentRole date node { key } sources { key } }
  }
}
"""


def _established(gql: GraphQLClient, key: str) -> set[tuple[str, str, str | None]]:
    edges = gql.data(ESTABLISHMENT, {"key": key})["committee"]["establishedByEdges"]
    for edge in edges:
        assert edge["sources"], edge  # every fact carries its source
    return {(e["node"]["key"], e["establishmentRole"], e["date"]) for e in edges}


@pytest.mark.parametrize(
    ("committee", "expected"),
    [
        ("miit-metaverse-wg", {("cesi", "APPLICANT", None)}),
        ("cesa-mwc", {("cesi", "FOUNDER", None)}),
        ("tc28-sg4", {("cesi", "FOUNDER", None)}),
        ("ieee-msg", {("cesi", "INITIATOR", None)}),
        (
            "iso-iec-jseg15",
            {
                ("cesi", "LEAD", None),
                ("iec-smb", "APPROVER", None),
                ("iso-tmb", "APPROVER", "2023"),
            },
        ),
        (
            "iec-seg15",
            {("cesi", "APPLICANT", "2022-10-10"), ("iec-smb", "APPROVER", "2023-01-12")},
        ),
        ("itu-t-fg-mv", {("itu-t-tsag", "CREATOR", "2022-12-16")}),
    ],
)
def test_who_set_up_each_body_is_a_relation(
    gql: GraphQLClient, committee: str, expected: set[tuple[str, str, str | None]]
) -> None:
    assert _established(gql, committee) == expected


def test_the_plans_bodies_are_reachable_from_cesi(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          organization(key: "cesi") {
            helpedEstablish { key }
            developed { key }
            secretariatOf { key }
            counterpartFor { key }
          }
          plan: committee(key: "miit-metaverse-wg") { forerunnerOf { key } secretariat { key } }
        }"""
    )
    cesi = data["organization"]
    assert {"miit-metaverse-wg", "cesa-mwc", "tc28-sg4", "ieee-msg", "iso-iec-jseg15"} <= _keys(
        cesi["helpedEstablish"]
    )
    # the report it produced and the pre-research it carried out
    assert {
        "doc-linking-metaverse-report",
        "wi-cn-industrial-metaverse-construction-spec",
        *(f"wi-cn-metaverse-industry-prestudy-{n}" for n in range(1, 5)),
    } <= _keys(cesi["developed"])
    assert "miit-metaverse-wg" in _keys(cesi["secretariatOf"])
    assert "iso-iec-jtc1" in _keys(cesi["counterpartFor"])
    assert _keys(data["plan"]["forerunnerOf"]) == {"miit-metaverse-tc"}
    assert _keys(data["plan"]["secretariat"]) == {"cesi"}


def test_posts_belong_to_the_working_group_with_their_nominators(gql: GraphQLClient) -> None:
    posts = gql.data(
        """{ committee(key: "miit-metaverse-wg") {
              posts { key role postStatus nominatedFrom { key } } } }"""
    )["committee"]["posts"]
    planned = {p["role"]: _keys(p["nominatedFrom"]) for p in posts if p["postStatus"] == "PLANNED"}
    assert planned == {
        "CHAIR": {"miit"},
        "VICE_CHAIR": {"cesi"},
        "SECRETARY_GENERAL": {"cesi"},
        "DEPUTY_SECRETARY_GENERAL": set(),
        "MEMBER": set(),
        "LIAISON_OFFICER": set(),
    }


def test_work_plan_item_5_names_iso_iec_and_itu(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          planItem(key: "plan-workplan-5") { concerns { key } }
          organization(key: "itu") { concernedBy { key } }
        }"""
    )
    assert _keys(data["planItem"]["concerns"]) == {"iso", "iec", "itu"}
    assert _keys(data["organization"]["concernedBy"]) == {"plan-workplan-5"}


def test_the_four_unnamed_pre_research_projects_are_work_items(gql: GraphQLClient) -> None:
    nodes = gql.data(
        """{ workItems(where: {projectKind: {eq: PRE_RESEARCH}, targetKind: {eq: INDUSTRY_STANDARD},
                               developedBy: {some: {key: {eq: "cesi"}}}}) {
              nodes { key nativeStage sources { key } } } }"""
    )["workItems"]["nodes"]
    assert _keys(nodes) == {f"wi-cn-metaverse-industry-prestudy-{n}" for n in range(1, 5)}
    for item in nodes:
        assert item["nativeStage"] == "预研"
        assert "seed-plan" in _keys(item["sources"])


# -- memberships --------------------------------------------------------------------------------------
def test_memberships_are_nodes_with_type_and_body(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          organization(key: "sac") {
            memberships { key membershipType membershipStatus organization { key } sources { key } }
          }
          committee(key: "iso-iec-jtc1-sc42") { memberList { membershipType member { key } } }
        }"""
    )
    held = {
        (m["organization"]["key"], m["membershipType"]) for m in data["organization"]["memberships"]
    }
    assert held == {
        ("iso", "ISO_MEMBER_BODY"),
        ("iso-iec-jtc1-sc42", "P_MEMBER"),
        ("iso-iec-jtc1-sc36", "P_MEMBER"),
    }
    for membership in data["organization"]["memberships"]:
        assert membership["sources"], membership
    assert [(m["member"]["key"], m["membershipType"]) for m in data["committee"]["memberList"]] == [
        ("sac", "P_MEMBER")
    ]


def test_membership_filters(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          p: memberships(where: {membershipType: {eq: P_MEMBER}}) { nodes { key } }
          msf: organization(key: "msf") {
            memberList(where: {membershipType: {eq: CONSORTIUM_MEMBER}}) {
              validFrom member { key } } }
        }"""
    )
    assert _keys(data["p"]["nodes"]) == {
        "membership-sac-iso-iec-jtc1-sc42",
        "membership-sac-iso-iec-jtc1-sc36",
    }
    founding = data["msf"]["memberList"]
    assert {m["member"]["key"] for m in founding} == {"khronos", "ogc", "spatial-web-foundation"}
    assert {m["validFrom"] for m in founding} == {"2022-06-21"}


# -- liaison categories and review ------------------------------------------------------------------
def test_liaison_category_filters(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          internal: liaisons(where: {category: {eq: INTERNAL}}, first: 100) { nodes { key } }
          a: liaisons(where: {category: {eq: ISO_IEC_A}}) { nodes { key } }
          a5: liaisons(where: {category: {eq: ITU_T_A5}}) { nodes { key holder { key } partner { key } } }
          jointTeam: liaisons(where: {category: {eq: JOINT_TEAM}}) { nodes { key } }
          sc24: committee(key: "iso-iec-jtc1-sc24") {
            liaisonsAsPartner(where: {category: {eq: INTERNAL}}) { holder { key } } }
        }"""
    )
    assert {
        "liaison-iec-tc100-sc24",
        "liaison-sc29-sc24",
        "liaison-sc42-sc24",
        "liaison-sc42-from-tc307",
    } <= _keys(data["internal"]["nodes"])
    assert _keys(data["a"]["nodes"]) == {
        "liaison-sc42-ieee",
        "liaison-test-review-overdue",
        "liaison-test-review-ended",
    }
    assert [(n["holder"]["key"], n["partner"]["key"]) for n in data["a5"]["nodes"]] == [
        ("itu-t", "ietf")
    ]
    assert _keys(data["jointTeam"]["nodes"]) == {"liaison-itu-t-sg16-sc29-jvet"}
    assert {li["holder"]["key"] for li in data["sc24"]["liaisonsAsPartner"]} == {
        "iec-tc100",
        "iso-iec-jtc1-sc27",
        "iso-iec-jtc1-sc29",
        "iso-iec-jtc1-sc36",
        "iso-iec-jtc1-sc38",
        "iso-iec-jtc1-sc42",
    }


def test_the_older_category_d_is_stored_as_c(gql: GraphQLClient) -> None:
    data = gql.data('{ liaison(key: "liaison-test-review-due-soon") { category } }')
    assert data["liaison"]["category"] == "ISO_IEC_C"


def test_next_review_and_overdue(gql: GraphQLClient) -> None:
    data = gql.data(
        """{ liaisons(where: {key: {startsWith: "liaison-test-"}}) {
              nodes { key nextReview reviewOverdue } } }"""
    )
    by_key = {n["key"]: n for n in data["liaisons"]["nodes"]}
    two_years = dt.timedelta(days=730)
    overdue = by_key["liaison-test-review-overdue"]
    # two years after the last review (leap days aside)
    assert abs(dt.date.fromisoformat(overdue["nextReview"]) - (LONG_AGO + two_years)).days <= 1
    assert overdue["reviewOverdue"] is True
    assert by_key["liaison-test-review-recent"]["reviewOverdue"] is False
    assert by_key["liaison-test-review-due-soon"] == {
        "key": "liaison-test-review-due-soon",
        "nextReview": SOON.isoformat(),
        "reviewOverdue": False,
    }
    # An ended liaison is not reviewed; an MoU has no two-year rule.
    assert by_key["liaison-test-review-ended"]["reviewOverdue"] is False
    assert by_key["liaison-test-mou-old"] == {
        "key": "liaison-test-mou-old",
        "nextReview": None,
        "reviewOverdue": False,
    }


def test_liaisons_due_for_review_view(gql: GraphQLClient) -> None:
    query = """query($committee: String, $asOf: Date) {
      liaisonsDueForReview(committee: $committee, asOf: $asOf) { key nextReview holder { key } }
    }"""
    today = gql(query, {"committee": "iso-iec-jtc1-sc24"})
    assert "errors" not in today, today
    assert today["extensions"]["cypherRoundTrips"] == 1
    assert [li["key"] for li in today["data"]["liaisonsDueForReview"]] == [
        "liaison-test-review-overdue"
    ]
    # Looking two months ahead brings the one due soon (earliest due first), anywhere.
    ahead = gql.data(query, {"asOf": (SOON + dt.timedelta(days=31)).isoformat()})
    due = [li["key"] for li in ahead["liaisonsDueForReview"]]
    assert due == ["liaison-test-review-overdue", "liaison-test-review-due-soon"]
    # The partner side finds it too.
    partner = gql.data(query, {"committee": "khronos"})
    assert [li["key"] for li in partner["liaisonsDueForReview"]] == ["liaison-test-review-overdue"]


# -- stages, ballots, confirmation -------------------------------------------------------------------
def test_stage_history_confirmation_and_ballot(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          standard(key: "std-test-confirmed") {
            confirmed
            stageHistory(orderBy: [{field: REACHED, direction: ASC}]) { stageCode reached }
          }
          edition: standard(key: "iso-22739-2024") { stageHistory { stageCode reached sources { key } } }
          closing: workItems(where: {ballotCloses: {lte: "2026-12-31"}}) {
            nodes { key ballotOpened ballotCloses } }
        }"""
    )
    assert data["standard"]["confirmed"] == "2025-06"
    assert data["standard"]["stageHistory"] == [
        {"stageCode": "60.60", "reached": "2020-05"},
        {"stageCode": "90.20", "reached": "2025-01-15"},
        {"stageCode": "90.93", "reached": "2025-06"},
    ]
    assert data["edition"]["stageHistory"] == [
        {"stageCode": "60.60", "reached": "2024-01", "sources": [{"key": "src-iso-82208"}]}
    ]
    assert data["closing"]["nodes"] == [
        {"key": "wi-test-in-ballot", "ballotOpened": "2026-10-01", "ballotCloses": "2026-12-24"}
    ]


async def test_a_stage_change_goes_into_the_stage_history(
    gql: GraphQLClient, api: ApiProcess, seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    _, token = await create_account(
        seeded_db, neo4j_connection.database, "stage-history-editor", "editor"
    )
    read = """{ workItem(key: "wi-test-in-ballot") {
        version stageCode stageHistory { key stageCode reached nativeStage sources { key } } } }"""
    before = gql.data(read)["workItem"]
    assert before["stageHistory"] == []
    update = """mutation($v: Int!, $patch: WorkItemPatch!) {
      updateWorkItem(key: "wi-test-in-ballot", expectedVersion: $v, patch: $patch,
                     sources: [{key: "src-iso-82208"}]) { applied } }"""
    with httpx.Client(
        verify=TLS, base_url=api.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        editor = GraphQLClient(client)
        editor.data(update, {"v": before["version"], "patch": {"stageCode": "40.60"}})
        # A change that leaves the stage alone records nothing.
        editor.data(update, {"v": before["version"] + 1, "patch": {"ballotCloses": None}})
        editor.data(
            update,
            {
                "v": before["version"] + 2,
                "patch": {"stageCode": "40.99", "nativeStage": "DIS approved"},
            },
        )
    today = dt.datetime.now(dt.UTC).date().isoformat()
    after = gql.data(read)["workItem"]
    assert after["stageCode"] == "40.99"
    assert sorted(after["stageHistory"], key=lambda e: e["stageCode"]) == [
        {
            "key": f"wi-test-in-ballot-stage-40.60-{today}",
            "stageCode": "40.60",
            "reached": today,
            "nativeStage": None,
            "sources": [{"key": "src-iso-82208"}],
        },
        {
            "key": f"wi-test-in-ballot-stage-40.99-{today}",
            "stageCode": "40.99",
            "reached": today,
            "nativeStage": "DIS approved",
            "sources": [{"key": "src-iso-82208"}],
        },
    ]
    # The anonymous reader cannot write it.
    body = gql(update, {"v": before["version"] + 3, "patch": {"stageCode": "50.00"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# -- the public liaison record ---------------------------------------------------------------------------
def test_a_liaison_officer_sees_statements_awaiting_action(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          awaitingAction(committee: "ietf") { key deadline overdue purpose from { key } }
          liaison(key: "liaison-itu-t-ietf") {
            statementCount lastExchange { key issued } nextDeadline sources { key }
          }
        }"""
    )
    assert [(s["key"], s["deadline"], s["overdue"]) for s in data["awaitingAction"]] == [
        ("ls-itu-t-fg-mv-1866", "2023-11-20", True),
        ("ls-itu-t-fg-mv-1913", "2024-05-03", True),
    ]
    assert {s["from"][0]["key"] for s in data["awaitingAction"]} == {"itu-t-fg-mv"}
    liaison = data["liaison"]
    assert liaison["statementCount"] == 5
    assert liaison["lastExchange"] == {"key": "ls-itu-t-fg-mv-1913", "issued": "2024-04-17"}
    assert liaison["nextDeadline"] == "2023-11-20"
    assert _keys(liaison["sources"]) == {"src-itu-a5-isoc-ietf"}


def test_statement_addresses_stay_hidden_from_anonymous_readers(gql: GraphQLClient) -> None:
    data = gql.data(
        """{ liaisonStatement(key: "ls-itu-t-fg-mv-1866") {
              senderAddresses recipientAddresses contactsEdges { role node { key } } } }"""
    )
    statement = data["liaisonStatement"]
    assert statement["senderAddresses"] is None
    assert statement["recipientAddresses"] is None
    assert [(c["role"], c["node"]["key"]) for c in statement["contactsEdges"]] == [
        ("RESPONSE", "person-shin-gak-kang")
    ]


def test_every_public_liaison_fact_is_sourced(gql: GraphQLClient) -> None:
    nodes = gql.data(
        """{ liaisons(first: 100) { nodes { key sources { key reliability }
              holderEdges { sources { key } } partnerEdges { sources { key } } } } }"""
    )["liaisons"]["nodes"]
    public = [n for n in nodes if not n["key"].startswith("liaison-test-")]
    assert len(public) >= 25
    for liaison in public:
        assert liaison["sources"], liaison
        assert liaison["holderEdges"]["sources"], liaison
        assert liaison["partnerEdges"]["sources"], liaison
