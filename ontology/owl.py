"""The published ontology (OWL 2 + SKOS) generated from the declaration.

It describes MSKG's own terms only. Each class is its own `mskg:` class, a subclass of the
standard classes it specialises; each own property has its labels, kind, domain and range.
Other vocabularies' terms are used as their owners define them: the ontology declares their kind
(OWL 2 needs every term typed) and says nothing more about them — no labels, domains, ranges or
extra types. Date-valued properties have the range rdfs:Literal: OWL 2's datatype map, which a
reasoner such as HermiT accepts, has no xsd:date, xsd:gYear or xsd:gYearMonth (the SHACL shapes
hold the exact datatypes).
"""

from __future__ import annotations

from importlib.metadata import version

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ontology import ONTOLOGY
from ontology.external import BUILT_IN_PREFIXES, EXTERNAL_PROPERTIES, PropertyKind
from ontology.model import Datatype, Labels, PropertyDef
from ontology.namespaces import MSKG, PREFIXES, expand
from ontology.provenance import (
    ACTIVITY_CLASS,
    AGENT_CLASS,
    DERIVED_TERMS,
    EVENT_OF,
    RECORD_META,
    REVISION_CLASS,
    REVISION_TERMS,
    STATEMENT_EVENT_CLASS,
)
from ontology.rdf_mapping import (
    ONTOLOGY_IRI,
    XSD_DATATYPES,
    class_iri,
    enum_iri,
    enum_value_iri,
    standard_class_iris,
    statement_class_iri,
)

DCTERMS_TITLE = expand("dcterms:title")
WAS_ATTRIBUTED_TO = "prov:wasAttributedTo"

