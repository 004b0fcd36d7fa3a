"""typeDefs for the peer (the Neo4j GraphQL Library), generated from the ontology.

The peer must read the very graph MSKG writes, so its schema is derived from the same
declarations as ours: one `type X @node(labels: ["X", "Resource"])` per class, a field per
stored property (a text property is stored per language, `prefLabel_zh`, `prefLabel_en`, …, and
the peer sees those columns as they are), and every relationship as a field on both ends named
like ours (`parents`/`children`, `adopts`/`adoptedBy`, …), with its properties as
`@relationshipProperties`. A relationship whose other end may be one of several classes points at
an interface named like our filter inputs (`CommitteeOrOrganization`), which those classes
implement.

Two deliberate differences from our schema, both the peer's own rules: relationship fields are
always lists (version 7 rejects single relationships), and our computed fields are added as
`@cypher` fields, written the way a user of the library would (see `COMPUTED`).

    .venv/bin/python -m bench.peer_typedefs > typeDefs.graphql
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.schema import FULLTEXT_INDEX
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import ClassDef, Datatype, PropertyDef, RelationDef

_SCALARS = {
    Datatype.STRING: "String",
    Datatype.TEXT: "String",
    Datatype.INTEGER: "Int",
    Datatype.DOUBLE: "Float",
    Datatype.BOOLEAN: "Boolean",
    Datatype.DATE: "Date",
    Datatype.PARTIAL_DATE: "String",
    Datatype.DATETIME: "DateTime",
    Datatype.URI: "String",
}

# Our API's computed fields that the operations use, as the peer's `@cypher` fields: the same
# definitions as graph/compile.py's, written once more in the library's dialect (`this` is the
# node). They are part of the comparison: what a user of the library would have to write.
COMPUTED: dict[str, tuple[str, ...]] = {
    "Liaison": (
        '  statementCount: Int! @cypher(statement: """'
        "RETURN COUNT { (this)<-[:STATEMENT_OF]-(:LiaisonStatement) } AS n"
        '""", columnName: "n")',
        # The library runs a @cypher field as a subquery of its parent, so a statement must
        # return one row even when there is nothing to return (no row drops the parent).
        '  nextDeadline: Date @cypher(statement: """'
        "OPTIONAL MATCH (this)<-[:STATEMENT_OF]-(s:LiaisonStatement) "
        "WHERE s.replyStatus = 'AWAITING' RETURN min(s.deadline) AS d"
        '""", columnName: "d")',
        '  lastExchange: LiaisonStatement @cypher(statement: """'
        "RETURN head(COLLECT { MATCH (this)<-[:STATEMENT_OF]-(s:LiaisonStatement) "
        "WHERE s.issued IS NOT NULL WITH s ORDER BY s.issued DESC, s.key LIMIT 1 RETURN s }) AS s"
        '""", columnName: "s")',
    ),
}

# Our gap analysis and aggregations have no counterpart in the generated API; a user of the
# library writes them as `@cypher` root fields, here with the raw driver's statements
# (bench/peer_ops.py), so the peer runs exactly the hand-written Cypher behind its GraphQL layer.
EXTRA_TYPES = """
type CountValue {
  value: String
}

type CountGroup {
  count: Int!
  values: [CountValue!]!
}
"""


def query_fields(statements: dict[str, tuple[str, str, str]]) -> str:
    """`type Query` with one `@cypher` field per (arguments, return type, statement)."""
    lines = []
    for name, (args, returns, statement) in statements.items():
        lines.append(
            f'  {name}{args}: {returns} @cypher(statement: """{statement}""", columnName: "item")'
        )
    return "type Query {\n" + "\n".join(lines) + "\n}\n"


def _scalar(prop: PropertyDef) -> str:
    if prop.datatype is Datatype.ENUM:
        assert prop.enum is not None
        return prop.enum
    return _SCALARS[prop.datatype]


def _property_fields(props: Iterable[PropertyDef]) -> list[str]:
    lines = []
    for prop in props:
        base = _scalar(prop)
        kind = f"[{base}!]" if prop.many else base
        if prop.datatype is Datatype.TEXT:
            lines += [f"  {name}: {kind}" for name in prop.storage_names()]
        else:
            bang = "!" if prop.name == "key" else ""
            lines.append(f"  {prop.name}: {kind}{bang}")
    return lines


