"""Who may do what, through the real API: anonymous readers, readers, contributors, editors and
admins; tokens that are wrong or revoked; contact details hidden from anonymous readers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from graph.accounts import ROLES, create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess
from tests.conftest import GraphQLClient as Client

PREFIX = f"cr-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class User:
    name: str
    token: str


@pytest.fixture(scope="module")
async def users(seeded_db: AsyncDriver, neo4j_connection: Connection) -> dict[str, User]:
    """One account per role, created after the module's seed load (which empties the graph)."""
    out: dict[str, User] = {}
    for role in ROLES:
        name = f"{PREFIX}-{role}"
        _, token = await create_account(seeded_db, neo4j_connection.database, name, role)
        out[role] = User(name, token)
    return out


@pytest.fixture(scope="module")
def as_(api: ApiProcess, users: dict[str, User]) -> Iterator[dict[str, Client]]:
    """Clients by role; "anonymous" sends no Authorization header."""
    clients = {"anonymous": httpx.Client(verify=TLS, base_url=api.base_url, timeout=30)}
    for role, user in users.items():
        clients[role] = httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {user.token}"},
        )
    try:
        yield {role: Client(http) for role, http in clients.items()}
    finally:
        for http in clients.values():
            http.close()


CREATE = """
mutation Create($input: CommitteeInput!, $comment: String) {
  createCommittee(input: $input, comment: $comment) {
    applied
    revision { id actor comment changes { op entityType key version } }
    proposal { id status author comment reviewedBy reason revision }
    entity { key version createdBy }
  }
}
"""

ENTITY = "query One($key: String!) { entity(key: $key) { key version } }"
HISTORY = "query History($key: String!) { history(key: $key) { id } }"


def committee(key: str) -> dict[str, Any]:
    return {"key": key, "prefLabel": {"zh": "测试", "en": "Test"}, "committeeKind": "WG"}


def post_raw(api: ApiProcess, query: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{api.base_url}/graphql", json={"query": query}, headers=headers, timeout=30, verify=TLS
    )


