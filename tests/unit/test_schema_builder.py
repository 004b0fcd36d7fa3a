"""The schema builder keeps nothing between builds: two schemas built in one process (from the
same ontology or from different ones) share no types and no mapping, and building one leaves the
other as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from graphql import GraphQLObjectType

from api.graphql.mapping import MappedSchema
from api.graphql.schema import build_schema
from ontology import ONTOLOGY
from ontology.model import Ontology

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "schema.graphql"
RENAMED = "Renamed for this test only."


def _with_committee_definition(definition: str) -> Ontology:
    classes = tuple(
        dataclasses.replace(c, labels=dataclasses.replace(c.labels, definition_en=definition))
        if c.name == "Committee"
        else c
        for c in ONTOLOGY.classes
    )
    return Ontology(
        classes=classes,
        relations=ONTOLOGY.relations,
        enums=ONTOLOGY.enums,
        common=ONTOLOGY.common,
        relation_common=ONTOLOGY.relation_common,
    )


def _origin(schema: MappedSchema, name: str) -> object:
    definition = schema.get_type_by_name(name)
    assert definition is not None, name
    return getattr(definition, "origin", definition)


def test_two_builds_share_no_types_and_no_mapping() -> None:
    first = build_schema(ONTOLOGY)
    second = build_schema(_with_committee_definition(RENAMED))

    # Building the second changed nothing in the first.
    assert first.as_str() + "\n" == SNAPSHOT.read_text(encoding="utf-8")
    assert RENAMED in second.as_str()
    assert RENAMED not in first.as_str()

    generated = [
        "Entity",
        *(c.name for c in ONTOLOGY.classes),
        "CommitteeWhere",
        "CommitteeOrder",
        "CommitteeInput",
        "CommitteeConnection",
        "ChangeResult",
        "EntityType",
        "Query",
        "Mutation",
        "Subscription",
    ]
    for name in generated:
        assert _origin(first, name) is not _origin(second, name), name
    assert first.mapping is not second.mapping
    for type_name in first.mapping.fields:
        assert first.mapping.fields[type_name] is not second.mapping.fields[type_name]
    for where_name in first.mapping.filters:
        assert first.mapping.filters[where_name] is not second.mapping.filters[where_name]


def test_the_same_ontology_builds_the_same_schema_twice() -> None:
    first, second = build_schema(ONTOLOGY), build_schema(ONTOLOGY)
    assert first.as_str() == second.as_str()
    assert first.mapping == second.mapping


def test_every_field_of_a_class_type_is_in_the_mapping() -> None:
    # A field the mapping does not know would never be fetched: its value would always be null.
    schema = build_schema(ONTOLOGY)
    always_projected = {"id", "iri"}  # every projection carries key and iri (graph.compile)
    for cls in ONTOLOGY.classes:
        graphql_type = schema._schema.get_type(cls.name)
        assert isinstance(graphql_type, GraphQLObjectType), cls.name
        for field_name in graphql_type.fields:
            if field_name in always_projected:
                continue
            assert schema.mapping.field_meta(cls.name, field_name) is not None, (
                f"{cls.name}.{field_name} is not in the mapping"
            )
