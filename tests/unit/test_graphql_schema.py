"""The printed schema is a snapshot: API changes must be deliberate.

After an intended change: `.venv/bin/mskg graphql-schema > tests/snapshots/schema.graphql`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.graphql.schema import build_schema
from ontology import ONTOLOGY

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "schema.graphql"


@pytest.fixture(scope="module")
def sdl() -> str:
    return build_schema(ONTOLOGY).as_str()


def test_printed_schema_matches_the_snapshot(sdl: str) -> None:
    printed = sdl + "\n"
    assert printed == SNAPSHOT.read_text(encoding="utf-8"), (
        "the GraphQL schema changed: review the diff, then regenerate the snapshot with "
        "`.venv/bin/mskg graphql-schema > tests/snapshots/schema.graphql`"
    )


def test_every_class_is_a_type_with_its_definition_as_description(sdl: str) -> None:
    for cls in ONTOLOGY.classes:
        assert f"type {cls.name} implements Entity & Node" in sdl
        assert f"{cls.labels.en} ({cls.labels.zh}). {cls.labels.definition_en}".strip() in sdl
    assert "interface Entity implements Node" in sdl