# -- anonymous and readers ------------------------------------------------------------------------
def test_anonymous_can_read_but_every_mutation_needs_a_sign_in(as_: dict[str, Client]) -> None:
    anonymous = as_["anonymous"]
    assert anonymous.data('{ committee(key: "sac-tc28") { key } }') == {
        "committee": {"key": "sac-tc28"}
    }
    assert anonymous.data("{ me { name } }") == {"me": None}

    key = f"{PREFIX}-anon"
    mutations = [
        (CREATE, {"input": committee(key)}),
        (
            'mutation { updateCommittee(key: "sac-tc28", expectedVersion: 1, patch: {homepage: "https://x.example"}) { applied } }',
            None,
        ),
        ('mutation { deleteCommittee(key: "sac-tc28", expectedVersion: 1) { applied } }', None),
        (
            'mutation { link(type: ABOUT, from: "sac-tc28", to: "concept-blockchain") { applied } }',
            None,
        ),
        ('mutation { revert(revisionId: "x") { applied } }', None),
        ('mutation { approveProposal(id: "x") { applied } }', None),
        ('mutation { rejectProposal(id: "x", reason: "no") { status } }', None),
        ('mutation { createAccount(name: "x", role: "admin") { token } }', None),
    ]
    for query, variables in mutations:
        error = anonymous.error(query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", (query, error)
        assert "Authorization: Bearer" in error["message"]
    assert anonymous.data(ENTITY, {"key": key}) == {"entity": None}
    assert anonymous.data(HISTORY, {"key": key}) == {"history": []}
    # The seed committee was not changed by the refused update.
    assert (
        anonymous.data('{ committee(key: "sac-tc28") { version homepage } }')["committee"][
            "version"
        ]
        == 1
    )


def test_a_reader_reads_but_is_forbidden_to_change_anything(
    as_: dict[str, Client], users: dict[str, User]
) -> None:
    reader = as_["reader"]
    assert reader.data("{ me { name role revokedAt } }") == {
        "me": {"name": users["reader"].name, "role": "reader", "revokedAt": None}
    }
    key = f"{PREFIX}-reader"
    for query, variables in [
        (CREATE, {"input": committee(key)}),
        ('mutation { unlink(type: ABOUT, from: "sac-tc590", to: "concept-blockchain") { applied } }', None),
        ('mutation { revert(revisionId: "x") { applied } }', None),
        ("{ accounts { name } }", None),
    ]:  # fmt: skip
        error = reader.error(query, variables)
        assert error["extensions"]["code"] == "FORBIDDEN", (query, error)
        assert error["extensions"]["role"] == "reader"
    assert reader.data(ENTITY, {"key": key}) == {"entity": None}


# -- contributors ---------------------------------------------------------------------------------
def test_a_contributors_create_becomes_a_pending_proposal_and_writes_nothing(
    as_: dict[str, Client], users: dict[str, User]
) -> None:
    contributor = as_["contributor"]
    key = f"{PREFIX}-proposed"
    result = contributor.data(CREATE, {"input": committee(key), "comment": "please add"})[
        "createCommittee"
    ]
    assert result["applied"] is False
    assert result["revision"] is None
    assert result["entity"] is None
    proposal = result["proposal"]
    assert proposal["status"] == "PENDING"
    assert proposal["author"] == users["contributor"].name
    assert proposal["comment"] == "please add"
    assert (proposal["reviewedBy"], proposal["reason"], proposal["revision"]) == (None, None, None)

    # Nothing written: no entity, no revision.
    assert contributor.data(ENTITY, {"key": key}) == {"entity": None}
    assert contributor.data(HISTORY, {"key": key}) == {"history": []}
    pending = as_["editor"].data('{ proposals(status: "PENDING", first: 100) { id author } }')
    assert {"id": proposal["id"], "author": users["contributor"].name} in pending["proposals"]

    # Contributors cannot review, revert or manage accounts.
    for query in [
        f'mutation {{ approveProposal(id: "{proposal["id"]}") {{ applied }} }}',
        f'mutation {{ rejectProposal(id: "{proposal["id"]}", reason: "mine") {{ status }} }}',
        'mutation { revert(revisionId: "x") { applied } }',
        'mutation { createAccount(name: "x", role: "reader") { token } }',
    ]:
        error = contributor.error(query)
        assert error["extensions"]["code"] == "FORBIDDEN", (query, error)
        assert error["extensions"]["role"] == "contributor"


def test_a_contributors_update_delete_and_link_are_proposals_too(as_: dict[str, Client]) -> None:
    contributor = as_["contributor"]
    before = contributor.data(
        '{ committee(key: "sac-tc590") { version homepage subjects { key } } }'
    )
    results = [
        contributor.data(
            'mutation { updateCommittee(key: "sac-tc590", expectedVersion: 1, patch: {homepage: "https://tc590.example"}) { applied proposal { status } } }'
        )["updateCommittee"],
        contributor.data(
            'mutation { deleteCommittee(key: "sac-tc590", expectedVersion: 1, detach: true) { applied proposal { status } } }'
        )["deleteCommittee"],
        contributor.data(
            'mutation { unlink(type: ABOUT, from: "sac-tc590", to: "concept-blockchain") { applied proposal { status } } }'
        )["unlink"],
    ]
    assert results == [{"applied": False, "proposal": {"status": "PENDING"}}] * 3
    after = contributor.data(
        '{ committee(key: "sac-tc590") { version homepage subjects { key } } }'
    )
    assert after == before


# -- editors --------------------------------------------------------------------------------------
def test_an_editor_applies_directly_but_cannot_manage_accounts(
    as_: dict[str, Client], users: dict[str, User]
) -> None:
    editor = as_["editor"]
    key = f"{PREFIX}-applied"
    result = editor.data(CREATE, {"input": committee(key), "comment": "direct"})["createCommittee"]
    assert result["applied"] is True
    assert result["proposal"] is None
    assert result["entity"] == {"key": key, "version": 1, "createdBy": users["editor"].name}
    assert result["revision"]["actor"] == users["editor"].name
    assert result["revision"]["comment"] == "direct"
    assert result["revision"]["changes"] == [
        {"op": "create", "entityType": "Committee", "key": key, "version": 1}
    ]
    assert as_["anonymous"].data(ENTITY, {"key": key}) == {"entity": {"key": key, "version": 1}}
    assert [r["id"] for r in editor.data(HISTORY, {"key": key})["history"]] == [
        result["revision"]["id"]
    ]

    for query in [
        'mutation { createAccount(name: "x", role: "reader") { token } }',
        f'mutation {{ revokeAccount(name: "{users["reader"].name}") {{ name }} }}',
        "{ accounts { name } }",
    ]:
        error = editor.error(query)
        assert error["extensions"]["code"] == "FORBIDDEN", (query, error)
        assert error["extensions"]["role"] == "editor"
    assert editor.data("{ me { name role } }") == {
        "me": {"name": users["editor"].name, "role": "editor"}
    }


# -- admins and tokens ----------------------------------------------------------------------------
def test_only_an_admin_manages_accounts_and_a_revoked_token_is_refused(
    api: ApiProcess, as_: dict[str, Client], users: dict[str, User]
) -> None:
    admin = as_["admin"]
    assert admin.data("{ me { name role } }") == {
        "me": {"name": users["admin"].name, "role": "admin"}
    }
    name = f"{PREFIX}-new"
    created = admin.data(
        'mutation New($name: String!) { createAccount(name: $name, role: "contributor") '
        "{ token account { name role revokedAt } } }",
        {"name": name},
    )["createAccount"]
    assert created["account"] == {"name": name, "role": "contributor", "revokedAt": None}
    token = created["token"]
    assert token.startswith("mskg_")

    listed = {a["name"]: a for a in admin.data("{ accounts { name role revokedAt } }")["accounts"]}
    assert {n: listed[n]["role"] for n in [u.name for u in users.values()] + [name]} == {
        **{u.name: role for role, u in users.items()},
        name: "contributor",
    }
    assert "token" not in str(listed)

    new_headers = {"Authorization": f"Bearer {token}"}
    me = post_raw(api, "{ me { name role } }", new_headers)
    assert me.status_code == 200
    assert me.json()["data"] == {"me": {"name": name, "role": "contributor"}}

    duplicate = admin.error(
        'mutation New($name: String!) { createAccount(name: $name, role: "reader") { token } }',
        {"name": name},
    )
    assert duplicate["extensions"]["code"] == "CONFLICT"
    bad_role = admin.error(
        'mutation { createAccount(name: "x-bad-role", role: "owner") { token } }'
    )
    assert bad_role["extensions"]["code"] == "VALIDATION_FAILED"
    assert bad_role["extensions"]["fieldErrors"] == [{"path": "role", "message": "unknown role"}]

    revoked = admin.data(
        "mutation Revoke($name: String!) { revokeAccount(name: $name) { name role revokedAt } }",
        {"name": name},
    )["revokeAccount"]
    assert (revoked["name"], revoked["role"]) == (name, "contributor")
    assert revoked["revokedAt"] is not None
    listed_after = {a["name"]: a for a in admin.data("{ accounts { name revokedAt } }")["accounts"]}
    assert listed_after[name]["revokedAt"] == revoked["revokedAt"]

    # Revocation is immediate, even though the token was verified (and cached) a moment ago.
    refused = post_raw(api, "{ me { name } }", new_headers)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json()["detail"]["code"] == "UNAUTHENTICATED"
    assert "revoked" in refused.json()["detail"]["message"]

    missing = admin.error('mutation { revokeAccount(name: "nobody-at-all") { name } }')
    assert missing["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer mskg_0123456789abcdef_not-the-secret",
        "Bearer not-a-token",
        "Bearer",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_wrong_or_malformed_token_gets_401_with_a_json_body(
    api: ApiProcess, users: dict[str, User], authorization: str
) -> None:
    for query in ["{ me { name } }", '{ committee(key: "sac-tc28") { key } }']:
        response = post_raw(api, query, {"Authorization": authorization})
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["detail"]["code"] == "UNAUTHENTICATED"
        assert response.json()["detail"]["message"]


def test_a_right_token_id_with_a_wrong_secret_is_refused(
    api: ApiProcess, users: dict[str, User]
) -> None:
    prefix, token_id, _secret = users["admin"].token.split("_", 2)
    forged = f"{prefix}_{token_id}_{'x' * 43}"
    response = post_raw(api, "{ me { name } }", {"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "UNAUTHENTICATED"


def test_me_shows_each_account(as_: dict[str, Client], users: dict[str, User]) -> None:
    for role, user in users.items():
        me = as_[role].data("{ me { name role createdAt revokedAt } }")["me"]
        assert (me["name"], me["role"], me["revokedAt"]) == (user.name, role, None)
        assert me["createdAt"]


# -- contact details ------------------------------------------------------------------------------
PERSON = """
mutation NewPerson($input: PersonInput!) {
  createPerson(input: $input) { applied entity { key ... on Person { email phone homepage } } }
}
"""
READ_PERSON = "query P($key: String!) { person(key: $key) { key email phone homepage } }"


@pytest.fixture(scope="module")
def person(as_: dict[str, Client]) -> str:
    key = f"{PREFIX}-person"
    result = as_["editor"].data(
        PERSON,
        {
            "input": {
                "key": key,
                "prefLabel": {"zh": "李明", "en": "Li Ming"},
                "email": "li.ming@example.org",
                "phone": "+86 10 1234 5678",
                "homepage": "https://example.org/li",
            }
        },
    )["createPerson"]
    assert result == {
        "applied": True,
        "entity": {
            "key": key,
            "email": "li.ming@example.org",
            "phone": "+86 10 1234 5678",
            "homepage": "https://example.org/li",
        },
    }
    return key


def test_contact_details_are_null_for_anonymous_readers(
    as_: dict[str, Client], person: str
) -> None:
    assert as_["anonymous"].data(READ_PERSON, {"key": person}) == {
        "person": {
            "key": person,
            "email": None,
            "phone": None,
            "homepage": "https://example.org/li",
        }
    }
    by_entity = as_["anonymous"].data(
        "query E($key: String!) { entity(key: $key) { ... on Person { email phone } } }",
        {"key": person},
    )
    assert by_entity == {"entity": {"email": None, "phone": None}}


def test_contact_details_are_shown_to_any_signed_in_account(
    as_: dict[str, Client], person: str
) -> None:
    for role in ROLES:
        assert as_[role].data(READ_PERSON, {"key": person}) == {
            "person": {
                "key": person,
                "email": "li.ming@example.org",
                "phone": "+86 10 1234 5678",
                "homepage": "https://example.org/li",
            }
        }, role


def test_contact_details_cannot_be_probed_with_a_filter(as_: dict[str, Client]) -> None:
    error = as_["anonymous"].error(
        '{ persons(where: {email: {eq: "li.ming@example.org"}}) { nodes { key } } }'
    )
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.fixture(scope="module")
def proposed_person(as_: dict[str, Client], users: dict[str, User]) -> str:
    """A contributor's pending proposal of a Person with contact details."""
    key = f"{PREFIX}-proposed-person"
    result = as_["contributor"].data(
        "mutation P($input: PersonInput!) { createPerson(input: $input) { applied proposal { id } } }",
        {
            "input": {
                "key": key,
                "prefLabel": {"zh": "王芳", "en": "Wang Fang"},
                "email": "wang.fang@example.org",
                "phone": "+86 21 8765 4321",
            }
        },
    )["createPerson"]
    assert result["applied"] is False
    proposal_id: str = result["proposal"]["id"]
    return proposal_id


@pytest.mark.parametrize("channel", ["history", "recentChanges", "revision", "proposals"])
def test_contact_details_do_not_leak_to_anonymous_readers_through_the_change_log(
    as_: dict[str, Client], person: str, proposed_person: str, channel: str
) -> None:
    """The log of revisions and proposals is readable anonymously; the contact details it
    records must be hidden there as they are on the Person itself."""
    anonymous = as_["anonymous"]
    changes = "changes { key before after }"
    revision_id = as_["editor"].data(
        "query H($key: String!) { history(key: $key) { id } }", {"key": person}
    )["history"][0]["id"]
    queries: dict[str, tuple[str, dict[str, Any]]] = {
        "history": (f"query H($key: String!) {{ history(key: $key) {{ {changes} }} }}", {"key": person}),
        "recentChanges": (f"{{ recentChanges(types: [Person], first: 20) {{ {changes} }} }}", {}),
        "revision": (f"query R($id: String!) {{ revision(id: $id) {{ {changes} }} }}", {"id": revision_id}),
        "proposals": ('{ proposals(status: "PENDING", first: 100) { id steps } }', {}),
    }  # fmt: skip
    query, variables = queries[channel]
    body = anonymous(query, variables)
    logged = str(body.get("data"))
    # Either the channel is closed to anonymous readers, or it hides the contact details.
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
    else:
        assert (person in logged) or (proposed_person in logged), logged
    for secret in ("li.ming@example.org", "+86 10 1234 5678", "wang.fang@example.org", "+86 21 8765 4321"):  # fmt: skip
        assert secret not in logged, f"{channel} shows {secret!r} to anonymous readers"


def test_a_proposal_lists_the_values_it_would_change(as_: dict[str, Client], person: str) -> None:
    contributor = as_["contributor"]
    version = contributor.data("query ($k: String!) { person(key: $k) { version } }", {"k": person})
    proposal_id = contributor.data(
        """mutation ($k: String!, $v: Int!) { updatePerson(key: $k, expectedVersion: $v,
             patch: {prefLabel: {zh: "李明", en: "Li Ming (SC 24)"}, email: "li.ming@sc24.example"})
             { applied proposal { id } } }""",
        {"k": person, "v": version["person"]["version"]},
    )["updatePerson"]["proposal"]["id"]
    listing = '{ proposals(status: "PENDING", first: 100) { id steps current } }'
    found = next(p for p in as_["editor"].data(listing)["proposals"] if p["id"] == proposal_id)
    (step,) = found["steps"]
    # The patch of a text sets every language, the unused ones to nothing…
    assert step["props"]["prefLabel_fr"] is None
    assert step["props"]["prefLabel_en"] == "Li Ming (SC 24)"
    # …and the values stored now say which of them would change.
    assert found["current"] == {
        person: {"prefLabel_zh": "李明", "prefLabel_en": "Li Ming", "email": "li.ming@example.org"}
    }
    # Anonymous readers see the listing without the contact details stored now.
    public = next(p for p in as_["anonymous"].data(listing)["proposals"] if p["id"] == proposal_id)
    assert public["current"] == {person: {"prefLabel_zh": "李明", "prefLabel_en": "Li Ming"}}
    assert "li.ming@" not in str(public)
