"""SHACL shapes generated from the declaration: the contract the RDF export (and import) meets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype, PropertyDef, RelationDef
from ontology.namespaces import MSKG, expand
from ontology.owl import bind_prefixes
from ontology.rdf_mapping import (
    XSD_DATATYPES,
    class_iri,
    enum_value_iri,
    property_predicate,
    statement_class_iri,
)
from ontology.records import PARTIAL_DATE_PATTERN, URI_PATTERN

SHAPES = f"{MSKG.rstrip('#')}/shapes#"


def _shape_iri(name: str) -> URIRef:
    return URIRef(f"{SHAPES}{name}")


def _list(graph: Graph, items: list[Node]) -> BNode:
    head = BNode()
    Collection(graph, head, items)
    return head


def _value_constraints(g: Graph, shape: URIRef, prop: PropertyDef) -> None:
    match prop.datatype:
        case Datatype.TEXT:
            g.add((shape, SH.datatype, RDF.langString))
            g.add((shape, SH.languageIn, _list(g, [Literal(code) for code in LANGUAGES])))
            if not prop.many:
                g.add((shape, SH.uniqueLang, Literal(True)))
        case Datatype.ENUM:
            assert prop.enum is not None
            enum = ONTOLOGY.enum(prop.enum)
            g.add((shape, SH["in"], _list(g, [enum_value_iri(enum, v) for v in enum.values])))
        case Datatype.PARTIAL_DATE:
            alternatives = []
            for datatype in (XSD.gYear, XSD.gYearMonth, XSD.date):
                alt = BNode()
                g.add((alt, SH.datatype, datatype))
                alternatives.append(alt)
            g.add((shape, SH["or"], _list(g, list(alternatives))))
            g.add((shape, SH.pattern, Literal(PARTIAL_DATE_PATTERN)))
        case Datatype.STRING if prop.ref_class is not None:
            g.add((shape, SH.nodeKind, SH.IRI))
            g.add((shape, SH["class"], class_iri(ONTOLOGY.cls(prop.ref_class))))
        case Datatype.STRING if prop.iri_scheme is not None:
            g.add((shape, SH.nodeKind, SH.IRI))
            # The stored value's pattern, after the scheme.
            stored = (prop.pattern or "^.+$").removeprefix("^")
            g.add((shape, SH.pattern, Literal(f"^{re.escape(prop.iri_scheme)}{stored}")))
        case Datatype.URI:
            g.add((shape, SH.nodeKind, SH.IRI))
            g.add((shape, SH.pattern, Literal(URI_PATTERN)))
        case _:
            g.add((shape, SH.datatype, XSD_DATATYPES[prop.datatype]))
    if prop.pattern and prop.datatype is Datatype.STRING and not prop.iri_valued:
        g.add((shape, SH.pattern, Literal(prop.pattern)))
    if prop.minimum is not None:
        g.add((shape, SH.minInclusive, Literal(int(prop.minimum))))
    if prop.maximum is not None:
        g.add((shape, SH.maxInclusive, Literal(int(prop.maximum))))


def _property_shape(g: Graph, node_shape: URIRef, prop: PropertyDef, cls: ClassDef | None) -> None:
    # Named (not blank) property shapes: reports cite them and the file serializes stably.
    shape = URIRef(f"{node_shape}-{prop.name}")
    g.add((node_shape, SH.property, shape))
    g.add((shape, SH.path, property_predicate(cls, prop)))
    g.add((shape, SH.name, Literal(prop.name)))
    if prop.required:
        g.add((shape, SH.minCount, Literal(1)))
    if not prop.many and prop.datatype is not Datatype.TEXT:
        g.add((shape, SH.maxCount, Literal(1)))
    _value_constraints(g, shape, prop)


def _relation_shape(g: Graph, node_shape: URIRef, rel: RelationDef) -> None:
    shape = URIRef(f"{node_shape}-{rel.field}")
    g.add((node_shape, SH.property, shape))
    g.add((shape, SH.path, expand(rel.predicate)))
    g.add((shape, SH.name, Literal(rel.field)))
    g.add((shape, SH.nodeKind, SH.IRI))
    if not rel.many:
        g.add((shape, SH.maxCount, Literal(1)))
    targets = sorted({class_iri(ONTOLOGY.cls(n)) for n in rel.range})
    if len(targets) == 1:
        g.add((shape, SH["class"], targets[0]))
    else:
        alternatives = []
        for target in targets:
            alt = BNode()
            g.add((alt, SH["class"], target))
            alternatives.append(alt)
        g.add((shape, SH["or"], _list(g, list(alternatives))))


def shapes_graph() -> Graph:
    """One node shape per class (its properties and outgoing relationships), and one per
    relationship type that carries properties (its reified statements)."""
    g = bind_prefixes(Graph())
    g.bind("shape", SHAPES)
    for cls in ONTOLOGY.classes:
        node_shape = _shape_iri(cls.name)
        g.add((node_shape, RDF.type, SH.NodeShape))
        g.add((node_shape, SH.targetClass, class_iri(cls)))
        for prop in ONTOLOGY.class_properties(cls):
            _property_shape(g, node_shape, prop, cls)
        for rel in ONTOLOGY.relations_from(cls.name):
            _relation_shape(g, node_shape, rel)
    for rel in ONTOLOGY.relations:
        node_shape = _shape_iri(f"{rel.type.title().replace('_', '')}Statement")
        g.add((node_shape, RDF.type, SH.NodeShape))
        g.add((node_shape, SH.targetClass, statement_class_iri(rel)))
        for prop in ONTOLOGY.relation_properties(rel):
            _property_shape(g, node_shape, prop, None)
    return g


@dataclass(frozen=True)
class Violation:
    focus_node: str
    path: str
    message: str
    value: str | None

    def __str__(self) -> str:
        shown = f" (value {self.value})" if self.value is not None else ""
        return f"{self.focus_node} {self.path}: {self.message}{shown}"


def validate(data: Graph) -> list[Violation]:
    """Validate a data graph against the shapes; an empty list means it conforms."""
    from pyshacl import validate as shacl_validate

    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=True
    )
    assert isinstance(report, Graph)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value(result, SH.value)
        violations.append(
            Violation(
                focus_node=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage)),
                value=None if value is None else str(value),
            )
        )
    return sorted(violations, key=lambda v: (v.focus_node, v.path, v.message))
