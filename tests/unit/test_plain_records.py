"""Records as plain dicts: byte strings (compressed change sets) pass through whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import Record

from graph.gateway import plain

# The driver's Record constructor carries no annotations.
make_record: Any = Record


def test_byte_strings_are_handed_on_as_they_came_not_rebuilt() -> None:
    blob = bytes(range(256)) * 1000
    record = make_record(
        zip(["p", "revisions"], [{"changes": blob}, [{"changes": blob, "seq": 3}]], strict=True)
    )
    out = plain(record)
    # The very object the driver decoded: the driver's own Record.data() rebuilds it byte by byte.
    assert out["p"]["changes"] is blob
    assert out["revisions"][0]["changes"] is blob
    assert out == {"p": {"changes": blob}, "revisions": [{"changes": blob, "seq": 3}]}


def test_other_values_come_out_as_record_data_gives_them() -> None:
    when = dt.date(2024, 10, 1)
    values = ["text", 7, 1.5, True, None, [1, [2, "x"]], {"a": {"b": [when]}}]
    record = make_record(zip([f"k{i}" for i in range(len(values))], values, strict=True))
    assert plain(record) == record.data()
