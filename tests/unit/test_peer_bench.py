"""The side-by-side benchmark's pure parts: the peer's typeDefs, the answer normalisation, the
operations' MSKG queries against our schema, and the profile summary. (The benchmark itself runs
with `make bench-peer`, never in the tests.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graphql import (
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    parse,
    print_ast,
    validate,
)

from api.graphql.schema import build_schema
from bench.peer_bench import summarise_profile
from bench.peer_compare import canonical, differences, from_peer
from bench.peer_ops import OPERATIONS, ROOT_STATEMENTS
from bench.peer_typedefs import interfaces, target_name, type_defs
from ontology import ONTOLOGY


def _types() -> dict[str, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode]:
    document = parse(type_defs(ROOT_STATEMENTS))
    return {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
    }


def test_every_class_is_a_node_type_labelled_with_its_class_and_resource() -> None:
    types = _types()
    for cls in ONTOLOGY.classes:
        node = types[cls.name]
        assert isinstance(node, ObjectTypeDefinitionNode)
        directive = next(d for d in node.directives or () if d.name.value == "node")
        assert print_ast(directive) == f'@node(labels: ["{cls.name}", "Resource"])'
        fields = {f.name.value: print_ast(f.type) for f in node.fields or ()}
        assert fields["key"] == "String!"
        assert fields["prefLabel_zh"] == fields["prefLabel_en"] == "String"
        assert fields["altLabel_en"] == "[String!]"
        for prop in cls.properties:
            for stored in prop.storage_names():
                assert stored in fields, f"{cls.name}.{stored}"


def test_every_relationship_is_a_field_at_both_ends_with_our_names() -> None:
    types = _types()
    for rel in ONTOLOGY.relations:
        for cls, name, direction, other in [
            *((c, rel.field, "OUT", rel.range) for c in rel.domain),
            *((c, rel.inverse_field, "IN", rel.domain) for c in rel.range),
        ]:
            node = types[cls]
            field = next(f for f in node.fields or () if f.name.value == name)
            assert print_ast(field.type) == f"[{target_name(other)}!]!"
            (directive,) = [d for d in field.directives or () if d.name.value == "relationship"]
            text = print_ast(directive)
            assert f'type: "{rel.type}"' in text
            assert f"direction: {direction}" in text


def test_an_interface_per_set_of_classes_implemented_by_exactly_those() -> None:
    types = _types()
    assert "CommitteeOrOrganization" in interfaces()
    for name, members in interfaces().items():
        assert isinstance(types[name], InterfaceTypeDefinitionNode)
        implementing = {
            t.name.value
            for t in types.values()
            if isinstance(t, ObjectTypeDefinitionNode)
            and name in {i.name.value for i in t.interfaces or ()}
        }
        assert implementing == set(members)


def test_the_mskg_query_of_every_operation_is_valid_against_our_schema() -> None:
    graphql_schema = build_schema(ONTOLOGY)._schema
    for op in OPERATIONS:
        assert validate(graphql_schema, parse(op.mskg)) == [], op.name
        parse(op.peer)  # the peer's dialect: at least well-formed GraphQL


def test_peer_answers_take_our_shape() -> None:
    peer = {
        "committee": [
            {
                "key": "c1",
                "liaisons": [
                    {
                        "partner": [{"key": "p"}],
                        "contactsEdges": {
                            "edges": [{"properties": {"side": "OURS"}, "node": {"key": "x"}}]
                        },
                    }
                ],
            }
        ],
        "awaitingReply": [{"key": "s1"}],
        "awaitingReply_total": {"totalCount": 7},
        "search": {"edges": [{"score": 1.5, "node": {"key": "c1"}}]},
    }
    ours = from_peer(peer, {"committee"}, {"awaitingReply"})
    assert ours == {
        "committee": {
            "key": "c1",
            "liaisons": [{"partner": {"key": "p"}, "contactsEdges": [{"side": "OURS", "node": {"key": "x"}}]}],
        },
        "awaitingReply": {"nodes": [{"key": "s1"}], "totalCount": 7},
        "search": [{"score": 1.5, "node": {"key": "c1"}}],
    }  # fmt: skip
    assert from_peer({"committee": []}, {"committee"}, ())["committee"] is None


def test_canonical_drops_nulls_sorts_unordered_lists_and_keeps_ordered_ones() -> None:
    value = {
        "a": None,
        "unordered": [{"k": 2}, {"k": 1}],
        "ordered": [{"k": 2}, {"k": 1, "d": date(2024, 5, 1)}],
        "score": 0.123456789,
    }
    assert canonical(value, frozenset({"ordered"})) == {
        "ordered": [{"k": 2}, {"d": "2024-05-01", "k": 1}],
        "score": 0.1235,
        "unordered": [{"k": 1}, {"k": 2}],
    }


def test_differences_name_the_path_and_both_values() -> None:
    expected = {"committee": {"key": "c1", "liaisons": [{"key": "l1"}, {"key": "l2"}]}}
    actual = {"committee": {"liaisons": [{"key": "l9"}]}}
    assert differences(expected, actual) == [
        'data.committee.key: missing (expected "c1")',
        "data.committee.liaisons: 1 items, expected 2",
        'data.committee.liaisons[0].key: "l9", expected "l1"',
    ]
    assert differences(expected, expected) == []


def test_profile_summary_puts_each_sample_in_one_part(tmp_path: Path) -> None:
    collapsed = tmp_path / "profile.collapsed.txt"
    collapsed.write_text(
        "run (asyncio/runners.py:118);validate (graphql/validation/validate.py:60);"
        "enter (graphql/language/visitor.py:300) 3\n"
        "run (asyncio/runners.py:118);execute (graphql/execution/execute.py:10);"
        "fetch (neo4j/_async/work/result.py:5) 1\n",
        encoding="utf-8",
    )
    summary = summarise_profile(collapsed)
    assert "| GraphQL validation (graphql-core) | 75.0 |" in summary
    assert "| Neo4j driver (send, receive, decode) | 25.0 |" in summary
    assert "| 75.0 | `enter (graphql/language/visitor.py)` |" in summary
