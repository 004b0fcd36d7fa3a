"""Every label, relationship type and enum value written literally in graph/'s Cypher is one the
ontology (or graph/'s own bookkeeping) declares.

Neo4j answers a query on a label nobody carries with an empty result, not an error, so a rename in
the ontology that a hand-written statement missed would go unnoticed; this test reads the string
literals of graph/*.py (f-strings with the module-level names they interpolate filled in) and
names each unknown term with its file and line.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from graph.accounts import ACCOUNT_LABEL
from graph.changes import REVISION_LABEL, SEQUENCE_LABEL
from graph.gap_scope import SCOPE_LABEL
from graph.proposals import PROPOSAL_LABEL, Status
from graph.schema import NAMES_LABEL
from graph.tallies import CELL_LABEL, COUNTED_IN, ITEM_LABEL, STATE_LABEL
from ontology import ONTOLOGY, RESOURCE_LABEL

GRAPH = Path(__file__).resolve().parents[2] / "graph"

# Labels graph/ keeps for its own bookkeeping (not ontology classes), and their vocabularies.
INTERNAL_LABELS = {
    RESOURCE_LABEL,
    ACCOUNT_LABEL,
    REVISION_LABEL,
    SEQUENCE_LABEL,
    PROPOSAL_LABEL,
    NAMES_LABEL,  # a node that lives for one transaction (graph.schema.token_statement)
    SCOPE_LABEL,  # derived marks of the gap lists' scope (graph.gap_scope)
    ITEM_LABEL,  # derived counts of declared groupings (graph.tallies)
    CELL_LABEL,
    STATE_LABEL,
}
INTERNAL_VALUES: dict[str, dict[str, set[str]]] = {
    PROPOSAL_LABEL: {"status": set(get_args(Status))}
}

LABELS = {c.name for c in ONTOLOGY.classes} | INTERNAL_LABELS
TYPES = {r.type for r in ONTOLOGY.relations} | {COUNTED_IN}
# Enum property name -> the values it may hold, over every class and relationship declaring it.
ENUM_VALUES: dict[str, set[str]] = {}
for _owner, _props in [
    *((c.name, ONTOLOGY.class_properties(c)) for c in ONTOLOGY.classes),
    *((r.type, ONTOLOGY.relation_properties(r)) for r in ONTOLOGY.relations),
]:
    for _prop in _props:
        if _prop.enum is not None:
            ENUM_VALUES.setdefault(_prop.name, set()).update(ONTOLOGY.enum(_prop.enum).names)
ANY_VALUE = (
    {v for e in ONTOLOGY.enums for v in e.names}
    | {v for props in INTERNAL_VALUES.values() for vs in props.values() for v in vs}
    | LABELS
    | TYPES
)

HOLE = "\x00"  # an interpolated expression that is not a module-level string
_REL = re.compile(r"\[\s*(\w*)\s*:\s*!?(\w+(?:\s*\|\s*:?\w+)*)")
_LABELLED = re.compile(r"(?:\(\s*|\b)(\w*)((?::\w+)+)")
_COMPARED = re.compile(r"\b(\w+)\.(\w+)\)?\s*(?:=|<>)\s*'([A-Z][A-Z0-9_]*)'")
_LISTED = re.compile(r"\b(\w+)\.(\w+)\s+IN\s+\[([^\]]*)\]")
_QUOTED = re.compile(r"'([A-Z][A-Z0-9_]*)'")
# Cypher: a clause keyword, or a pattern (`(n:Label`, `)-[`, `]->`); other strings (RDF/XML
# frames, messages) are not read.
_CYPHER = re.compile(
    r"\b(MATCH|MERGE|CREATE|RETURN|WITH|UNWIND|WHERE|SET|CALL|DELETE|REMOVE|EXISTS|FOREACH)\b"
    r"|\(\w*:[A-Za-z]|\)-\[|\]-|<-\["
)


def cypher_problems(text: str) -> list[str]:
    """Unknown labels, relationship types and enum values in one Cypher text."""
    problems: list[str] = []
    bound: dict[str, str] = {}  # variable -> its label or relationship type
    for var, types in _REL.findall(text):
        for rel_type in re.split(r"\s*\|\s*:?", types):
            if rel_type not in TYPES:
                problems.append(f"unknown relationship type {rel_type}")
            bound.setdefault(var, rel_type)
    without_rels = _REL.sub("[]", text)
    for var, labels in _LABELLED.findall(without_rels):
        for label in labels.split(":")[1:]:
            if label not in LABELS:
                problems.append(f"unknown label {label}")
            if label != RESOURCE_LABEL:
                bound.setdefault(var, label)
    compared = [(var, prop, value) for var, prop, value in _COMPARED.findall(text)]
    for var, prop, values in _LISTED.findall(text):
        compared += [(var, prop, v) for v in _QUOTED.findall(values)]
    checked: set[str] = set()
    for var, prop, value in compared:
        internal = INTERNAL_VALUES.get(bound.get(var, ""), {})
        allowed = internal.get(prop) if internal else ENUM_VALUES.get(prop)
        if allowed is not None:
            checked.add(value)
            if value not in allowed:
                problems.append(f"{prop} has no value {value}")
    for value in _QUOTED.findall(text):
        if value not in checked and value not in ANY_VALUE:
            problems.append(f"unknown value {value}")
    return problems


def _text(node: ast.expr, module: object) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    assert isinstance(node, ast.JoinedStr)
    parts = []
    for part in node.values:
        if isinstance(part, ast.Constant):
            parts.append(str(part.value))
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name):
            value = getattr(module, part.value.id, None)
            parts.append(value if isinstance(value, str) else HOLE)
        else:
            parts.append(HOLE)
    return "".join(parts)


def graph_strings() -> Iterator[tuple[str, str]]:
    """(file:line, text) of every string literal in graph/*.py that holds Cypher."""
    for path in sorted(GRAPH.glob("*.py")):
        module = importlib.import_module(f"graph.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in ast.walk(node)
            if part is not node
        }
        for node in ast.walk(tree):
            if id(node) in inside_fstrings:
                continue
            if isinstance(node, ast.JoinedStr) or (
                isinstance(node, ast.Constant) and isinstance(node.value, str)
            ):
                text = _text(node, module)
                if _CYPHER.search(text):
                    yield f"{path.name}:{node.lineno}", text


def test_graph_cypher_names_only_declared_terms() -> None:
    problems = [f"{where}: {p}" for where, text in graph_strings() for p in cypher_problems(text)]
    assert problems == []


def test_the_literals_are_found() -> None:
    """The scan sees the hand-written terms (a scan that found nothing would pass vacuously)."""
    texts = [text for _, text in graph_strings()]
    assert any("(s:LiaisonStatement)-[:SENT_TO]->" in t for t in texts)
    assert any("s.replyStatus = 'AWAITING'" in t for t in texts)
    assert any(f"(p:{PROPOSAL_LABEL} {{id: $id}}) WHERE p.status = 'PENDING'" in t for t in texts)


@pytest.mark.parametrize(
    ("cypher", "problem"),
    [
        ("MATCH (s:LiaisonStatment {key: $key}) RETURN s", "unknown label LiaisonStatment"),
        ("MATCH (n:Resource) WHERE n:Standard OR n:Norm RETURN n", "unknown label Norm"),
        ("MATCH (a)-[:ADOPTED]->(b) RETURN b", "unknown relationship type ADOPTED"),
        ("MATCH (a)-[r:ABOUT|TOUCHES]->(b) RETURN b", "unknown relationship type TOUCHES"),
        ("MATCH (s) WHERE s.replyStatus = 'PENDING' RETURN s", "replyStatus has no value PENDING"),
        ("MATCH (s) WHERE s.state IN ['POSTED', 'SENT'] RETURN s", "state has no value SENT"),
        ("MATCH (p:Proposal) WHERE p.status = 'ACTIVE' RETURN p", "status has no value ACTIVE"),
        ("RETURN CASE x WHEN 'FOR_ACTON' THEN 1 END", "unknown value FOR_ACTON"),
    ],
)
def test_unknown_terms_are_named(cypher: str, problem: str) -> None:
    assert cypher_problems(cypher) == [problem]


def test_declared_terms_pass() -> None:
    assert (
        cypher_problems(
            "MATCH (s:LiaisonStatement)-[t:SENT_TO]->(r:Resource) "
            "WHERE s.replyStatus = 'AWAITING' AND coalesce(t.purpose, s.purpose) = 'FOR_ACTION' "
            "AND s.state IN ['POSTED', 'RECEIVED'] "
            "MATCH (p:Proposal {id: $id}) WHERE p.status = 'PENDING' RETURN s"
        )
        == []
    )
