"""GraphQL over the seed graph plus a few records the seed does not have yet — liaison statements,
liaison contacts with private e-mail addresses and phone numbers, labels in one language only — loaded
through the seed loader: the liaison officer's computed fields (`lastExchange`, `nextDeadline`,
`statementCount`), statements awaiting a reply by deadline, the `label` fallback, and private fields
that no anonymous query may reveal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph.driver import AsyncDriver, Connection
from tests.conftest import GraphQLClient, load_seed_plus
from tests.integration.test_graphql_views import LIAISON_OFFICER_VIEW

EMAIL = "officer@example.org"
PHONE = "+86 10 1234 5678"

EXTRA = f"""
defaults:
  sources: [seed-plan]
entities:
  - class: Person
    key: person-test-officer
    prefLabel: {{zh: 测试联络员, en: Test Liaison Officer}}
    email: {EMAIL}
    phone: "{PHONE}"
  - class: LiaisonStatement
    key: ls-test-tc28-request
    prefLabel: {{zh: 关于元宇宙术语的联络函, en: "Liaison statement on metaverse terminology"}}
    identifiers: [MWG-LS-001]
    issued: "2024-03-01"
    direction: OUTGOING
    purpose: FOR_ACTION
    deadline: 2024-06-30
    replyStatus: AWAITING
  - class: LiaisonStatement
    key: ls-test-tc28-comment
    prefLabel: {{zh: 征求意见的联络函, en: "Liaison statement for comment"}}
    issued: "2024-02-01"
    direction: INCOMING
    purpose: FOR_COMMENT
    deadline: 2024-04-15
    replyStatus: AWAITING
  - class: LiaisonStatement
    key: ls-test-tc28-reply
    prefLabel: {{zh: 答复联络函, en: "Reply liaison statement"}}
    issued: "2024-07-01"
    direction: OUTGOING
    purpose: IN_RESPONSE
    deadline: 2024-03-31
    replyStatus: REPLIED
  - class: LiaisonStatement
    key: ls-test-tc590-info
    prefLabel: {{zh: 区块链术语联络函, en: "Liaison statement on blockchain vocabulary"}}
    issued: "2023-12"
    direction: INCOMING
    purpose: FOR_ACTION
    deadline: 2024-05-01
    replyStatus: AWAITING
  - class: LiaisonStatement
    key: ls-test-tc590-open
    prefLabel: {{zh: 无答复期限的联络函, en: "Liaison statement without a deadline"}}
    issued: "2024-01-10"
    direction: INCOMING
    purpose: FOR_COMMENT
    replyStatus: AWAITING
  - class: Concept
    key: concept-test-english-only
    prefLabel: {{en: "English only"}}
  - class: Concept
    key: concept-test-chinese-only
    prefLabel: {{zh: 仅有中文}}
relations:
  - {{type: STATEMENT_OF, from: ls-test-tc28-request, to: liaison-miit-metaverse-wg-sac-tc28}}
  - {{type: STATEMENT_OF, from: ls-test-tc28-comment, to: liaison-miit-metaverse-wg-sac-tc28}}
  - {{type: STATEMENT_OF, from: ls-test-tc28-reply, to: liaison-miit-metaverse-wg-sac-tc28}}
  - {{type: STATEMENT_OF, from: ls-test-tc590-info, to: liaison-miit-metaverse-wg-sac-tc590}}
  - {{type: STATEMENT_OF, from: ls-test-tc590-open, to: liaison-miit-metaverse-wg-sac-tc590}}
  - {{type: SENT_BY, from: ls-test-tc28-request, to: miit-metaverse-wg}}
  - {{type: SENT_TO, from: ls-test-tc28-request, to: sac-tc28, purpose: FOR_ACTION}}
  - {{type: SENT_BY, from: ls-test-tc28-comment, to: sac-tc28}}
  - {{type: SENT_TO, from: ls-test-tc28-comment, to: miit-metaverse-wg}}
  - {{type: IN_RESPONSE_TO, from: ls-test-tc28-reply, to: ls-test-tc28-comment}}
  - {{type: CONTACT, from: liaison-miit-metaverse-wg-sac-tc28, to: person-test-officer, side: OWN}}
  - {{type: CONTACT, from: liaison-miit-metaverse-wg-sac-tc28, to: person-li-ming, side: PARTNER}}
  - {{type: MEMBER_OF, from: person-test-officer, to: cesi}}
"""


@pytest.fixture(scope="module")
async def extra_data(
    seeded_db: AsyncDriver,
    neo4j_connection: Connection,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The seed plus EXTRA, validated and upserted by the seed loader (this module only)."""
    await load_seed_plus(
        seeded_db,
        neo4j_connection.database,
        tmp_path_factory.mktemp("seed-plus"),
        "zz-graphql-tests.yaml",
        EXTRA,
    )


@pytest.fixture
def gql(gql: GraphQLClient, extra_data: None) -> GraphQLClient:
    return gql


def keys(items: list[dict[str, Any]]) -> list[str]:
    return [item["key"] for item in items]