_RANGES: dict[Datatype, URIRef] = {
    **XSD_DATATYPES,
    Datatype.TEXT: RDF.langString,
    # Not in OWL 2's datatype map (see the module docstring).
    Datatype.DATE: RDFS.Literal,
    Datatype.PARTIAL_DATE: RDFS.Literal,
}
_KINDS: dict[PropertyKind, URIRef] = {
    "object": OWL.ObjectProperty,
    "datatype": OWL.DatatypeProperty,
    "annotation": OWL.AnnotationProperty,
}
_META_RANGES: dict[str, URIRef] = {
    "integer": XSD_DATATYPES[Datatype.INTEGER],
    "datetime": XSD_DATATYPES[Datatype.DATETIME],
    "string": XSD_DATATYPES[Datatype.STRING],
    "json": XSD_DATATYPES[Datatype.STRING],
    "agent": AGENT_CLASS,
    "source": class_iri(ONTOLOGY.cls("Source")),
    "revision": REVISION_CLASS,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind MSKG's prefixes on `graph` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _labels(graph: Graph, subject: URIRef, labels: Labels) -> None:
    graph.add((subject, RDFS.label, Literal(labels.zh, lang="zh")))
    graph.add((subject, RDFS.label, Literal(labels.en, lang="en")))
    for lang, text in (("zh", labels.definition_zh), ("en", labels.definition_en)):
        if text:
            graph.add((subject, SKOS.definition, Literal(text, lang=lang)))


def _own(iri: URIRef) -> bool:
    return str(iri).startswith(MSKG)


def _union(graph: Graph, members: list[URIRef]) -> URIRef | BNode:
    if len(members) == 1:
        return members[0]
    node = BNode()
    head = BNode()
    Collection(graph, head, list(members))
    graph.add((node, RDF.type, OWL.Class))
    graph.add((node, OWL.unionOf, head))
    return node


class _Properties:
    """The properties the ontology declares: MSKG's own as they are used (kind, labels, range,
    the classes whose instances they describe), and the other vocabularies' by name only."""

    def __init__(self) -> None:
        self.kinds: dict[URIRef, PropertyKind] = {}
        self.labels: dict[URIRef, Labels] = {}
        self.ranges: dict[URIRef, URIRef | list[URIRef]] = {}
        self.domains: dict[URIRef, set[URIRef]] = {}
        self.external: set[str] = set()

    def use(
        self,
        curie: str,
        kind: PropertyKind,
        labels: Labels,
        range_: URIRef | list[URIRef] | None = None,
        domain: tuple[URIRef, ...] = (),
    ) -> URIRef:
        """One use of a predicate; its first use gives its labels and range."""
        predicate = expand(curie)
        if not _own(predicate):
            if not curie.startswith(BUILT_IN_PREFIXES):
                self.external.add(curie)
            return predicate
        self.kinds.setdefault(predicate, kind)
        self.labels.setdefault(predicate, labels)
        if range_ is not None:
            self.ranges.setdefault(predicate, range_)
        self.domains.setdefault(predicate, set()).update(domain)
        return predicate

    def data(self, prop: PropertyDef, curie: str, domain: URIRef) -> None:
        """A data property of a class, or of a relationship's reified statements."""
        range_: URIRef | None = None
        if prop.enum is not None:
            range_ = enum_iri(ONTOLOGY.enum(prop.enum))
        elif prop.ref_class is not None:
            range_ = class_iri(ONTOLOGY.cls(prop.ref_class))
        elif not prop.iri_valued:
            range_ = _RANGES[prop.datatype]
        kind: PropertyKind = "object" if prop.iri_valued else "datatype"
        self.use(curie, kind, prop.labels, range_, (domain,))

    def declare(self, g: Graph) -> None:
        """Write the declarations into `g`."""
        for predicate, kind in self.kinds.items():
            g.add((predicate, RDF.type, _KINDS[kind]))
            _labels(g, predicate, self.labels[predicate])
            range_ = self.ranges.get(predicate)
            if range_ is not None:
                g.add(
                    (
                        predicate,
                        RDFS.range,
                        _union(g, range_) if isinstance(range_, list) else range_,
                    )
                )
            if self.domains[predicate]:
                g.add((predicate, RDFS.domain, _union(g, sorted(self.domains[predicate]))))
        for curie in sorted(self.external):
            g.add((expand(curie), RDF.type, _KINDS[EXTERNAL_PROPERTIES[curie]]))


def _classes(g: Graph) -> set[URIRef]:
    """MSKG's classes; returns the standard classes they specialise."""
    standard: set[URIRef] = set()
    for cls in ONTOLOGY.classes:
        iri = class_iri(cls)
        g.add((iri, RDF.type, OWL.Class))
        _labels(g, iri, cls.labels)
        for parent in standard_class_iris(cls):
            g.add((iri, RDFS.subClassOf, parent))
            standard.add(parent)
    # The revision log: each revision a PROV activity, liaison-statement events within it.
    for iri, labels in (
        (
            REVISION_CLASS,
            Labels(
                "修订",
                "Revision",
                definition_en="One change set written to the graph: who, when, why, on which sources, and what changed.",
            ),
        ),
        (
            STATEMENT_EVENT_CLASS,
            Labels(
                "联络函事件",
                "Liaison statement event",
                definition_en="A step in a liaison statement's life (submitted, approved, posted, replied, comment added, …), part of a revision.",
            ),
        ),
    ):
        g.add((iri, RDF.type, OWL.Class))
        g.add((iri, RDFS.subClassOf, ACTIVITY_CLASS))
        _labels(g, iri, labels)
    return standard | {ACTIVITY_CLASS, AGENT_CLASS}


def _properties(g: Graph) -> None:
    props = _Properties()
    for cls in ONTOLOGY.classes:
        for prop in ONTOLOGY.class_properties(cls):
            curie = cls.label_predicate if prop.name == "prefLabel" else prop.predicate
            props.data(prop, curie, class_iri(cls))
    for rel in ONTOLOGY.relations:
        ends = [
            sorted(class_iri(ONTOLOGY.cls(n)) for n in names) for names in (rel.domain, rel.range)
        ]
        predicate = props.use(rel.predicate, "object", rel.labels, ends[1], tuple(ends[0]))
        if rel.symmetric and _own(predicate):
            g.add((predicate, RDF.type, OWL.SymmetricProperty))
        statement_class = statement_class_iri(rel)
        for prop in ONTOLOGY.relation_properties(rel):
            props.data(prop, prop.predicate, statement_class)
        g.add((statement_class, RDF.type, OWL.Class))
        g.add((statement_class, RDFS.subClassOf, RDF.Statement))
        g.add((statement_class, RDFS.label, Literal(f"{rel.labels.zh}（陈述）", lang="zh")))
        g.add((statement_class, RDFS.label, Literal(f"{rel.labels.en} statement", lang="en")))
    for term in (*RECORD_META, *REVISION_TERMS):
        kind: PropertyKind = (
            "object" if term.kind in ("agent", "source", "revision") else "datatype"
        )
        labels = Labels(term.zh, term.en, definition_en=term.definition)
        predicate = props.use(term.predicate, kind, labels, _META_RANGES[term.kind])
        if term.kind == "agent" and term in RECORD_META:
            g.add((predicate, RDFS.subPropertyOf, expand(WAS_ATTRIBUTED_TO)))
            props.external.add(WAS_ATTRIBUTED_TO)
    for iri, zh, en in DERIVED_TERMS:
        curie = f"mskg:{iri.removeprefix(MSKG)}"
        props.use(curie, "object" if iri == EVENT_OF else "datatype", Labels(zh, en))
    # The vocabularies' concepts are described with SKOS.
    props.external.update(("skos:inScheme", "skos:notation", "skos:prefLabel", "skos:definition"))
    props.declare(g)


def _vocabularies(g: Graph) -> set[URIRef]:
    """A SKOS scheme per vocabulary; returns the standard classes their concepts belong to."""
    classes = {SKOS.Concept, SKOS.ConceptScheme}
    for enum in ONTOLOGY.enums:
        scheme = enum_iri(enum)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        for lang, text in (("zh", enum.labels.zh), ("en", enum.labels.en)):
            g.add((scheme, SKOS.prefLabel, Literal(text, lang=lang)))
        value_types = [expand(t) for t in enum.value_types]
        classes.update(value_types)
        for value in enum.values:
            concept = enum_value_iri(enum, value)
            if not _own(concept):
                continue  # a standard term is its owner's to describe
            for value_type in (SKOS.Concept, *value_types):
                g.add((concept, RDF.type, value_type))
            g.add((concept, SKOS.inScheme, scheme))
            g.add((concept, SKOS.notation, Literal(value.name)))
            for alias in value.aliases:
                g.add((concept, SKOS.hiddenLabel, Literal(alias)))
            g.add((concept, SKOS.prefLabel, Literal(value.labels.zh, lang="zh")))
            g.add((concept, SKOS.prefLabel, Literal(value.labels.en, lang="en")))
            for lang, text in (
                ("zh", value.labels.definition_zh),
                ("en", value.labels.definition_en),
            ):
                if text:
                    g.add((concept, SKOS.definition, Literal(text, lang=lang)))
    return classes


def ontology_graph() -> Graph:
    """MSKG's classes and properties in OWL 2, SKOS schemes of its vocabularies, and a bare
    declaration of each other vocabulary's class and property it uses."""
    g = bind_prefixes(Graph())
    g.add((ONTOLOGY_IRI, RDF.type, OWL.Ontology))
    g.add((ONTOLOGY_IRI, DCTERMS_TITLE, Literal("元宇宙标准知识图谱本体", lang="zh")))
    g.add(
        (
            ONTOLOGY_IRI,
            DCTERMS_TITLE,
            Literal("Metaverse Standards Knowledge Graph ontology", lang="en"),
        )
    )
    # The ontology is released with the package: one version number, kept in pyproject.toml.
    g.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(version("mskg"))))
    standard_classes = _classes(g) | _vocabularies(g)
    _properties(g)
    for iri in sorted(standard_classes):
        if not str(iri).startswith(str(RDF)):  # built in (rdf:Statement)
            g.add((iri, RDF.type, OWL.Class))
    return g
