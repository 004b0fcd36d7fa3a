"""Selections and filters → one Cypher statement with parameters.

Identifiers that reach the Cypher text — labels, relationship types, property names, result
keys — are checked against the ontology or a strict identifier pattern; every value is a
parameter. Nested relationships become `COLLECT { … }` subqueries of the same statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graph.computed import computed_field
from graph.selection import (
    And,
    ClassIs,
    Compare,
    Computed,
    Filter,
    KeyIs,
    Not,
    Or,
    Order,
    Related,
    RelationSelection,
    Selection,
    SourcesSelection,
)
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import LANGUAGES, Datatype, PropertyDef
from ontology.provenance import RECORD_META, RELATION_META

# Stored on every node besides its class's properties: identity and bookkeeping.
META_PROPS: frozenset[str] = frozenset({"key", "iri", *(term.name for term in RECORD_META)})
# The bookkeeping a relationship carries (all but the entity's version).
_EDGE_META: frozenset[str] = frozenset(t.name for t in RELATION_META)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CompileError(ValueError):
    """A selection or filter names something the ontology does not declare."""


def _declared_properties() -> dict[str, PropertyDef]:
    props: dict[str, PropertyDef] = {}
    for cls in ONTOLOGY.classes:
        for prop in ONTOLOGY.class_properties(cls):
            props.setdefault(prop.name, prop)
    for rel in ONTOLOGY.relations:
        for prop in ONTOLOGY.relation_properties(rel):
            props.setdefault(prop.name, prop)
    return props


DECLARED = _declared_properties()


def _ident(name: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise CompileError(f"not an identifier: {name!r}")
    return name


def _prop(name: str) -> PropertyDef | None:
    """The declared property, None for meta properties; CompileError for anything else."""
    if name in META_PROPS:
        return None
    try:
        return DECLARED[name]
    except KeyError:
        raise CompileError(f"unknown property {name!r}") from None


def stored_property(name: str) -> str:
    """`name`, checked to be a property the ontology declares (or bookkeeping) and an identifier,
    so it may be written into Cypher; CompileError otherwise."""
    _prop(name)
    return _ident(name)


@dataclass
class Params:
    """Collects parameter values and hands out their names."""

    values: dict[str, Any] = field(default_factory=dict)
    _vars: int = 0

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"

    def var(self, prefix: str) -> str:
        self._vars += 1
        return f"{prefix}{self._vars}"


# -- filters ---------------------------------------------------------------------------------------
_BINARY = {
    "eq": "=",
    "ne": "<>",
    "lt": "<",
    "lte": "<=",
    "gt": ">",
    "gte": ">=",
    "in": "IN",
    "startsWith": "STARTS WITH",
    "endsWith": "ENDS WITH",
}


def _compare_one(expr: str, op: str, placeholder: str, many: bool, negated: bool) -> str:
    if op == "contains":
        # Case-insensitive: users type "blockchain" for "Blockchain".
        if many:
            return f"any(_x IN coalesce({expr}, []) WHERE toLower(toString(_x)) CONTAINS toLower({placeholder}))"
        # toString: bookkeeping times (createdAt …) are stored as DateTime, which toLower refuses.
        test = f"toLower(toString({expr})) CONTAINS toLower({placeholder})"
        return test if not negated else f"coalesce({test}, false)"
    symbol = _BINARY[op]
    if many:
        if op == "in":
            return f"any(_x IN coalesce({expr}, []) WHERE _x IN {placeholder})"
        return f"any(_x IN coalesce({expr}, []) WHERE _x {symbol} {placeholder})"
    # Two-valued logic: a missing value never matches (so NOT and ne include entities
    # that lack the property, as users expect).
    if op != "ne" and not negated:
        # Outside a negation a null comparison already acts as false (AND, OR and WHERE treat
        # it so), and the bare comparison is what lets the planner seek an index.
        return f"{expr} {symbol} {placeholder}"
    default = "true" if op == "ne" else "false"
    return f"coalesce({expr} {symbol} {placeholder}, {default})"


def _compare(var: str, cmp: Compare, params: Params, negated: bool) -> str:
    prop = _prop(cmp.prop)
    if prop is not None and prop.datatype is Datatype.TEXT:
        langs = [cmp.lang] if cmp.lang else list(LANGUAGES)
        stored = [f"{var}.{_ident(f'{prop.name}_{lang}')}" for lang in langs if lang in LANGUAGES]
    else:
        stored = [f"{var}.{_ident(cmp.prop)}"]
    many = prop is not None and prop.many
    if cmp.op == "isNull":
        test = "IS NULL" if cmp.value else "IS NOT NULL"
        joiner = " AND " if cmp.value else " OR "
        return "(" + joiner.join(f"{s} {test}" for s in stored) + ")"
    placeholder = params.add(cmp.value)
    return (
        "(" + " OR ".join(_compare_one(s, cmp.op, placeholder, many, negated) for s in stored) + ")"
    )


def where(var: str, flt: Filter | None, params: Params, negated: bool = False) -> str:
    """A Cypher boolean expression for `flt` on node `var` (`TRUE` when there is none), for a
    WHERE clause: it may be null where it means false. `negated`: it will stand under an odd
    number of NOTs, where null must be written as false explicitly."""
    if flt is None:
        return "TRUE"
    match flt:
        case Compare():
            return _compare(var, flt, params, negated)
        case And(parts=parts):
            return (
                "(" + " AND ".join(where(var, p, params, negated) for p in parts) + ")"
                if parts
                else "TRUE"
            )
        case Or(parts=parts):
            return (
                "(" + " OR ".join(where(var, p, params, negated) for p in parts) + ")"
                if parts
                else "FALSE"
            )
        case Not(part=part):
            return f"(NOT {where(var, part, params, not negated)})"
        case KeyIs(key=key):
            return f"{var}.key = {params.add(key)}"
        case ClassIs(classes=classes):
            if not classes:  # `types: []` names no class, so nothing matches
                return "FALSE"
            return "(" + " OR ".join(f"{var}:{ONTOLOGY.cls(c).name}" for c in classes) + ")"
        case Related():
            return _related(var, flt, params)
    raise CompileError(f"unsupported filter {flt!r}")


def _pattern(var: str, rel_var: str, rel_type: str, direction: str, other: str) -> str:
    definition = ONTOLOGY.relation(rel_type)
    rel = definition.type
    if definition.symmetric:  # stored once, meaningful both ways
        return f"({var})-[{rel_var}:{rel}]-({other}:{RESOURCE_LABEL})"
    if direction == "out":
        return f"({var})-[{rel_var}:{rel}]->({other}:{RESOURCE_LABEL})"
    return f"({var})<-[{rel_var}:{rel}]-({other}:{RESOURCE_LABEL})"


def _related(var: str, flt: Related, params: Params) -> str:
    # EXISTS is never null, so the condition inside starts afresh outside any negation, except
    # under `all`, which negates it.
    other, rel_var = params.var("m"), params.var("r")
    pattern = _pattern(var, rel_var, flt.rel_type, flt.direction, other)
    negated = flt.quantifier not in {"some", "none"}
    condition = f"{where(other, flt.target, params, negated)} AND {where(rel_var, flt.edge, params, negated)}"
    if flt.quantifier == "some":
        return f"EXISTS {{ MATCH {pattern} WHERE {condition} }}"
    if flt.quantifier == "none":
        return f"NOT EXISTS {{ MATCH {pattern} WHERE {condition} }}"
    return f"NOT EXISTS {{ MATCH {pattern} WHERE NOT ({condition}) }}"


# -- projections -----------------------------------------------------------------------------------
def order_by(var: str, order: tuple[Order, ...]) -> str:
    parts = []
    for item in order:
        name = item.prop
        base = (
            name.rsplit("_", 1)[0]
            if name.endswith(tuple(f"_{lang}" for lang in LANGUAGES))
            else name
        )
        _prop(base)
        parts.append(f"{var}.{_ident(name)}{' DESC' if item.descending else ''}")
    if not any(o.prop == "key" for o in order):
        parts.append(f"{var}.key")  # a total order: stable pages
    return ", ".join(parts)


def _value_entries(var: str, names: frozenset[str]) -> list[str]:
    entries = []
    for name in sorted(names):
        prop = _prop(name)
        if prop is not None and prop.datatype is Datatype.TEXT:
            langs = ", ".join(f"{lang}: {var}.{_ident(f'{name}_{lang}')}" for lang in LANGUAGES)
            entries.append(f"`{_ident(name)}`: {{{langs}}}")
        else:
            entries.append(f"`{_ident(name)}`: {var}.{_ident(name)}")
    return entries


def _sources(owner: str, sel: SourcesSelection, params: Params) -> str:
    s = params.var("s")
    return (
        f"`{_ident(sel.response_key)}`: COLLECT {{ UNWIND coalesce({owner}.sources, []) AS k "
        f"MATCH ({s}:Source {{key: k}}) RETURN {projection(s, sel.target, params)} }}"
    )


def _relation(var: str, sel: RelationSelection, params: Params) -> str:
    other, rel_var = params.var("m"), params.var("r")
    pattern = _pattern(var, rel_var, sel.rel_type, sel.direction, other)
    condition = f"{where(other, sel.where, params)} AND {where(rel_var, sel.edge_where, params)}"
    node = projection(other, sel.target, params)
    if sel.with_edge:
        rel = ONTOLOGY.relation(sel.rel_type)
        edge_names = frozenset(p.name for p in ONTOLOGY.relation_properties(rel)) | _EDGE_META
        if sel.edge_props is not None:  # only what was asked for (names checked against these)
            edge_names &= sel.edge_props
        entries = [f"node: {node}", *_value_entries(rel_var, edge_names)]
        entries += [_sources(rel_var, s, params) for s in sel.edge_sources]
        item = "{" + ", ".join(entries) + "}"
    else:
        item = node
    limit = params.add(int(sel.limit))
    # A symmetric relationship is matched both ways; when it is stored both ways too, keep
    # only the outgoing copy: one row per related node.
    rel_type = ONTOLOGY.relation(sel.rel_type)
    distinct = (
        f"AND (startNode({rel_var}) = {var} OR NOT EXISTS {{ MATCH ({var})-[:{rel_type.type}]->({other}) }}) "
        if rel_type.symmetric
        else ""
    )
    return (
        f"`{_ident(sel.response_key)}`: COLLECT {{ MATCH {pattern} WHERE {condition} {distinct}"
        f"WITH {other}, {rel_var} ORDER BY {order_by(other, sel.order)} LIMIT {limit} "
        f"RETURN {item} }}"
    )


def _computed(var: str, item: Computed, params: Params) -> str:
    declared = computed_field(item.name)
    if declared is None:
        raise CompileError(f"unknown computed field {item.name!r}")
    s = params.var("s")
    target = projection(s, item.target or Selection(), params) if declared.target_class else ""
    return f"`{_ident(item.response_key)}`: {declared.cypher(var, s, target)}"


def projection(var: str, sel: Selection, params: Params) -> str:
    """A map projection of node `var` with everything `sel` asks for."""
    entries = [
        f"`__class`: head([l IN labels({var}) WHERE l <> '{RESOURCE_LABEL}'])",
        f"key: {var}.key",
        f"iri: {var}.iri",
    ]
    entries += _value_entries(var, sel.props - {"key", "iri"})
    entries += [_relation(var, r, params) for r in sel.relations]
    entries += [_sources(var, s, params) for s in sel.sources]
    entries += [_computed(var, c, params) for c in sel.computed]
    return f"{var} {{{', '.join(entries)}}}"


# -- whole statements ------------------------------------------------------------------------------
def by_keys(keys: list[str], sel: Selection, params: Params) -> str:
    placeholder = params.add(keys)
    return (
        f"MATCH (n:{RESOURCE_LABEL}) WHERE n.key IN {placeholder} "
        f"RETURN {projection('n', sel, params)} AS item"
    )


def by_iris(iris: list[str], sel: Selection, params: Params) -> str:
    placeholder = params.add(iris)
    return (
        f"MATCH (n:{RESOURCE_LABEL}) WHERE n.iri IN {placeholder} "
        f"RETURN {projection('n', sel, params)} AS item"
    )


def _names_a_key(flt: Filter | None) -> bool:
    """Whether `flt` pins its node to given keys (a conjunct `key = …` or `key IN …`)."""
    match flt:
        case KeyIs():
            return True
        case Compare(prop="key", op="eq" | "in"):
            return True
        case And(parts=parts):
            return any(_names_a_key(part) for part in parts)
    return False


def _key_anchor(flt: Filter | None) -> tuple[Related, Filter | None] | None:
    """A conjunct of `flt` saying "related (some) to the entity with key K", and the rest.

    Written as `EXISTS { … }` the planner must find the candidates first and test each (5,000
    standards of a kind, each expanded, to keep 73); written as part of the MATCH it may start
    from K's unique key and expand from there. Both say the same: some relationship matches.
    """
    parts = flt.parts if isinstance(flt, And) else (flt,) if flt is not None else ()
    for i, part in enumerate(parts):
        if isinstance(part, Related) and part.quantifier == "some" and _names_a_key(part.target):
            rest = parts[:i] + parts[i + 1 :]
            return part, And(rest) if rest else None
    return None


def matching(start: str, labels: str, flt: Filter | None, params: Params) -> str:
    """`MATCH … WHERE … WITH n` binding each node of `start` (a pattern binding `n`) that has
    one of `labels` (a predicate) and passes the filter, once each."""
    anchor = _key_anchor(flt)
    if anchor is None:
        return f"MATCH {start} WHERE ({labels}) AND {where('n', flt, params)} WITH n"
    related, rest = anchor
    other, rel_var = params.var("m"), params.var("r")
    pattern = _pattern("n", rel_var, related.rel_type, related.direction, other)
    return (
        f"MATCH {start}, {pattern} WHERE ({labels}) AND {where(other, related.target, params)} "
        f"AND {where(rel_var, related.edge, params)} AND {where('n', rest, params)} "
        "WITH DISTINCT n"  # one row per node, however many of its relationships match
    )


def _index_ordered(
    classes: tuple[str, ...],
    flt: Filter | None,
    order: tuple[Order, ...],
    skip: int,
    limit: int,
    params: Params,
) -> str | None:
    """`… WITH n` binding one page of one class's nodes, unfiltered, sorted ascending by one
    property that has a range index of its own, read in the index's order; None when the page
    is not such.

    `ORDER BY n.p, n.key LIMIT k` alone makes Neo4j read and sort every node of the class (a
    Top of 20,000 standards for the first 100 by designation); given `n.p IS NOT NULL`, the
    planner reads the index in order and stops after k. Ascending, nodes without a value sort
    after all the others, so they are read (by key) only when the first part comes up short.
    The page is sorted again as a whole, on at most 2 × (skip + limit) rows: it is the same
    page as the plain statement's, whatever order the two parts come in.
    """
    # Unfiltered only: a filter that keeps fewer nodes than the page would make Neo4j read
    # the class twice (the ordered part, then the missing values), where a plain sort of what
    # the filter keeps reads it once; with a filter, the planner's own choice stands.
    if flt is not None or len(classes) != 1 or len(order) != 1 or order[0].descending:
        return None
    cls = ONTOLOGY.cls(classes[0])
    prop = order[0].prop
    if prop != "key" and prop not in cls.indexed_storage_names():
        return None
    column = f"n.{_ident(prop)}"
    need = params.add(skip + limit)
    # On a small graph the planner may sort instead: the index is always the way here.
    hint = f" USING INDEX n:{cls.name}({_ident(prop)})"
    # The tail is a subquery expression under CASE: Neo4j evaluates it only when the head came
    # up short (a `CALL` whose rows are filtered on `size(head)` still scans every node).
    return (
        f"CALL () {{ MATCH (n:{cls.name}){hint} WHERE {column} IS NOT NULL "
        f"WITH n ORDER BY {order_by('n', order)} LIMIT {need} RETURN collect(n) AS head }} "
        f"WITH head, CASE WHEN size(head) < {need} THEN COLLECT {{ "
        f"MATCH (n:{cls.name}) WHERE {column} IS NULL "
        f"WITH n ORDER BY n.key LIMIT {need} RETURN n }} ELSE [] END AS tail "
        f"UNWIND head + tail AS n WITH n "
        f"ORDER BY {order_by('n', order)} SKIP {params.add(skip)} LIMIT {params.add(limit)}"
    )


def page(
    classes: tuple[str, ...],
    flt: Filter | None,
    order: tuple[Order, ...],
    skip: int,
    limit: int,
    sel: Selection,
    with_total: bool,
    params: Params,
) -> str:
    """One page of nodes (and, only when asked, the total count) in one statement."""
    # One class: start from its label, so the planner may seek that class's indexes (every node
    # of a class label is a Resource: writers MERGE the Resource and add the class label).
    if len(classes) == 1:
        start, labels = f"(n:{ONTOLOGY.cls(classes[0]).name})", "TRUE"
    else:
        start = f"(n:{RESOURCE_LABEL})"
        labels = " OR ".join(f"n:{ONTOLOGY.cls(c).name}" for c in classes) or "TRUE"

    nodes = _index_ordered(classes, flt, order, skip, limit, params)
    if nodes is None:
        nodes = (
            f"{matching(start, labels, flt, params)} "
            f"ORDER BY {order_by('n', order)} SKIP {params.add(skip)} LIMIT {params.add(limit)}"
        )
    statement = (
        f"CALL () {{ {nodes} "
        # Project before collecting: projections may hold aggregating subqueries.
        f"WITH {projection('n', sel, params)} AS item RETURN collect(item) AS items }} "
    )
    if with_total:
        statement += (
            f"CALL () {{ {matching(start, labels, flt, params)} RETURN count(n) AS total }} "
            "RETURN items, total"
        )
    else:
        statement += "RETURN items, null AS total"
    return statement
