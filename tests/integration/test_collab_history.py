"""The revision log through the real API: history, recentChanges, revert (of updates, of
reverts, of detach-deletes) and the review of contributors' proposals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from graph.accounts import Role, create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess
from tests.conftest import GraphQLClient as Client

PREFIX = f"ch-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Team:
    names: dict[str, str]  # role → account name
    clients: dict[str, Client]  # role → client; "anonymous" too

    def __getattr__(self, role: str) -> Client:
        return self.clients[role]


@pytest.fixture(scope="module")
async def tokens(
    seeded_db: AsyncDriver, neo4j_connection: Connection
) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    roles: list[tuple[str, Role]] = [
        ("editor", "editor"),
        ("editor2", "editor"),
        ("contributor", "contributor"),
    ]
    for label, role in roles:
        name = f"{PREFIX}-{label}"
        _, token = await create_account(seeded_db, neo4j_connection.database, name, role)
        out[label] = (name, token)
    return out


@pytest.fixture(scope="module")
def team(api: ApiProcess, tokens: dict[str, tuple[str, str]]) -> Iterator[Team]:
    https = {"anonymous": httpx.Client(verify=TLS, base_url=api.base_url, timeout=30)}
    for label, (_, token) in tokens.items():
        https[label] = httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        )
    try:
        yield Team(
            names={label: name for label, (name, _) in tokens.items()},
            clients={label: Client(http) for label, http in https.items()},
        )
    finally:
        for http in https.values():
            http.close()


def key(name: str) -> str:
    return f"{PREFIX}-{name}"


LABEL = {"zh": "历史", "en": "History"}
REVISION = "id seq at actor approvedBy comment sources reverts proposal changes { kind op entityType key relationshipType fromKey toKey before after version }"
CHANGE = f"applied revision {{ {REVISION} }}"
CREATE_COMMITTEE = f"""
mutation C($input: CommitteeInput!, $comment: String) {{
  createCommittee(input: $input, comment: $comment) {{ {CHANGE} proposal {{ id status author }} }}
}}
"""
UPDATE_COMMITTEE = f"""
mutation U($key: String!, $v: Int!, $patch: CommitteePatch!, $comment: String) {{
  updateCommittee(key: $key, expectedVersion: $v, patch: $patch, comment: $comment) {{
    {CHANGE} proposal {{ id status author comment }}
  }}
}}
"""
DELETE_COMMITTEE = f"""
mutation D($key: String!, $v: Int!, $detach: Boolean!) {{
  deleteCommittee(key: $key, expectedVersion: $v, detach: $detach) {{ {CHANGE} }}
}}
"""
REVERT = f"""
mutation R($id: String!, $comment: String) {{ revert(revisionId: $id, comment: $comment) {{ {CHANGE} }} }}
"""
HISTORY = f"query H($key: String!, $first: Int! = 50) {{ history(key: $key, first: $first) {{ {REVISION} }} }}"
STATE = """
query S($key: String!) {
  committee(key: $key) {
    key version updatedBy designation status prefLabel { zh en } note { zh en }
    parentsEdges { node { key } }
    secretariatEdges { since node { key } }
    counterpartOfEdges { evidence node { key } sources { key } }
    subjects { key }
  }
}
"""
PROPOSAL = """
id status author comment sources steps reviewedBy reviewedAt reason revision
"""


def create(team: Team, name: str, comment: str | None = None, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = team.editor.data(
        CREATE_COMMITTEE,
        {"input": {"key": key(name), "prefLabel": LABEL, **fields}, "comment": comment},
    )["createCommittee"]
    assert result["applied"] is True
    revision: dict[str, Any] = result["revision"]
    return revision


def update(team: Team, who: str, name: str, v: int, patch: dict[str, Any], comment: str | None = None) -> dict[str, Any]:  # fmt: skip
    result: dict[str, Any] = team.clients[who].data(
        UPDATE_COMMITTEE, {"key": key(name), "v": v, "patch": patch, "comment": comment}
    )["updateCommittee"]
    assert result["applied"] is True
    revision: dict[str, Any] = result["revision"]
    return revision


def state(team: Team, name: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = team.anonymous.data(STATE, {"key": key(name)})["committee"]
    return found


def history(team: Team, k: str, first: int = 50) -> list[dict[str, Any]]:
    revisions: list[dict[str, Any]] = team.anonymous.data(HISTORY, {"key": k, "first": first})[
        "history"
    ]
    return revisions


# -- history and recentChanges --------------------------------------------------------------------
def test_history_lists_revisions_newest_first_with_actor_comment_and_changes(team: Team) -> None:
    created = create(team, "hist", comment="set up", committeeKind="WG")
    first = update(team, "editor2", "hist", 1, {"designation": "H/1"}, comment="numbered")
    second = update(team, "editor", "hist", 2, {"status": "ACTIVE", "designation": "H/2"})

    revisions = history(team, key("hist"))
    assert [r["id"] for r in revisions] == [second["id"], first["id"], created["id"]]
    assert [r["seq"] for r in revisions] == sorted((r["seq"] for r in revisions), reverse=True)
    assert [r["actor"] for r in revisions] == [
        team.names["editor"],
        team.names["editor2"],
        team.names["editor"],
    ]
    assert [r["comment"] for r in revisions] == [None, "numbered", "set up"]
    assert [(c["op"], c["version"]) for r in revisions for c in r["changes"]] == [
        ("update", 3),
        ("update", 2),
        ("create", 1),
    ]
    assert revisions[0]["changes"][0]["before"] == {"designation": "H/1", "status": None}
    assert revisions[0]["changes"][0]["after"] == {"designation": "H/2", "status": "ACTIVE"}
    assert revisions[1]["changes"][0]["before"] == {"designation": None}
    assert revisions[1]["changes"][0]["after"] == {"designation": "H/1"}
    assert revisions[2]["changes"][0]["after"] == {
        "committeeKind": "WG",
        "key": key("hist"),
        "prefLabel_en": LABEL["en"],
        "prefLabel_zh": LABEL["zh"],
    }
    assert all(r["approvedBy"] is None and r["reverts"] is None for r in revisions)

    assert [r["id"] for r in history(team, key("hist"), first=2)] == [second["id"], first["id"]]
    assert history(team, key("never-existed")) == []
    single = team.anonymous.data(
        f"query R($id: String!) {{ revision(id: $id) {{ {REVISION} }} }}", {"id": first["id"]}
    )
    assert single == {"revision": revisions[1]}
    assert team.anonymous.data('{ revision(id: "no-such-revision") { id } }') == {"revision": None}


def test_history_includes_revisions_touching_the_entitys_relationships(team: Team) -> None:
    create(team, "rel-hist")
    linked = team.editor.data(
        f'mutation {{ link(type: SUB_ORGANIZATION_OF, from: "{key("rel-hist")}", to: "sac-tc28-sc24") {{ {CHANGE} }} }}'
    )["link"]["revision"]
    assert history(team, "sac-tc28-sc24")[0]["id"] == linked["id"]
    assert history(team, key("rel-hist"))[0]["id"] == linked["id"]


def test_history_of_a_neighbour_lists_the_detach_delete_that_removed_its_relationship(
    team: Team,
) -> None:
    """`history(key)` is documented as the revisions that touched an entity *or its
    relationships*; a detach-delete of the other end removes one of them."""
    create(team, "neighbour-gone", links={"parents": [{"key": "sac-tc28-sc24"}]})
    deleted = team.editor.data(
        DELETE_COMMITTEE, {"key": key("neighbour-gone"), "v": 1, "detach": True}
    )["deleteCommittee"]["revision"]
    assert deleted["changes"][0]["op"] == "delete"
    assert history(team, "sac-tc28-sc24")[0]["id"] == deleted["id"]


def test_recent_changes_filters_by_type(team: Team) -> None:
    before = team.anonymous.data("{ recentChanges(first: 1) { seq at } }")["recentChanges"][0]
    committee_rev = create(team, "recent")
    concept = team.editor.data(
        f"""mutation {{ createConcept(input: {{key: "{key("recent-concept")}", prefLabel: {{zh: "概念", en: "Concept"}}}}) {{ {CHANGE} }} }}"""
    )["createConcept"]["revision"]
    committee_update = update(team, "editor", "recent", 1, {"designation": "R/1"})

    recent = team.anonymous.data(f"{{ recentChanges(first: 3) {{ {REVISION} }} }}")["recentChanges"]
    assert [r["id"] for r in recent] == [committee_update["id"], concept["id"], committee_rev["id"]]

    committees = team.anonymous.data(
        "{ recentChanges(types: [Committee], first: 2) { id changes { entityType } } }"
    )["recentChanges"]
    assert [r["id"] for r in committees] == [committee_update["id"], committee_rev["id"]]
    concepts = team.anonymous.data("{ recentChanges(types: [Concept], first: 1) { id } }")
    assert concepts == {"recentChanges": [{"id": concept["id"]}]}
    both = team.anonymous.data("{ recentChanges(types: [Concept, Committee], first: 3) { id } }")[
        "recentChanges"
    ]
    assert [r["id"] for r in both] == [committee_update["id"], concept["id"], committee_rev["id"]]
    none = team.anonymous.data("{ recentChanges(types: [PlanItem], first: 100) { id seq } }")
    assert all(r["seq"] <= before["seq"] for r in none["recentChanges"])

    since = team.anonymous.data(
        "query R($since: DateTime!) { recentChanges(since: $since, first: 100) { id } }",
        {"since": committee_rev["at"]},
    )["recentChanges"]
    assert [r["id"] for r in since][:3] == [
        committee_update["id"],
        concept["id"],
        committee_rev["id"],
    ]
    error = team.anonymous.error("{ recentChanges(first: 1000) { id } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


# -- revert ---------------------------------------------------------------------------------------
def test_reverting_an_update_restores_the_previous_values_and_can_itself_be_reverted(
    team: Team,
) -> None:
    create(team, "rev", designation="V/1", note={"zh": "旧", "en": "old"})
    original = state(team, "rev")
    changed = update(
        team, "editor", "rev", 1,
        {"designation": "V/2", "status": "CONCLUDED", "note": None, "prefLabel": {"zh": "新", "en": "New"}},
    )  # fmt: skip
    after_update = state(team, "rev")
    assert after_update is not None
    assert original is not None
    assert after_update["version"] == 2

    reverted = team.editor2.data(REVERT, {"id": changed["id"], "comment": "undo"})["revert"]
    assert reverted["applied"] is True
    undo = reverted["revision"]
    assert (undo["reverts"], undo["actor"], undo["comment"]) == (
        changed["id"],
        team.names["editor2"],
        "undo",
    )
    assert undo["changes"][0]["before"] == changed["changes"][0]["after"]
    assert undo["changes"][0]["after"] == changed["changes"][0]["before"]
    restored = state(team, "rev")
    assert restored == {**original, "version": 3, "updatedBy": team.names["editor2"]}
    assert history(team, key("rev"))[0]["id"] == undo["id"]

    # The revert is a revision like any other: reverting it re-applies the update.
    again = team.editor.data(REVERT, {"id": undo["id"]})["revert"]["revision"]
    assert again["reverts"] == undo["id"]
    assert again["comment"] == f"Revert revision {undo['seq']}"
    assert state(team, "rev") == {**after_update, "version": 4}
    assert [r["reverts"] for r in history(team, key("rev"))[:3]] == [
        undo["id"],
        changed["id"],
        None,
    ]


def test_a_stale_revert_is_a_conflict_and_changes_nothing(team: Team) -> None:
    create(team, "rev-stale")
    first = update(team, "editor", "rev-stale", 1, {"designation": "S/1"})
    update(team, "editor", "rev-stale", 2, {"designation": "S/2"})
    error = team.editor.error(REVERT, {"id": first["id"]})
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["currentVersion"] == 3
    current = state(team, "rev-stale")
    assert current is not None
    assert (current["version"], current["designation"]) == (3, "S/2")
    missing = team.editor.error(REVERT, {"id": "no-such-revision"})
    assert missing["extensions"]["code"] == "NOT_FOUND"
    forbidden = team.contributor.error(REVERT, {"id": first["id"]})
    assert forbidden["extensions"]["code"] == "FORBIDDEN"


def test_reverting_a_delete_restores_the_entity_and_its_relationships(team: Team) -> None:
    create(
        team,
        "gone",
        designation="G/1",
        links={
            "parents": [{"key": "sac-tc28"}],
            "secretariat": [{"key": "miit", "properties": {"since": "2021-05"}}],
            "counterpartOf": [
                {"key": "iso-tc307", "properties": {"evidence": "STATED", "sources": ["seed-plan"]}}
            ],
            "subjects": [{"key": "concept-blockchain"}],
        },
    )
    before = state(team, "gone")
    assert before is not None
    assert before["counterpartOfEdges"] == [
        {"evidence": "STATED", "node": {"key": "iso-tc307"}, "sources": [{"key": "seed-plan"}]}
    ]
    deleted = team.editor.data(DELETE_COMMITTEE, {"key": key("gone"), "v": 1, "detach": True})[
        "deleteCommittee"
    ]["revision"]
    assert state(team, "gone") is None
    parent = team.anonymous.data('{ committee(key: "sac-tc28") { children { key } } }')
    assert {"key": key("gone")} not in parent["committee"]["children"]

    restored = team.editor2.data(REVERT, {"id": deleted["id"]})["revert"]["revision"]
    assert restored["reverts"] == deleted["id"]
    assert [(c["op"], c["key"]) for c in restored["changes"][:1]] == [("create", key("gone"))]
    assert {
        c["relationshipType"]: (c["op"], c["fromKey"], c["toKey"], c["after"])
        for c in restored["changes"][1:]
    } == {
        "ABOUT": ("link", key("gone"), "concept-blockchain", {}),
        "DOMESTIC_COUNTERPART_OF": ("link", key("gone"), "iso-tc307", {"evidence": "STATED", "sources": ["seed-plan"]}),
        "SECRETARIAT": ("link", key("gone"), "miit", {"since": "2021-05"}),
        "SUB_ORGANIZATION_OF": ("link", key("gone"), "sac-tc28", {}),
    }  # fmt: skip
    assert len(restored["changes"]) == 5
    after = state(team, "gone")
    assert after is not None
    assert {k: v for k, v in after.items() if k != "updatedBy"} == {
        k: v for k, v in before.items() if k != "updatedBy"
    }
    parent = team.anonymous.data('{ committee(key: "sac-tc28") { children { key } } }')
    assert {"key": key("gone")} in parent["committee"]["children"]

    # And undoing the restoration deletes it again, relationships included.
    team.editor.data(REVERT, {"id": restored["id"]})
    assert state(team, "gone") is None


# -- proposals ------------------------------------------------------------------------------------
def test_an_approved_proposal_is_applied_crediting_the_contributor_and_the_editor(
    team: Team,
) -> None:
    proposed = team.contributor.data(
        CREATE_COMMITTEE,
        {"input": {"key": key("proposed"), "prefLabel": LABEL, "committeeKind": "SG"}, "comment": "new SG"},
    )["createCommittee"]  # fmt: skip
    assert (proposed["applied"], proposed["revision"]) == (False, None)
    proposal_id = proposed["proposal"]["id"]
    assert proposed["proposal"] == {
        "id": proposal_id,
        "status": "PENDING",
        "author": team.names["contributor"],
    }
    assert state(team, "proposed") is None

    pending = team.editor.data(f'{{ proposals(status: "PENDING", first: 100) {{ {PROPOSAL} }} }}')
    listed = next(p for p in pending["proposals"] if p["id"] == proposal_id)
    assert (listed["comment"], listed["reviewedBy"], listed["revision"]) == ("new SG", None, None)
    assert [(s["op"], s["class_name"], s["key"]) for s in listed["steps"]] == [
        ("create", "Committee", key("proposed"))
    ]

    approved = team.editor.data(
        f"mutation A($id: String!) {{ approveProposal(id: $id) {{ {CHANGE} proposal {{ {PROPOSAL} }} }} }}",
        {"id": proposal_id},
    )["approveProposal"]
    assert approved["applied"] is True
    revision = approved["revision"]
    assert (
        revision["actor"],
        revision["approvedBy"],
        revision["proposal"],
        revision["comment"],
    ) == (
        team.names["contributor"],
        team.names["editor"],
        proposal_id,
        "new SG",
    )
    assert [(c["op"], c["key"]) for c in revision["changes"]] == [("create", key("proposed"))]
    proposal = approved["proposal"]
    assert (
        proposal["status"],
        proposal["reviewedBy"],
        proposal["revision"],
        proposal["reason"],
    ) == (
        "APPROVED",
        team.names["editor"],
        revision["id"],
        None,
    )
    assert proposal["reviewedAt"] is not None

    created = team.anonymous.data(
        "query C($key: String!) { committee(key: $key) { version createdBy committeeKind } }",
        {"key": key("proposed")},
    )
    assert created == {
        "committee": {"version": 1, "createdBy": team.names["contributor"], "committeeKind": "SG"}
    }
    logged = history(team, key("proposed"))
    assert [(r["id"], r["actor"], r["approvedBy"]) for r in logged] == [
        (revision["id"], team.names["contributor"], team.names["editor"])
    ]

    # Approving (or rejecting) again is a conflict and writes nothing.
    seq = team.anonymous.data("{ recentChanges(first: 1) { seq } }")["recentChanges"][0]["seq"]
    for query in [
        "mutation A($id: String!) { approveProposal(id: $id) { applied } }",
        'mutation R($id: String!) { rejectProposal(id: $id, reason: "late") { status } }',
    ]:
        for reviewer in (team.editor, team.editor2):
            error = reviewer.error(query, {"id": proposal_id})
            assert error["extensions"]["code"] == "CONFLICT", error
    assert (
        team.anonymous.data("{ recentChanges(first: 1) { seq } }")["recentChanges"][0]["seq"] == seq
    )
    assert len(history(team, key("proposed"))) == 1
    missing = team.editor.error('mutation { approveProposal(id: "no-such-proposal") { applied } }')
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_a_rejected_proposal_keeps_its_reason_and_writes_nothing(team: Team) -> None:
    create(team, "reject", designation="J/1")
    before = state(team, "reject")
    seq = team.anonymous.data("{ recentChanges(first: 1) { seq } }")["recentChanges"][0]["seq"]
    proposed = team.contributor.data(
        UPDATE_COMMITTEE,
        {"key": key("reject"), "v": 1, "patch": {"designation": "J/2"}, "comment": "typo?"},
    )["updateCommittee"]
    assert proposed["applied"] is False
    proposal_id = proposed["proposal"]["id"]

    rejected = team.editor2.data(
        f'mutation R($id: String!) {{ rejectProposal(id: $id, reason: "J/1 is right") {{ {PROPOSAL} }} }}',
        {"id": proposal_id},
    )["rejectProposal"]
    assert (
        rejected["status"],
        rejected["reason"],
        rejected["reviewedBy"],
        rejected["revision"],
    ) == (
        "REJECTED",
        "J/1 is right",
        team.names["editor2"],
        None,
    )
    assert rejected["author"] == team.names["contributor"]
    assert rejected["reviewedAt"] is not None

    listed = team.editor.data('{ proposals(status: "REJECTED", first: 100) { id reason status } }')
    assert {"id": proposal_id, "reason": "J/1 is right", "status": "REJECTED"} in listed[
        "proposals"
    ]
    pending = team.editor.data('{ proposals(status: "PENDING", first: 100) { id } }')
    assert {"id": proposal_id} not in pending["proposals"]

    assert state(team, "reject") == before
    assert (
        team.anonymous.data("{ recentChanges(first: 1) { seq } }")["recentChanges"][0]["seq"] == seq
    )
    approve = team.editor.error(
        "mutation A($id: String!) { approveProposal(id: $id) { applied } }", {"id": proposal_id}
    )
    assert approve["extensions"]["code"] == "CONFLICT"
    assert state(team, "reject") == before
    bad_status = team.editor.error('{ proposals(status: "DONE") { id } }')
    assert bad_status["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_proposal_made_stale_by_an_edit_is_a_conflict_and_stays_pending(team: Team) -> None:
    create(team, "stale-proposal")
    proposal_id = team.contributor.data(
        UPDATE_COMMITTEE, {"key": key("stale-proposal"), "v": 1, "patch": {"designation": "P/1"}}
    )["updateCommittee"]["proposal"]["id"]
    update(team, "editor", "stale-proposal", 1, {"designation": "E/1"})

    error = team.editor2.error(
        "mutation A($id: String!) { approveProposal(id: $id) { applied } }", {"id": proposal_id}
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["currentVersion"] == 2
    current = state(team, "stale-proposal")
    assert current is not None
    assert (current["version"], current["designation"]) == (2, "E/1")
    pending = team.editor.data('{ proposals(status: "PENDING", first: 100) { id status } }')
    assert {"id": proposal_id, "status": "PENDING"} in pending["proposals"]
