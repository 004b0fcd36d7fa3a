"""The printed schema is a snapshot: API changes must be deliberate.

After an intended change: `.venv/bin/mskg graphql-schema > tests/snapshots/schema.graphql`.
"""

from __future__ import annotations

from pathlib import Path

from api.graphql.schema import schema
from ontology import ONTOLOGY

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "schema.graphql"


def test_printed_schema_matches_the_snapshot() -> None:
    printed = schema.as_str() + "\n"
    assert printed == SNAPSHOT.read_text(encoding="utf-8"), (
        "the GraphQL schema changed: review the diff, then regenerate the snapshot with "
        "`.venv/bin/mskg graphql-schema > tests/snapshots/schema.graphql`"
    )


def test_every_class_is_a_type_with_its_definition_as_description() -> None:
    sdl = schema.as_str()
    for cls in ONTOLOGY.classes:
        assert f"type {cls.name} implements Entity & Node" in sdl
        assert f"{cls.labels.en} ({cls.labels.zh}). {cls.labels.definition_en}".strip() in sdl
    assert "interface Entity implements Node" in sdl
