"""The side-by-side benchmark's pure parts: the peer's typeDefs, the answer normalisation, the
operations' MSKG queries against our schema, the profile summary and the CPU accounting. (The benchmark itself runs
with `make bench-peer`, never in the tests.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
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
from bench.peer_bench import Row, Series, cpu_row, cpu_seconds, summarise_profile
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


_BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\ntime.sleep(30)"


def test_cpu_time_of_a_process_counts_its_children() -> None:
    # A child that spends 0.4 s of CPU and then waits: its parent's tally holds that time
    # (the API's workers are its children).
    child = subprocess.Popen([sys.executable, "-c", _BURN])
    try:
        before = cpu_seconds(os.getpid())
        own = cpu_seconds(os.getpid(), with_children=False)
        deadline = time.monotonic() + 20
        while cpu_seconds(child.pid) < 0.4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cpu_seconds(child.pid) >= 0.39
        assert cpu_seconds(os.getpid()) - before >= 0.39
        assert cpu_seconds(os.getpid(), with_children=False) - own < 0.3  # this one only waited
    finally:
        child.kill()
        child.wait()
    assert cpu_seconds(child.pid) == 0.0  # gone: nothing to count


def test_cpu_per_request_is_each_process_time_over_the_requests_served() -> None:
    mskg = Series(latencies=[0.01] * 200, cpu={"API": 0.5, "Neo4j": 0.3, "client": 0.2})
    peer = Series(latencies=[0.02] * 100, cpu={"peer": 0.6, "Neo4j": 0.3, "client": 0.1})
    raw = Series(latencies=[0.001] * 1000, cpu={"Neo4j": 1.0, "client": 0.5})
    op = OPERATIONS[0]
    row = cpu_row(Row(op, 8, True, {"MSKG": mskg, "peer": peer, "raw": raw}))
    assert row == f"| {op.name} | 8 | 2.50 / 1.50 / 1.00 | 6.00 / 3.00 / 1.00 | 1.00 / 0.50 |"
    # Neo4j elsewhere (NEO4J_URI): its share is unknown, not zero.
    elsewhere = Series(latencies=[0.01], cpu={"API": 0.01, "client": 0.01})
    assert elsewhere.cpu_ms_per_request("Neo4j") is None