# -- liaison officer ------------------------------------------------------------------------------
def test_liaison_officer_view_with_statements(gql: GraphQLClient) -> None:
    body = gql(LIAISON_OFFICER_VIEW)
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cypherRoundTrips"] == 2
    liaisons = {li["key"]: li for li in body["data"]["committee"]["liaisons"]}
    tc28 = liaisons["liaison-miit-metaverse-wg-sac-tc28"]
    assert tc28["statementCount"] == 3
    # The most recently issued statement, whatever its status.
    assert tc28["lastExchange"] == {
        "key": "ls-test-tc28-reply",
        "prefLabel": {"zh": "答复联络函", "en": "Reply liaison statement"},
        "issued": "2024-07-01",
        "direction": "OUTGOING",
        "purpose": "IN_RESPONSE",
        "replyStatus": "REPLIED",
    }
    # The earliest deadline among statements awaiting a reply (the replied one is earlier).
    assert tc28["nextDeadline"] == "2024-04-15"
    contacts = sorted(tc28["contactsEdges"], key=lambda e: e["side"])
    assert contacts == [
        {
            "side": "OWN",
            "node": {
                "key": "person-test-officer",
                "label": "Test Liaison Officer",
                "email": None,
                "phone": None,
            },
        },
        {
            "side": "PARTNER",
            "node": {"key": "person-li-ming", "label": "Li Ming", "email": None, "phone": None},
        },
    ]
    tc590 = liaisons["liaison-miit-metaverse-wg-sac-tc590"]
    assert tc590["statementCount"] == 2
    assert tc590["lastExchange"]["key"] == "ls-test-tc590-open"  # 2024-01-10 is after 2023-12
    assert tc590["nextDeadline"] == "2024-05-01"  # the statement without a deadline is skipped
    tc242 = liaisons["liaison-miit-metaverse-wg-sac-tc242"]
    assert (tc242["statementCount"], tc242["lastExchange"], tc242["nextDeadline"]) == (
        0,
        None,
        None,
    )


def test_statements_awaiting_a_reply_by_deadline(gql: GraphQLClient) -> None:
    awaiting = gql.data(LIAISON_OFFICER_VIEW)["awaitingReply"]
    assert awaiting["totalCount"] == 6
    assert [(n["key"], n["deadline"]) for n in awaiting["nodes"]] == [
        ("ls-itu-t-fg-mv-1866", "2023-11-20"),  # the seed's public record
        ("ls-test-tc28-comment", "2024-04-15"),
        ("ls-test-tc590-info", "2024-05-01"),
        ("ls-itu-t-fg-mv-1913", "2024-05-03"),
        ("ls-test-tc28-request", "2024-06-30"),
        ("ls-test-tc590-open", None),
    ]
    request = next(n for n in awaiting["nodes"] if n["key"] == "ls-test-tc28-request")
    assert request == {
        "key": "ls-test-tc28-request",
        "prefLabel": {
            "zh": "关于元宇宙术语的联络函",
            "en": "Liaison statement on metaverse terminology",
        },
        "identifiers": ["MWG-LS-001"],
        "issued": "2024-03-01",
        "deadline": "2024-06-30",
        "purpose": "FOR_ACTION",
        "liaison": {"key": "liaison-miit-metaverse-wg-sac-tc28"},  # one liaison per statement
        "from": [{"key": "miit-metaverse-wg"}],
        "to": [{"key": "sac-tc28"}],
    }


def test_statement_filters_dates_and_relationships(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          dueBeforeMay: liaisonStatements(where: {deadline: {lt: "2024-05-01"}}) { nodes { key } }
          due: liaisonStatements(where: {deadline: {gte: "2024-04-15", lte: "2024-05-01"}}) {
            nodes { key }
          }
          noDeadline: liaisonStatements(where: {deadline: {isNull: true}}) { nodes { key } }
          replies: liaisonStatements(where: {inResponseTo: {exists: true}}) {
            nodes { key inResponseTo { key } }
          }
          answered: liaisonStatements(where: {responses: {exists: true}}) { nodes { key } }
          toTc28: liaisonStatements(where: {to: {some: {key: {eq: "sac-tc28"}}}}) {
            nodes { key toEdges { purpose node { key } } }
          }
          issued2024: liaisonStatements(where: {issued: {gte: "2024"}}, orderBy: [{field: ISSUED}]) {
            nodes { key issued }
          }
        }"""
    )
    assert keys(data["dueBeforeMay"]["nodes"]) == [
        "ls-itu-t-fg-mv-1866",
        "ls-test-tc28-comment",
        "ls-test-tc28-reply",
    ]
    assert keys(data["due"]["nodes"]) == ["ls-test-tc28-comment", "ls-test-tc590-info"]
    # The seed's statements for information (IETF Datatracker records) have no deadline either.
    assert keys(data["noDeadline"]["nodes"]) == [
        "ls-itu-t-fg-mv-1863",
        "ls-itu-t-sg16-1776",
        "ls-itu-t-tsag-1807",
        "ls-test-tc590-open",
    ]
    assert data["replies"]["nodes"] == [
        {"key": "ls-test-tc28-reply", "inResponseTo": [{"key": "ls-test-tc28-comment"}]}
    ]
    assert keys(data["answered"]["nodes"]) == ["ls-test-tc28-comment"]
    assert data["toTc28"]["nodes"] == [
        {
            "key": "ls-test-tc28-request",
            "toEdges": [{"purpose": "FOR_ACTION", "node": {"key": "sac-tc28"}}],
        }
    ]
    assert [(n["key"], n["issued"]) for n in data["issued2024"]["nodes"]] == [
        ("ls-test-tc590-open", "2024-01-10"),
        ("ls-test-tc28-comment", "2024-02-01"),
        ("ls-test-tc28-request", "2024-03-01"),
        ("ls-itu-t-fg-mv-1913", "2024-04-17"),
        ("ls-test-tc28-reply", "2024-07-01"),
    ]


def test_liaisons_by_their_statements(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          awaiting: liaisons(where: {statements: {some: {replyStatus: {eq: AWAITING}}}}) {
            nodes { key }
          }
          quiet: liaisons(where: {holder: {some: {key: {eq: "miit-metaverse-wg"}}}, statements: {exists: false}}) {
            nodes { key }
          }
        }"""
    )
    assert keys(data["awaiting"]["nodes"]) == [
        "liaison-itu-t-ietf",
        "liaison-miit-metaverse-wg-sac-tc28",
        "liaison-miit-metaverse-wg-sac-tc590",
    ]
    assert keys(data["quiet"]["nodes"]) == ["liaison-miit-metaverse-wg-sac-tc242"]


