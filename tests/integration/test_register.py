"""The liaison officer's register end to end over HTTP: draft → submit → approve → post an
outgoing statement to two committees, record an incoming reply, and read the chain, the event
log, inbox/outbox, what awaits action (overdue first) and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess, GraphQLClient

FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()
PAST = "2020-01-15"


@pytest.fixture(scope="module")
async def tokens(seeded_db: AsyncDriver, neo4j_connection: Connection) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:6]
    out = {}
    for role in ("contributor", "editor"):
        _, out[role] = await create_account(
            seeded_db, neo4j_connection.database, f"reg-{role}-{suffix}", role
        )
    return out


@pytest.fixture
def as_role(api: ApiProcess, tokens: dict[str, str]) -> Iterator[dict[str, GraphQLClient]]:
    clients = {
        role: httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        )
        for role, token in tokens.items()
    }
    yield {role: GraphQLClient(client) for role, client in clients.items()}
    for client in clients.values():
        client.close()


DRAFT = """
mutation Draft($key: String!, $deadline: Date!) {
  draftStatement(input: {
    key: $key
    prefLabel: { zh: "关于元宇宙参考架构的联络函", en: "LS on the metaverse reference architecture" }
    identifiers: ["TC28-LS-2026-001"]
    purpose: FOR_ACTION
    direction: OUTGOING
    replyStatus: AWAITING
    deadline: $deadline
    summary: { en: "Asks SC 24 to comment on the draft reference architecture." }
    responseAddresses: ["secretariat@example.org"]
    links: {
      from: [{ key: "sac-tc28" }]
      to: [
        { key: "iso-iec-jtc1-sc24", properties: { purpose: "FOR_ACTION" } }
        { key: "iso-iec-jtc1-sc29", properties: { purpose: "FOR_INFORMATION" } }
      ]
    }
  }, comment: "first draft") {
    applied
    entity { key version ... on LiaisonStatement { state } }
  }
}
"""


def version_of(gql: GraphQLClient, key: str) -> int:
    version: int = gql.data(
        "query ($k: String!) { liaisonStatement(key: $k) { version } }", {"k": key}
    )["liaisonStatement"]["version"]
    return version


def transition(gql: GraphQLClient, action: str, key: str) -> dict[str, Any]:
    return gql(
        f"mutation ($k: String!, $v: Int!) {{ {action}Statement(key: $k, expectedVersion: $v) "
        "{ applied entity { ... on LiaisonStatement { state issued } } } }",
        {"k": key, "v": version_of(gql, key)},
    )


def test_outgoing_statement_workflow_reply_chain_and_views(
    as_role: dict[str, GraphQLClient], gql: GraphQLClient, api: ApiProcess
) -> None:
    contributor, editor = as_role["contributor"], as_role["editor"]
    out_key = f"ls-out-{uuid.uuid4().hex[:6]}"

    drafted = contributor.data(DRAFT, {"key": out_key, "deadline": FUTURE})["draftStatement"]
    assert drafted["applied"] is True  # drafting is not a proposal
    assert drafted["entity"]["state"] == "DRAFT"
    assert (
        transition(contributor, "submit", out_key)["data"]["submitStatement"]["entity"]["state"]
        == "PENDING_APPROVAL"
    )

    forbidden = transition(contributor, "approve", out_key)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    skipped = transition(editor, "post", out_key)  # posting needs approval first
    assert skipped["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert "needs 'APPROVED'" in skipped["errors"][0]["message"]

    assert (
        transition(editor, "approve", out_key)["data"]["approveStatement"]["entity"]["state"]
        == "APPROVED"
    )
    posted = transition(editor, "post", out_key)["data"]["postStatement"]["entity"]
    assert posted == {"state": "POSTED", "issued": dt.date.today().isoformat()}

    # Recipients: SC 24 for action, SC 29 for information.
    recipients = gql.data(
        "query ($k: String!) { liaisonStatement(key: $k) { toEdges { purpose node { key } } from { key } } }",
        {"k": out_key},
    )["liaisonStatement"]
    assert {(e["node"]["key"], e["purpose"]) for e in recipients["toEdges"]} == {
        ("iso-iec-jtc1-sc24", "FOR_ACTION"),
        ("iso-iec-jtc1-sc29", "FOR_INFORMATION"),
    }
    assert [f["key"] for f in recipients["from"]] == ["sac-tc28"]

    # The reply from SC 24 arrives: recorded as received, in response.
    reply_key = f"ls-in-{uuid.uuid4().hex[:6]}"
    reply = editor.data(
        """mutation ($key: String!, $to: String!) { createLiaisonStatement(input: {
             key: $key, prefLabel: { zh: "SC 24的答复", en: "Reply from SC 24" }, state: RECEIVED,
             direction: INCOMING, purpose: IN_RESPONSE, replyStatus: NOT_REQUIRED, issued: "2026-11-20",
             links: { from: [{ key: "iso-iec-jtc1-sc24" }], to: [{ key: "sac-tc28" }], inResponseTo: [{ key: $to }] } })
           { applied } }""",
        {"key": reply_key, "to": out_key},
    )
    assert reply["createLiaisonStatement"]["applied"] is True
    marked = editor.data(
        "mutation ($k: String!, $v: Int!) { markActionTaken(key: $k, expectedVersion: $v, replied: true) { applied } }",
        {"k": out_key, "v": version_of(gql, out_key)},
    )
    assert marked["markActionTaken"]["applied"] is True
    contributor.data(
        'mutation ($k: String!) { commentOnStatement(key: $k, text: "SC 24 agreed.") { applied } }',
        {"k": out_key},
    )

    chain = gql.data("query ($k: String!) { replyChain(key: $k) { key } }", {"k": reply_key})[
        "replyChain"
    ]
    assert [s["key"] for s in chain] == [reply_key, out_key] or {s["key"] for s in chain} == {
        reply_key,
        out_key,
    }

    events = gql.data(
        "query ($k: String!) { statementEvents(key: $k) { type actor detail } }", {"k": out_key}
    )["statementEvents"]
    assert [e["type"] for e in events] == [
        "drafted",
        "submitted",
        "approved",
        "posted",
        "response received",
        "replied",
        "comment added",
    ]
    assert events[0]["actor"].startswith("reg-contributor-")
    assert events[2]["actor"].startswith("reg-editor-")
    assert events[4]["detail"] == reply_key
    assert events[6]["detail"] == "SC 24 agreed."

    inbox = gql.data(
        '{ inbox(committee: "sac-tc28") { key } outbox(committee: "sac-tc28") { key state } }'
    )
    assert reply_key in [s["key"] for s in inbox["inbox"]]
    assert {"key": out_key, "state": "POSTED"} in inbox["outbox"]
    exchanges = gql.data('{ exchanges(a: "sac-tc28", b: "iso-iec-jtc1-sc24") { key } }')[
        "exchanges"
    ]
    assert {s["key"] for s in exchanges} >= {out_key, reply_key}


def test_awaiting_action_lists_overdue_first_and_the_ics_feed_has_the_deadlines(
    as_role: dict[str, GraphQLClient], gql: GraphQLClient, api: ApiProcess
) -> None:
    editor = as_role["editor"]
    suffix = uuid.uuid4().hex[:6]
    incoming = {f"ls-late-{suffix}": PAST, f"ls-soon-{suffix}": FUTURE, f"ls-open-{suffix}": None}
    for key, deadline in incoming.items():
        editor.data(
            """mutation ($key: String!, $deadline: Date) { createLiaisonStatement(input: {
                 key: $key, prefLabel: { zh: "来函", en: "Incoming LS" }, state: RECEIVED, direction: INCOMING,
                 purpose: FOR_ACTION, replyStatus: AWAITING, deadline: $deadline,
                 links: { from: [{ key: "itu-t-sg21" }], to: [{ key: "iso-iec-jtc1-sc36" }] } }) { applied } }""",
            {"key": key, "deadline": deadline},
        )
    waiting = gql.data(
        '{ awaitingAction(committee: "iso-iec-jtc1-sc36") { key deadline overdue } }'
    )["awaitingAction"]
    assert [w["key"] for w in waiting] == list(incoming)
    assert [w["overdue"] for w in waiting] == [True, False, False]

    response = httpx.get(
        f"{api.base_url}/feeds/committee/iso-iec-jtc1-sc36/deadlines.ics", timeout=30, verify=TLS
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"ls-late-{suffix}@mskg", f"ls-soon-{suffix}@mskg"}
    assert events[f"ls-soon-{suffix}@mskg"].decoded("dtstart") == dt.date.fromisoformat(FUTURE)
    assert (
        httpx.get(
            f"{api.base_url}/feeds/committee/no-such-body/deadlines.ics", timeout=30, verify=TLS
        ).status_code
        == 404
    )


def test_a_statement_created_as_posted_is_dated(
    as_role: dict[str, GraphQLClient], gql: GraphQLClient
) -> None:
    editor = as_role["editor"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    create = """mutation ($key: String!, $issued: String) { createLiaisonStatement(input: {
         key: $key, prefLabel: { en: "Posted at once" }, state: POSTED, direction: OUTGOING,
         purpose: FOR_INFORMATION, issued: $issued,
         links: { from: [{ key: "sac-tc28" }], to: [{ key: "iso-iec-jtc1-sc24" }] } }) { applied } }"""
    undated, dated = (f"ls-posted-{uuid.uuid4().hex[:6]}" for _ in range(2))
    editor.data(create, {"key": undated})
    editor.data(create, {"key": dated, "issued": "2026-03-02"})
    read = "query ($k: String!) { liaisonStatement(key: $k) { issued state } }"
    assert gql.data(read, {"k": undated})["liaisonStatement"] == {
        "issued": today,
        "state": "POSTED",
    }
    assert gql.data(read, {"k": dated})["liaisonStatement"]["issued"] == "2026-03-02"
    # The outbox names the state without taking a side.
    page = editor.http.get("/liaisons/sac-tc28", params={"lang": "en"})
    assert "Sent or posted" in page.text
    assert "(outgoing)" not in page.text.split('id="outbox"')[1].split("</table>")[0]


def test_the_dashboard_names_its_liaisons_and_marks_a_passed_deadline(
    api: ApiProcess, seeded_db: AsyncDriver
) -> None:
    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as client:
        zh = client.get("/liaisons/sac-tc28", params={"lang": "zh"}).text
        assert '<h2>联络关系 <span class="count">' in zh
        assert "<th>联络关系</th>" in zh
        en = client.get("/liaisons/itu-t", params={"lang": "en"}).text
    # The earliest deadline of the ITU-T – IETF statements awaiting a reply (the Datatracker's
    # 2023-11-20) has passed: shown, and marked.
    row = en.split('<tr data-key="liaison-itu-t-ietf">')[1].split("</tr>")[0]
    assert '2023-11-20 <span class="badge danger">overdue</span>' in row