def target_name(classes: tuple[str, ...]) -> str:
    """The peer type a relationship field points at: the class, or the interface of several."""
    if len(classes) == 1:
        return classes[0]
    return "Or".join(sorted(classes))


def _pascal(rel_type: str) -> str:
    return "".join(part.capitalize() for part in rel_type.split("_"))


def _relationship_fields(cls: ClassDef) -> list[str]:
    lines: list[str] = []
    seen: dict[str, str] = {}
    for rel in ONTOLOGY.relations:
        for name, direction, other in _ends(rel, cls.name):
            if name in seen:
                raise ValueError(f"{cls.name}.{name} is both {seen[name]} and {rel.type}")
            seen[name] = rel.type
            props = f', properties: "{_pascal(rel.type)}Properties"'
            lines.append(
                f"  {name}: [{target_name(other)}!]! "
                f'@relationship(type: "{rel.type}", direction: {direction}{props})'
            )
    return lines


def _ends(rel: RelationDef, cls: str) -> list[tuple[str, str, tuple[str, ...]]]:
    ends = []
    if cls in rel.domain:
        ends.append((rel.field, "OUT", rel.range))
    if cls in rel.range:
        ends.append((rel.inverse_field, "IN", rel.domain))
    return ends


def search_query(cls: ClassDef) -> str:
    """The peer's full-text query of a class (our `search(types: [X])`)."""
    return f"{cls.name[:1].lower()}{cls.name[1:]}Search"


def _fulltext(cls: ClassDef) -> str:
    # Our full-text index covers every class (label Resource); the peer queries it and keeps the
    # hits of its own label, which is what `search(types: [X])` does. The library accepts only
    # single-valued string fields here; the list is informative (the index also holds altLabel).
    fields = [
        n
        for p in ONTOLOGY.class_properties(cls)
        if p.searchable and not p.many
        for n in p.storage_names()
    ]
    names = ", ".join(f'"{n}"' for n in fields)
    return (
        f'@fulltext(indexes: [{{ indexName: "{FULLTEXT_INDEX}", '
        f'queryName: "{search_query(cls)}", fields: [{names}] }}]) '
    )


def interfaces() -> dict[str, tuple[str, ...]]:
    """Every set of several classes a relationship may lead to, by interface name."""
    found: dict[str, tuple[str, ...]] = {}
    for rel in ONTOLOGY.relations:
        for classes in (rel.domain, rel.range):
            if len(classes) > 1:
                found[target_name(classes)] = tuple(sorted(classes))
    return dict(sorted(found.items()))


def type_defs(root_statements: dict[str, tuple[str, str, str]] | None = None) -> str:
    """The whole SDL the peer serves, with `@cypher` root fields from `root_statements`."""
    common = [*_property_fields(ONTOLOGY.common), "  iri: String", "  version: Int"]
    out: list[str] = []
    for enum in ONTOLOGY.enums:
        out.append(f"enum {enum.name} {{ {' '.join(enum.names)} }}")
    for name in interfaces():
        out.append(f"interface {name} {{\n" + "\n".join(common) + "\n}")
    shared = interfaces()
    for cls in ONTOLOGY.classes:
        implements = [name for name, members in shared.items() if cls.name in members]
        impl = f" implements {' & '.join(implements)}" if implements else ""
        fields = [
            *common,
            *_property_fields(cls.properties),
            *_relationship_fields(cls),
            *COMPUTED.get(cls.name, ()),
        ]
        out.append(
            f"type {cls.name}{impl} {_fulltext(cls)}"
            f'@node(labels: ["{cls.name}", "{RESOURCE_LABEL}"]) {{\n' + "\n".join(fields) + "\n}"
        )
    for rel in ONTOLOGY.relations:
        fields = _property_fields(ONTOLOGY.relation_properties(rel))
        out.append(
            f"type {_pascal(rel.type)}Properties @relationshipProperties {{\n"
            + "\n".join(fields)
            + "\n}"
        )
    if root_statements:
        out += [EXTRA_TYPES.strip(), query_fields(root_statements).strip()]
    return "\n\n".join(out) + "\n"


if __name__ == "__main__":
    from bench.peer_ops import ROOT_STATEMENTS

    print(type_defs(ROOT_STATEMENTS), end="")