def test_search_finds_statement_identifiers(gql: GraphQLClient) -> None:
    hits = gql.data(
        '{ search(text: "MWG-LS-001", types: [LiaisonStatement]) { field matchedText entity { key } } }'
    )["search"]
    assert hits[0] == {
        "field": "identifiers",
        "matchedText": "MWG-LS-001",
        "entity": {"key": "ls-test-tc28-request"},
    }


# -- label fallback -------------------------------------------------------------------------------
def test_label_falls_back_to_the_other_language(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          en: concept(key: "concept-test-english-only") {
            zh: label(lang: ZH) en: label(lang: EN) prefLabel { zh en }
          }
          zh: concept(key: "concept-test-chinese-only") {
            zh: label(lang: ZH) en: label(lang: EN) prefLabel { zh en }
          }
        }"""
    )
    assert data["en"] == {
        "zh": "English only",
        "en": "English only",
        "prefLabel": {"zh": None, "en": "English only"},
    }
    assert data["zh"] == {
        "zh": "仅有中文",
        "en": "仅有中文",
        "prefLabel": {"zh": "仅有中文", "en": None},
    }


# -- private fields -------------------------------------------------------------------------------
def test_private_fields_are_null_everywhere_for_anonymous_readers(gql: GraphQLClient) -> None:
    body = gql(
        """{
          person(key: "person-test-officer") { key email phone memberOf { key } }
          entity(key: "person-test-officer") { ... on Person { email phone } }
          persons(first: 100) { nodes { key email phone } }
          liaison(key: "liaison-miit-metaverse-wg-sac-tc28") { contacts { key email phone } }
          neighborhood(key: "person-test-officer", depth: 1) { nodes { key ... on Person { email phone } } }
          search(text: "Test Liaison Officer", types: [Person]) { matchedText entity { ... on Person { email phone } } }
        }"""
    )
    assert "errors" not in body, body["errors"]
    data = body["data"]
    assert data["person"] == {
        "key": "person-test-officer",
        "email": None,
        "phone": None,
        "memberOf": [{"key": "cesi"}],
    }
    assert data["entity"] == {"email": None, "phone": None}
    assert "person-test-officer" in keys(data["persons"]["nodes"])
    assert {"key": "person-test-officer", "email": None, "phone": None} in data["liaison"][
        "contacts"
    ]
    assert data["search"][0]["entity"] == {"email": None, "phone": None}
    text = json.dumps(body, ensure_ascii=False)
    assert EMAIL not in text
    assert PHONE not in text


def test_private_fields_do_not_leak_through_filters(gql: GraphQLClient) -> None:
    """Filtering on a hidden field must not tell an anonymous reader what it holds."""
    for condition in (
        f'{{email: {{eq: "{EMAIL}"}}}}',
        '{email: {contains: "example.org"}}',
        "{email: {isNull: false}}",
        '{phone: {startsWith: "+86"}}',
    ):
        body = gql(f"{{ persons(where: {condition}) {{ nodes {{ key }} }} }}")
        found = keys(((body.get("data") or {}).get("persons") or {}).get("nodes") or [])
        assert "person-test-officer" not in found, condition


def test_private_fields_do_not_leak_through_counts(gql: GraphQLClient) -> None:
    """Grouping by a hidden field must not list its values to an anonymous reader."""
    for dimension in ("EMAIL", "PHONE"):
        body = gql(f"{{ personCounts(groupBy: [{dimension}]) {{ count values {{ value }} }} }}")
        text = json.dumps(body, ensure_ascii=False)
        assert EMAIL not in text, dimension
        assert PHONE not in text, dimension
