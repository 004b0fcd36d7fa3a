"""The typed change records read and write the JSON shape stored on revisions (and exported)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from graph.change_record import (
    Change,
    CommentChange,
    EntityChange,
    LinkChange,
    RemovedLink,
    from_json,
    to_json,
)
from graph.changes import (
    changes_from_json,
    changes_to_json,
    revision_index,
    store_changes,
    stored_changes,
    stored_changes_text,
)

STORED: list[dict[str, Any]] = [
    {"kind": "entity", "op": "create", "class": "Committee", "key": "tc-a", "before": None,
     "after": {"key": "tc-a", "founded": dt.date(2021, 10, 29)}, "version": 1},
    {"kind": "entity", "op": "update", "class": "Committee", "key": "tc-a",
     "before": {"designation": None}, "after": {"designation": "TC A"}, "version": 2},
    {"kind": "entity", "op": "delete", "class": "Committee", "key": "tc-b",
     "before": {"key": "tc-b"}, "after": None, "version": 3,
     "relationships": [{"type": "SUB_ORGANIZATION_OF", "start": "tc-b", "end": "org-x", "props": {}}]},
    {"kind": "link", "op": "link", "type": "SUB_ORGANIZATION_OF", "start": "tc-a", "end": "org-x",
     "before": None, "after": {"sources": ["s"]}},
    {"kind": "link", "op": "unlink", "type": "ABOUT", "start": "tc-a", "end": "concept-y",
     "before": {}, "after": None},
    {"kind": "comment", "op": "comment", "class": "LiaisonStatement", "key": "ls-1", "text": "ok"},
]  # fmt: skip


def test_every_kind_round_trips_through_its_stored_json() -> None:
    changes = [from_json(c) for c in STORED]
    assert [type(c) for c in changes] == [
        EntityChange, EntityChange, EntityChange, LinkChange, LinkChange, CommentChange,
    ]  # fmt: skip
    assert [to_json(c) for c in changes] == STORED
    assert changes_from_json(changes_to_json(changes)) == changes  # dates survive the JSON


def test_the_stored_text_is_the_json_the_log_always_held() -> None:
    text = changes_to_json([from_json(c) for c in STORED])
    assert json.loads(text)[0]["after"]["founded"] == {"$date": "2021-10-29"}
    assert "relationships" not in json.loads(text)[0]  # only a delete lists them


def test_a_stored_change_set_is_compressed_json_and_old_text_still_reads() -> None:
    changes = [from_json(c) for c in STORED]
    with_time = EntityChange(
        "update", "Committee", "tc-a", {"reviewed": None},
        {"reviewed": dt.datetime(2026, 12, 3, 6, 30, 1, 250000, tzinfo=dt.UTC)}, 4,
    )  # fmt: skip
    stored = store_changes([*changes, with_time])
    assert isinstance(stored, bytes)
    assert stored_changes(stored) == [*changes, with_time]  # dates and times survive
    # Exports carry the JSON text, with the same tagged dates as before compression.
    text = stored_changes_text(stored)
    assert json.loads(text)[0]["after"]["founded"] == {"$date": "2021-10-29"}
    assert json.loads(text)[-1]["after"]["reviewed"] == {
        "$datetime": "2026-12-03T06:30:01.250000+00:00"
    }
    # Revisions written before compression hold the JSON text itself.
    legacy = changes_to_json(changes)
    assert stored_changes(legacy) == changes
    assert stored_changes_text(legacy) == legacy
    # A catalogue batch's thousands of near-identical records shrink many times over.
    links: list[Change] = [
        LinkChange(
            "link", "COMPLEMENT_OF", f"itu-t-h-{i}", "itu-t-h-sup-1", None, {"sources": ["s"]}
        )
        for i in range(2000)
    ]
    assert len(store_changes(links)) * 20 < len(changes_to_json(links).encode())


def test_what_a_revision_touched() -> None:
    changes = [from_json(c) for c in STORED]
    deleted = changes[2]
    assert isinstance(deleted, EntityChange)
    assert deleted.relationships == (RemovedLink("SUB_ORGANIZATION_OF", "tc-b", "org-x", {}),)
    assert revision_index(changes) == {
        "keys": ["concept-y", "ls-1", "org-x", "tc-a", "tc-b"],
        "classes": ["Committee", "LiaisonStatement"],
        "types": ["ABOUT", "SUB_ORGANIZATION_OF"],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "rename", "op": "rename"}, "unknown kind of change 'rename'"),
        (
            {"kind": "link", "op": "link", "type": "ABOUT", "start": "a"},
            "link change without 'end'",
        ),
    ],
)
def test_a_malformed_record_is_named(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_json(data)
