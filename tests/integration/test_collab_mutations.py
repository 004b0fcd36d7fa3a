"""Mutations through the real API: validation with field paths, optimistic concurrency, upsert,
nested creation in one transaction, detach-delete, link/unlink with domain and range checks,
and sources."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from graph.accounts import create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import TLS, ApiProcess
from tests.conftest import GraphQLClient as Client

PREFIX = f"cm-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Session:
    editor: Client
    editor_name: str
    anonymous: Client


@pytest.fixture(scope="module")
async def editor_token(seeded_db: AsyncDriver, neo4j_connection: Connection) -> tuple[str, str]:
    name = f"{PREFIX}-editor"
    _, token = await create_account(seeded_db, neo4j_connection.database, name, "editor")
    return name, token


@pytest.fixture(scope="module")
def s(api: ApiProcess, editor_token: tuple[str, str]) -> Iterator[Session]:
    name, token = editor_token
    with (
        httpx.Client(
            verify=TLS,
            base_url=api.base_url,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
        ) as editor,
        httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as anonymous,
    ):
        yield Session(Client(editor), name, Client(anonymous))


def key(name: str) -> str:
    return f"{PREFIX}-{name}"


LABEL = {"zh": "测试委员会", "en": "Test committee"}
MISSING = object()  # a field left out of the input
REVISION = "revision { id seq actor comment sources changes { kind op entityType key relationshipType fromKey toKey before after version } }"

CREATE_COMMITTEE = f"""
mutation Create($input: CommitteeInput!, $sources: [SourceRefInput!], $comment: String) {{
  createCommittee(input: $input, sources: $sources, comment: $comment) {{
    applied {REVISION}
    entity {{ key version ... on Committee {{ designation committeeKind status prefLabel {{ zh en }} note {{ zh en }} sources {{ key url prefLabel {{ zh en }} }} }} }}
  }}
}}
"""
UPSERT_COMMITTEE = f"""
mutation Upsert($input: CommitteeInput!) {{
  upsertCommittee(input: $input) {{ applied {REVISION} entity {{ key version }} }}
}}
"""
UPDATE_COMMITTEE = f"""
mutation Update($key: String!, $v: Int!, $patch: CommitteePatch!, $sources: [SourceRefInput!], $comment: String) {{
  updateCommittee(key: $key, expectedVersion: $v, patch: $patch, sources: $sources, comment: $comment) {{
    applied {REVISION}
    entity {{ key version ... on Committee {{ designation committeeKind status prefLabel {{ zh en }} note {{ zh en }} sources {{ key }} }} }}
  }}
}}
"""
DELETE_COMMITTEE = f"""
mutation Delete($key: String!, $v: Int!, $detach: Boolean! = false) {{
  deleteCommittee(key: $key, expectedVersion: $v, detach: $detach) {{ applied {REVISION} entity {{ key }} }}
}}
"""
LINK = f"""
mutation Link($type: RelationType!, $from: String!, $to: String!, $props: JSON, $sources: [SourceRefInput!]) {{
  link(type: $type, from: $from, to: $to, properties: $props, sources: $sources) {{ applied {REVISION} }}
}}
"""
UNLINK = f"""
mutation Unlink($type: RelationType!, $from: String!, $to: String!) {{
  unlink(type: $type, from: $from, to: $to) {{ applied {REVISION} }}
}}
"""
ENTITY = "query One($key: String!) { entity(key: $key) { key version } }"
HISTORY = "query H($key: String!) { history(key: $key) { id seq } }"
LATEST_SEQ = "{ recentChanges(first: 1) { seq } }"


def create_committee(s: Session, name: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = s.editor.data(
        CREATE_COMMITTEE, {"input": {"key": key(name), "prefLabel": LABEL, **fields}}
    )["createCommittee"]
    assert result["applied"] is True
    return result


def latest_seq(s: Session) -> int:
    seq: int = s.anonymous.data(LATEST_SEQ)["recentChanges"][0]["seq"]
    return seq


def assert_nothing_written(s: Session, keys: list[str], seq_before: int) -> None:
    for k in keys:
        assert s.anonymous.data(ENTITY, {"key": k}) == {"entity": None}, k
        assert s.anonymous.data(HISTORY, {"key": k}) == {"history": []}, k
    assert latest_seq(s) == seq_before


# -- validation -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "fields", "errors"),
    [
        (
            "Bad Key",
            {},
            [{"path": "input.key", "message": "String should match pattern '^[a-z0-9][a-z0-9.-]*$'"}],
        ),
        ("no-label", {"prefLabel": MISSING}, [{"path": "input.prefLabel", "message": "is required"}]),
        ("null-label", {"prefLabel": None}, ["input.prefLabel"]),
        (
            "several",
            {"designation": "", "founded": "2020-13", "homepage": "not a url"},
            ["input.designation", "input.founded", "input.homepage"],
        ),
        (
            "bad-link-props",
            {"links": {"counterpartOf": [{"key": "iso-tc307", "properties": {"evidence": "GUESSED"}}]}},
            [{"path": "input.links.counterpartOf.0.properties.evidence",
              "message": "must be one of 'STATED', 'ADOPTION_PRACTICE' or 'NAME_MATCH'"}],
        ),
        (
            "unknown-link-prop",
            {"links": {"secretariat": [{"key": "miit", "properties": {"since": "2020", "colour": "red"}}]}},
            [{"path": "input.links.secretariat.0.properties.colour",
              "message": "is not a property of this class"}],
        ),
        (
            "missing-link-prop",
            {"links": {"counterpartOf": [{"key": "iso-tc307"}]}},
            [{"path": "input.links.counterpartOf.0.properties.evidence", "message": "is required"}],
        ),
    ],
)  # fmt: skip
def test_create_with_invalid_input_is_validation_failed_with_field_paths(
    s: Session, name: str, fields: dict[str, Any], errors: list[Any]
) -> None:
    seq = latest_seq(s)
    entity_key = name if " " in name else key(name)
    entity_input = {"key": entity_key, "prefLabel": LABEL, **fields}
    error = s.editor.error(
        CREATE_COMMITTEE, {"input": {k: v for k, v in entity_input.items() if v is not MISSING}}
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED", error
    field_errors = error["extensions"]["fieldErrors"]
    if all(isinstance(e, str) for e in errors):
        assert [e["path"] for e in field_errors] == errors
        assert all(e["message"] for e in field_errors)
    else:
        assert field_errors == errors
    assert error["message"].startswith(f"invalid input: {field_errors[0]['path']} ")
    assert_nothing_written(s, [entity_key], seq)


def test_nested_child_validation_errors_carry_the_nested_path(s: Session) -> None:
    seq = latest_seq(s)
    missing = s.editor.error(
        "mutation L($input: LiaisonInput!) { createLiaison(input: $input) { applied } }",
        {
            "input": {
                "key": key("li-invalid"),
                "prefLabel": LABEL,
                "category": "INTERNAL",
                "nested": {
                    "statements": [
                        {"key": key("ls-ok"), "prefLabel": LABEL},
                        {"key": key("ls-nolabel")},
                    ]
                },
            }
        },
    )
    assert missing["extensions"]["code"] == "VALIDATION_FAILED"
    assert missing["extensions"]["fieldErrors"] == [
        {"path": "input.nested.statements.1.prefLabel", "message": "is required"}
    ]
    assert_nothing_written(s, [key("li-invalid"), key("ls-ok"), key("ls-nolabel")], seq)


def test_link_properties_given_as_json_are_validated_against_the_relationship(
    s: Session,
) -> None:
    seq = latest_seq(s)
    cases = [
        ({"evidence": "STATED", "colour": "red"}, [{"path": "properties.colour", "message": "is not a property of this class"}]),
        ({"evidence": "GUESSED"}, [{"path": "properties.evidence", "message": "must be one of 'STATED', 'ADOPTION_PRACTICE' or 'NAME_MATCH'"}]),
        ({}, [{"path": "properties.evidence", "message": "is required"}]),
        ("STATED", [{"path": "properties", "message": "must be an object of the relationship's properties"}]),
    ]  # fmt: skip
    for props, expected in cases:
        error = s.editor.error(
            LINK,
            {"type": "DOMESTIC_COUNTERPART_OF", "from": "sac-tc590", "to": "iso-iec-jtc1-sc42", "props": props},
        )  # fmt: skip
        assert error["extensions"]["code"] == "VALIDATION_FAILED", (props, error)
        assert error["extensions"]["fieldErrors"] == expected, props
    assert latest_seq(s) == seq
    counterparts = s.anonymous.data('{ committee(key: "sac-tc590") { counterpartOf { key } } }')
    assert {"key": "iso-iec-jtc1-sc42"} not in counterparts["committee"]["counterpartOf"]


def test_an_unknown_enum_value_in_a_literal_is_rejected_by_the_schema(s: Session) -> None:
    seq = latest_seq(s)
    error = s.editor.error(
        f'mutation {{ createCommittee(input: {{key: "{key("enum-literal")}", prefLabel: {{zh: "测", en: "T"}}, committeeKind: BOGUS}}) {{ applied }} }}'
    )
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "BOGUS" in error["message"]
    assert "CommitteeKind" in error["message"]
    assert_nothing_written(s, [key("enum-literal")], seq)


@pytest.mark.parametrize(
    ("mutation", "entity_input", "field"),
    [
        ("createCommittee", {"committeeKind": "BOGUS"}, "committeeKind"),
        ("createLiaisonStatement", {"deadline": "2027-02-30"}, "deadline"),
    ],
)
def test_an_invalid_value_in_a_variable_is_a_client_error_naming_the_field(
    s: Session, mutation: str, entity_input: dict[str, Any], field: str
) -> None:
    """Clients send input as variables; a value the schema cannot coerce (unknown enum value,
    impossible date) must come back as a client error naming the field, never masked as an
    internal server error."""
    seq = latest_seq(s)
    entity_key = key(f"bad-{field.lower()}")
    input_type = mutation.removeprefix("create") + "Input"
    error = s.editor.error(
        f"mutation M($input: {input_type}!) {{ {mutation}(input: $input) {{ applied }} }}",
        {"input": {"key": entity_key, "prefLabel": LABEL, **entity_input}},
    )
    assert error["extensions"]["code"] in (
        "VALIDATION_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
    ), error
    assert field in error["message"] or field in str(error["extensions"].get("fieldErrors")), error
    assert_nothing_written(s, [entity_key], seq)


def test_text_in_one_language_only_is_accepted(s: Session) -> None:
    """`LangTextInput` declares both languages optional; a note in English only is valid
    (the API itself stores such notes, e.g. on Sources created from a URL)."""
    result = s.editor.data(
        CREATE_COMMITTEE,
        {"input": {"key": key("en-note"), "prefLabel": LABEL, "note": {"en": "English only"}}},
    )["createCommittee"]
    assert result["applied"] is True
    assert result["entity"]["note"] == {"zh": None, "en": "English only"}


# -- create, update, conflicts --------------------------------------------------------------------
def test_create_then_update_with_expected_version(s: Session) -> None:
    created = create_committee(
        s, "upd", committeeKind="TC", designation="CM/TC 1", note={"zh": "注", "en": "note"}
    )
    assert created["entity"]["version"] == 1
    create_change = created["revision"]["changes"][0]
    assert create_change == {
        "kind": "entity", "op": "create", "entityType": "Committee", "key": key("upd"),
        "relationshipType": None, "fromKey": None, "toKey": None, "before": None,
        "after": {"committeeKind": "TC", "designation": "CM/TC 1", "key": key("upd"),
                  "note_en": "note", "note_zh": "注", "prefLabel_en": LABEL["en"], "prefLabel_zh": LABEL["zh"]},
        "version": 1,
    }  # fmt: skip

    updated = s.editor.data(
        UPDATE_COMMITTEE,
        {
            "key": key("upd"),
            "v": 1,
            "patch": {"designation": "CM/TC 2", "status": "ACTIVE", "committeeKind": "TC"},
            "comment": "renumbered",
        },
    )["updateCommittee"]
    assert updated["applied"] is True
    assert updated["entity"]["version"] == 2
    assert (updated["entity"]["designation"], updated["entity"]["status"]) == ("CM/TC 2", "ACTIVE")
    assert updated["entity"]["note"] == {"zh": "注", "en": "note"}  # untouched
    revision = updated["revision"]
    assert (revision["actor"], revision["comment"]) == (s.editor_name, "renumbered")
    # Exactly the changed fields: committeeKind was sent with its current value.
    assert revision["changes"] == [
        {
            "kind": "entity", "op": "update", "entityType": "Committee", "key": key("upd"),
            "relationshipType": None, "fromKey": None, "toKey": None,
            "before": {"designation": "CM/TC 1", "status": None},
            "after": {"designation": "CM/TC 2", "status": "ACTIVE"},
            "version": 2,
        }
    ]  # fmt: skip
    assert revision["seq"] > created["revision"]["seq"]

    # null removes a value; the removal is recorded.
    removed = s.editor.data(UPDATE_COMMITTEE, {"key": key("upd"), "v": 2, "patch": {"note": None}})[
        "updateCommittee"
    ]
    assert removed["entity"]["version"] == 3
    assert removed["entity"]["note"] is None
    assert removed["revision"]["changes"][0]["before"] == {"note_en": "note", "note_zh": "注"}
    assert removed["revision"]["changes"][0]["after"] == {"note_en": None, "note_zh": None}

    history = s.anonymous.data(HISTORY, {"key": key("upd")})["history"]
    assert [h["id"] for h in history] == [
        removed["revision"]["id"],
        revision["id"],
        created["revision"]["id"],
    ]


def test_a_stale_expected_version_is_a_conflict_with_the_current_version(s: Session) -> None:
    create_committee(s, "stale")
    s.editor.data(UPDATE_COMMITTEE, {"key": key("stale"), "v": 1, "patch": {"designation": "A"}})
    seq = latest_seq(s)
    for stale in (1, 5):
        error = s.editor.error(
            UPDATE_COMMITTEE, {"key": key("stale"), "v": stale, "patch": {"designation": "B"}}
        )
        assert error["extensions"]["code"] == "CONFLICT"
        assert error["extensions"]["currentVersion"] == 2
    error = s.editor.error(DELETE_COMMITTEE, {"key": key("stale"), "v": 1})
    assert (error["extensions"]["code"], error["extensions"]["currentVersion"]) == ("CONFLICT", 2)
    assert latest_seq(s) == seq
    entity = s.anonymous.data(
        "query C($key: String!) { committee(key: $key) { version designation } }",
        {"key": key("stale")},
    )
    assert entity == {"committee": {"version": 2, "designation": "A"}}


def test_update_errors(s: Session) -> None:
    create_committee(s, "upd-errors")
    missing = s.editor.error(
        UPDATE_COMMITTEE, {"key": key("no-such"), "v": 1, "patch": {"designation": "X"}}
    )
    assert missing["extensions"]["code"] == "NOT_FOUND"
    required = s.editor.error(
        UPDATE_COMMITTEE, {"key": key("upd-errors"), "v": 1, "patch": {"prefLabel": None}}
    )
    assert required["extensions"]["code"] == "VALIDATION_FAILED"
    assert required["extensions"]["fieldErrors"] == [
        {"path": "patch.prefLabel", "message": "is required and cannot be removed"}
    ]
    invalid = s.editor.error(
        UPDATE_COMMITTEE, {"key": key("upd-errors"), "v": 1, "patch": {"founded": "yesterday"}}
    )
    assert invalid["extensions"]["code"] == "VALIDATION_FAILED"
    assert [e["path"] for e in invalid["extensions"]["fieldErrors"]] == ["patch.founded"]
    wrong_class = s.editor.error(
        f'mutation {{ updateConcept(key: "{key("upd-errors")}", expectedVersion: 1, patch: {{notation: "x"}}) {{ applied }} }}'
    )
    assert wrong_class["extensions"]["code"] == "VALIDATION_FAILED"
    assert s.anonymous.data(ENTITY, {"key": key("upd-errors")}) == {
        "entity": {"key": key("upd-errors"), "version": 1}
    }


def test_upserting_the_same_input_twice_changes_nothing_the_second_time(s: Session) -> None:
    entity_input = {"key": key("ups"), "prefLabel": LABEL, "committeeKind": "SC"}
    first = s.editor.data(UPSERT_COMMITTEE, {"input": entity_input})["upsertCommittee"]
    assert first["applied"] is True
    assert first["entity"] == {"key": key("ups"), "version": 1}
    assert [c["op"] for c in first["revision"]["changes"]] == ["create"]

    second = s.editor.data(UPSERT_COMMITTEE, {"input": entity_input})["upsertCommittee"]
    assert second["applied"] is True
    assert second["entity"] == {"key": key("ups"), "version": 1}
    # Nothing changed, so nothing is logged: no revision, the version stays.
    assert second["revision"] is None
    history = s.editor.data("query ($k: String!) { history(key: $k) { seq } }", {"k": key("ups")})[
        "history"
    ]
    assert [h["seq"] for h in history] == [first["revision"]["seq"]]

    # An upsert replaces the whole record: a field left out is removed.
    third = s.editor.data(
        UPSERT_COMMITTEE, {"input": {"key": key("ups"), "prefLabel": LABEL, "designation": "U/1"}}
    )["upsertCommittee"]
    assert third["entity"]["version"] == 2
    assert third["revision"]["changes"][0]["before"] == {"committeeKind": "SC", "designation": None}
    assert third["revision"]["changes"][0]["after"] == {"committeeKind": None, "designation": "U/1"}


def test_creating_an_existing_key_is_a_conflict(s: Session) -> None:
    create_committee(s, "dup")
    error = s.editor.error(CREATE_COMMITTEE, {"input": {"key": key("dup"), "prefLabel": LABEL}})
    assert error["extensions"]["code"] == "CONFLICT"
    assert s.anonymous.data(ENTITY, {"key": key("dup")}) == {
        "entity": {"key": key("dup"), "version": 1}
    }


# -- nested creation ------------------------------------------------------------------------------
CREATE_LIAISON = f"""
mutation L($input: LiaisonInput!, $sources: [SourceRefInput!], $comment: String) {{
  createLiaison(input: $input, sources: $sources, comment: $comment) {{
    applied {REVISION}
    entity {{ key version ... on Liaison {{ category holder {{ key }} partner {{ key }} statements {{ key version ... on LiaisonStatement {{ direction deadline }} }} }} }}
  }}
}}
"""


def liaison_input(name: str, partner: str, statement: str) -> dict[str, Any]:
    return {
        "key": key(name),
        "prefLabel": {"zh": "联络", "en": "Liaison"},
        "category": "INTERNAL",
        "links": {"holder": [{"key": "sac-tc28"}], "partner": [{"key": partner}]},
        "nested": {
            "statements": [
                {
                    "key": key(statement),
                    "prefLabel": {"zh": "联络函", "en": "LS"},
                    "direction": "OUTGOING",
                    "deadline": "2027-03-31",
                }
            ]
        },
    }


def test_a_liaison_its_links_and_its_first_statement_are_created_in_one_revision(
    s: Session,
) -> None:
    result = s.editor.data(
        CREATE_LIAISON,
        {"input": liaison_input("li", "iso-iec-jtc1-sc24", "ls-1"), "comment": "agreed"},
    )["createLiaison"]
    assert result["applied"] is True
    assert result["entity"] == {
        "key": key("li"),
        "version": 1,
        "category": "INTERNAL",
        "holder": {"key": "sac-tc28"},
        "partner": {"key": "iso-iec-jtc1-sc24"},
        "statements": [{"key": key("ls-1"), "version": 1, "direction": "OUTGOING", "deadline": "2027-03-31"}],
    }  # fmt: skip
    changes = result["revision"]["changes"]
    assert [
        (c["op"], c["entityType"] or c["relationshipType"], c["key"] or (c["fromKey"], c["toKey"]))
        for c in changes
    ] == [
        ("create", "Liaison", key("li")),
        ("link", "LIAISON_OF", (key("li"), "sac-tc28")),
        ("link", "LIAISON_WITH", (key("li"), "iso-iec-jtc1-sc24")),
        ("create", "LiaisonStatement", key("ls-1")),
        ("link", "STATEMENT_OF", (key("ls-1"), key("li"))),
    ]
    assert result["revision"]["comment"] == "agreed"

    # Visible afterwards from every side, and one revision in each history.
    holder = s.anonymous.data('{ committee(key: "sac-tc28") { liaisons { key } } }')
    assert {"key": key("li")} in holder["committee"]["liaisons"]
    statement = s.anonymous.data(
        "query S($key: String!) { liaisonStatement(key: $key) { liaison { key } } }",
        {"key": key("ls-1")},
    )
    assert statement == {"liaisonStatement": {"liaison": {"key": key("li")}}}
    for k in (key("li"), key("ls-1")):
        assert [h["id"] for h in s.anonymous.data(HISTORY, {"key": k})["history"]] == [
            result["revision"]["id"]
        ]


def test_a_failing_nested_create_writes_nothing(s: Session) -> None:
    seq = latest_seq(s)
    error = s.editor.error(
        CREATE_LIAISON, {"input": liaison_input("li-bad", "no-such-body", "ls-bad")}
    )
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "no-such-body" in error["message"]
    assert_nothing_written(s, [key("li-bad"), key("ls-bad")], seq)
    holder = s.anonymous.data('{ committee(key: "sac-tc28") { liaisons { key } } }')
    assert {"key": key("li-bad")} not in holder["committee"]["liaisons"]

    # A nested child whose key is taken rolls back its parent as well.
    create_committee(s, "taken")
    seq = latest_seq(s)
    error = s.editor.error(
        CREATE_LIAISON, {"input": liaison_input("li-bad2", "iso-iec-jtc1-sc24", "taken")}
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert_nothing_written(s, [key("li-bad2")], seq)


# -- delete ---------------------------------------------------------------------------------------
def test_delete_with_relationships_needs_detach(s: Session) -> None:
    create_committee(
        s,
        "del",
        links={
            "parents": [{"key": "sac-tc28"}],
            "counterpartOf": [{"key": "iso-tc307", "properties": {"evidence": "STATED"}}],
        },
    )
    seq = latest_seq(s)
    error = s.editor.error(DELETE_COMMITTEE, {"key": key("del"), "v": 1})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "detach: true" in error["message"]
    assert latest_seq(s) == seq
    assert s.anonymous.data(ENTITY, {"key": key("del")})["entity"] == {
        "key": key("del"),
        "version": 1,
    }

    deleted = s.editor.data(DELETE_COMMITTEE, {"key": key("del"), "v": 1, "detach": True})[
        "deleteCommittee"
    ]
    assert deleted["applied"] is True
    assert deleted["entity"] is None
    change = deleted["revision"]["changes"][0]
    assert (change["op"], change["key"], change["after"], change["version"]) == (
        "delete",
        key("del"),
        None,
        1,
    )
    assert change["before"]["prefLabel_en"] == LABEL["en"]
    assert s.anonymous.data(ENTITY, {"key": key("del")}) == {"entity": None}
    children = s.anonymous.data('{ committee(key: "sac-tc28") { children { key } } }')
    assert {"key": key("del")} not in children["committee"]["children"]
    mirrors = s.anonymous.data('{ committee(key: "iso-tc307") { domesticCounterparts { key } } }')
    assert {"key": key("del")} not in mirrors["committee"]["domesticCounterparts"]

    missing = s.editor.error(DELETE_COMMITTEE, {"key": key("del"), "v": 1, "detach": True})
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_delete_without_relationships_needs_no_detach(s: Session) -> None:
    create_committee(s, "del-alone")
    deleted = s.editor.data(DELETE_COMMITTEE, {"key": key("del-alone"), "v": 1})
    assert deleted["deleteCommittee"]["applied"] is True
    assert s.anonymous.data(ENTITY, {"key": key("del-alone")}) == {"entity": None}


# -- link / unlink --------------------------------------------------------------------------------
def test_link_and_unlink_check_domain_range_and_existence(s: Session) -> None:
    create_committee(s, "linker")
    linked = s.editor.data(
        LINK,
        {"type": "DOMESTIC_COUNTERPART_OF", "from": key("linker"), "to": "iso-tc307", "props": {"evidence": "NAME_MATCH"}},
    )["link"]  # fmt: skip
    assert linked["applied"] is True
    assert linked["revision"]["changes"] == [
        {
            "kind": "link", "op": "link", "entityType": None, "key": None,
            "relationshipType": "DOMESTIC_COUNTERPART_OF", "fromKey": key("linker"), "toKey": "iso-tc307",
            "before": None, "after": {"evidence": "NAME_MATCH"}, "version": None,
        }
    ]  # fmt: skip
    edges = s.anonymous.data(
        "query C($key: String!) { committee(key: $key) { counterpartOfEdges { evidence node { key } } } }",
        {"key": key("linker")},
    )
    assert edges["committee"]["counterpartOfEdges"] == [
        {"evidence": "NAME_MATCH", "node": {"key": "iso-tc307"}}
    ]

    # Linking again updates the relationship's properties; the revision shows what changed.
    relinked = s.editor.data(
        LINK,
        {"type": "DOMESTIC_COUNTERPART_OF", "from": key("linker"), "to": "iso-tc307", "props": {"evidence": "STATED"}},
    )["link"]  # fmt: skip
    assert relinked["revision"]["changes"][0]["before"] == {"evidence": "NAME_MATCH"}
    assert relinked["revision"]["changes"][0]["after"] == {"evidence": "STATED"}

    seq = latest_seq(s)
    refused: list[tuple[dict[str, Any], str, str]] = [
        ({"type": "DOMESTIC_COUNTERPART_OF", "from": "concept-blockchain", "to": "iso-tc307", "props": {"evidence": "STATED"}},
         "VALIDATION_FAILED", "is a Concept, expected Committee"),
        ({"type": "DOMESTIC_COUNTERPART_OF", "from": key("linker"), "to": "miit", "props": {"evidence": "STATED"}},
         "VALIDATION_FAILED", "is a Organization, expected Committee"),
        ({"type": "ABOUT", "from": key("linker"), "to": "sac-tc28"},
         "VALIDATION_FAILED", "expected Concept"),
        ({"type": "ABOUT", "from": key("linker"), "to": key("nowhere")}, "NOT_FOUND", key("nowhere")),
        ({"type": "ABOUT", "from": key("nowhere"), "to": "concept-blockchain"}, "NOT_FOUND", key("nowhere")),
    ]  # fmt: skip
    for variables, code, fragment in refused:
        error = s.editor.error(LINK, variables)
        assert error["extensions"]["code"] == code, (variables, error)
        assert fragment in error["message"], (variables, error)
    assert latest_seq(s) == seq

    unlinked = s.editor.data(
        UNLINK, {"type": "DOMESTIC_COUNTERPART_OF", "from": key("linker"), "to": "iso-tc307"}
    )["unlink"]
    assert unlinked["revision"]["changes"] == [
        {
            "kind": "link", "op": "unlink", "entityType": None, "key": None,
            "relationshipType": "DOMESTIC_COUNTERPART_OF", "fromKey": key("linker"), "toKey": "iso-tc307",
            "before": {"evidence": "STATED"}, "after": None, "version": None,
        }
    ]  # fmt: skip
    edges = s.anonymous.data(
        "query C($key: String!) { committee(key: $key) { counterpartOf { key } } }",
        {"key": key("linker")},
    )
    assert edges == {"committee": {"counterpartOf": []}}
    again = s.editor.error(
        UNLINK, {"type": "DOMESTIC_COUNTERPART_OF", "from": key("linker"), "to": "iso-tc307"}
    )
    assert again["extensions"]["code"] == "NOT_FOUND"


def test_a_single_valued_relationship_is_not_silently_replaced(s: Session) -> None:
    s.editor.data(
        CREATE_LIAISON, {"input": liaison_input("li-single", "iso-iec-jtc1-sc29", "ls-single")}
    )
    error = s.editor.error(
        LINK, {"type": "LIAISON_WITH", "from": key("li-single"), "to": "iso-tc307"}
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "unlink it first" in error["message"]
    partner = s.anonymous.data(
        "query L($key: String!) { liaison(key: $key) { partner { key } } }",
        {"key": key("li-single")},
    )
    assert partner == {"liaison": {"partner": {"key": "iso-iec-jtc1-sc29"}}}


# -- sources --------------------------------------------------------------------------------------
URL = f"https://example.org/{PREFIX}/meeting-report"


def test_a_source_url_creates_a_source_that_the_entity_lists(s: Session) -> None:
    created = s.editor.data(
        CREATE_COMMITTEE,
        {
            "input": {"key": key("sourced"), "prefLabel": LABEL},
            "sources": [{"url": URL, "title": "Meeting report", "note": "item 4"}],
            "comment": "from the report",
        },
    )["createCommittee"]
    sources = created["entity"]["sources"]
    assert len(sources) == 1
    source_key = sources[0]["key"]
    assert sources[0] == {
        "key": source_key,
        "url": URL,
        "prefLabel": {"zh": "Meeting report", "en": "Meeting report"},
    }
    assert created["revision"]["sources"] == [source_key]
    assert [(c["op"], c["entityType"], c["key"]) for c in created["revision"]["changes"]] == [
        ("create", "Source", source_key),
        ("create", "Committee", key("sourced")),
    ]
    assert created["revision"]["changes"][1]["after"]["sources"] == [source_key]
    source = s.anonymous.data(
        "query S($key: String!) { source(key: $key) { key url note { en } } }", {"key": source_key}
    )
    assert source == {"source": {"key": source_key, "url": URL, "note": {"en": "item 4"}}}

    # Citing the same URL again reuses the Source; an update adds its sources, never replaces.
    other = s.editor.data(
        CREATE_COMMITTEE,
        {"input": {"key": key("sourced-2"), "prefLabel": LABEL}, "sources": [{"url": URL}]},
    )["createCommittee"]
    assert [x["key"] for x in other["entity"]["sources"]] == [source_key]
    sources_named = s.anonymous.data(
        "query S($url: String!) { sources(where: {url: {eq: $url}}) { totalCount } }", {"url": URL}
    )
    assert sources_named == {"sources": {"totalCount": 1}}

    updated = s.editor.data(
        UPDATE_COMMITTEE,
        {
            "key": key("sourced"),
            "v": 1,
            "patch": {"designation": "SRC/1"},
            "sources": [{"key": "seed-plan"}],
        },
    )["updateCommittee"]
    assert [x["key"] for x in updated["entity"]["sources"]] == [source_key, "seed-plan"]
    assert updated["revision"]["sources"] == ["seed-plan"]

    bad = s.editor.error(
        CREATE_COMMITTEE,
        {"input": {"key": key("sourced-bad"), "prefLabel": LABEL}, "sources": [{"title": "x"}]},
    )
    assert bad["extensions"]["code"] == "VALIDATION_FAILED"
    assert bad["extensions"]["fieldErrors"] == [
        {"path": "sources.0", "message": "give a `key` or a `url`"}
    ]


def test_link_sources_are_recorded_on_the_relationship(s: Session) -> None:
    create_committee(s, "edge-src")
    s.editor.data(
        LINK,
        {"type": "ABOUT", "from": key("edge-src"), "to": "concept-blockchain", "sources": [{"key": "seed-plan"}]},
    )  # fmt: skip
    edges = s.anonymous.data(
        "query C($key: String!) { committee(key: $key) { subjectsEdges { node { key } sources { key } } } }",
        {"key": key("edge-src")},
    )
    assert edges["committee"]["subjectsEdges"] == [
        {"node": {"key": "concept-blockchain"}, "sources": [{"key": "seed-plan"}]}
    ]


def test_the_unsourced_filter_lists_entities_created_without_sources(s: Session) -> None:
    create_committee(s, "unsourced")
    s.editor.data(
        CREATE_COMMITTEE,
        {
            "input": {"key": key("with-source"), "prefLabel": LABEL},
            "sources": [{"key": "seed-plan"}],
        },
    )
    unsourced = s.anonymous.data(
        "{ committees(where: {unsourced: true}, first: 100) { totalCount nodes { key sources { key } } } }"
    )["committees"]
    keys = {n["key"] for n in unsourced["nodes"]}
    assert key("unsourced") in keys
    assert key("with-source") not in keys
    assert key("sourced") not in keys
    # Only this module's committees: every seed committee cites a source.
    assert all(k.startswith(PREFIX) for k in keys), keys
    assert all(n["sources"] == [] for n in unsourced["nodes"])
    assert unsourced["totalCount"] == len(keys)

    sourced = s.anonymous.data(
        "{ committees(where: {unsourced: false}, first: 100) { nodes { key } } }"
    )["committees"]
    sourced_keys = {n["key"] for n in sourced["nodes"]}
    assert {"sac-tc28", key("with-source")} <= sourced_keys
    assert not keys & sourced_keys

    everything = s.anonymous.data(
        "{ entities(where: {unsourced: true}, first: 100) { nodes { key } } }"
    )
    assert all(
        n["key"].startswith(PREFIX) or n["key"].startswith("src-")
        for n in everything["entities"]["nodes"]
    ), everything
