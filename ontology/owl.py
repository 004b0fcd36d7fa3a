"""The published ontology (OWL/RDFS + SKOS) generated from the declaration."""

from __future__ import annotations

from importlib.metadata import version

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ontology import ONTOLOGY
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
    MetaTerm,
)
from ontology.rdf_mapping import (
    ONTOLOGY_IRI,
    XSD_DATATYPES,
    class_iri,
    enum_iri,
    enum_value_iri,
    label_predicate,
    statement_class_iri,
)

DCTERMS_TITLE = expand("dcterms:title")
ORG_LINKED_TO = expand("org:linkedTo")
HAS_LIAISON_WITH = URIRef(f"{MSKG}hasLiaisonWith")

_RANGES: dict[Datatype, URIRef] = {**XSD_DATATYPES, Datatype.TEXT: RDF.langString}


_META_RANGES: dict[str, URIRef] = {
    "integer": XSD_DATATYPES[Datatype.INTEGER],
    "datetime": XSD_DATATYPES[Datatype.DATETIME],
    "string": XSD_DATATYPES[Datatype.STRING],
    "json": XSD_DATATYPES[Datatype.STRING],
    "agent": AGENT_CLASS,
    "source": expand("dcterms:BibliographicResource"),
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


def ontology_graph() -> Graph:
    """OWL classes and properties for MSKG's own terms, SKOS schemes for its vocabularies, and
    zh/en labels for the standard terms MSKG uses."""
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

    for cls in ONTOLOGY.classes:
        iri = class_iri(cls)
        g.add((iri, RDF.type, OWL.Class))
        _labels(g, iri, cls.labels)
        if not _own(iri):
            g.add(
                (iri, RDFS.isDefinedBy, URIRef(str(iri).rsplit("#", 1)[0].rsplit("/", 1)[0] + "/"))
            )

    seen: set[URIRef] = set()

    def declare_property(prop: PropertyDef, domain: list[URIRef], predicate: URIRef) -> None:
        if predicate in seen:
            return
        seen.add(predicate)
        is_object = prop.datatype is Datatype.ENUM or prop.ref_class is not None
        g.add((predicate, RDF.type, OWL.ObjectProperty if is_object else OWL.DatatypeProperty))
        _labels(g, predicate, prop.labels)
        if not _own(predicate):
            return
        if prop.enum is not None:
            g.add((predicate, RDFS.range, enum_iri(ONTOLOGY.enum(prop.enum))))
        elif prop.ref_class is not None:
            g.add((predicate, RDFS.range, class_iri(ONTOLOGY.cls(prop.ref_class))))
        elif prop.datatype in _RANGES:
            g.add((predicate, RDFS.range, _RANGES[prop.datatype]))
        if domain:
            g.add((predicate, RDFS.domain, _union(g, domain)))

    def owners(prop: PropertyDef) -> list[URIRef]:
        return sorted({class_iri(c) for c in ONTOLOGY.classes if prop in c.properties})

    for cls in ONTOLOGY.classes:
        for prop in ONTOLOGY.class_properties(cls):
            predicate = label_predicate(cls) if prop.name == "prefLabel" else expand(prop.predicate)
            declare_property(prop, owners(prop), predicate)
    for rel in ONTOLOGY.relations:
        predicate = expand(rel.predicate)
        if predicate not in seen:
            seen.add(predicate)
            g.add((predicate, RDF.type, OWL.ObjectProperty))
            _labels(g, predicate, rel.labels)
            if _own(predicate):
                g.add(
                    (
                        predicate,
                        RDFS.domain,
                        _union(g, sorted(class_iri(ONTOLOGY.cls(n)) for n in rel.domain)),
                    )
                )
                g.add(
                    (
                        predicate,
                        RDFS.range,
                        _union(g, sorted(class_iri(ONTOLOGY.cls(n)) for n in rel.range)),
                    )
                )
            if rel.symmetric:
                g.add((predicate, RDF.type, OWL.SymmetricProperty))
        for prop in rel.properties:
            declare_property(prop, [], expand(prop.predicate))
        statement_class = statement_class_iri(rel)
        g.add((statement_class, RDF.type, OWL.Class))
        g.add((statement_class, RDFS.subClassOf, RDF.Statement))
        g.add((statement_class, RDFS.label, Literal(f"{rel.labels.zh}（陈述）", lang="zh")))
        g.add((statement_class, RDFS.label, Literal(f"{rel.labels.en} statement", lang="en")))

    key_term = MetaTerm("key", "mskg:key", "键", "key", "string")
    for term in (key_term, *RECORD_META, *REVISION_TERMS):
        predicate = term.iri
        if predicate in seen:
            continue
        seen.add(predicate)
        datatype = term.kind in ("integer", "datetime", "string", "json")
        g.add((predicate, RDF.type, OWL.DatatypeProperty if datatype else OWL.ObjectProperty))
        g.add((predicate, RDFS.label, Literal(term.zh, lang="zh")))
        g.add((predicate, RDFS.label, Literal(term.en, lang="en")))
        if _own(predicate):
            g.add((predicate, RDFS.range, _META_RANGES[term.kind]))
        if term.kind == "agent" and term in RECORD_META:
            g.add((predicate, RDFS.subPropertyOf, expand("prov:wasAttributedTo")))
    for predicate, zh, en in DERIVED_TERMS:
        g.add(
            (
                predicate,
                RDF.type,
                OWL.ObjectProperty if predicate == EVENT_OF else OWL.DatatypeProperty,
            )
        )
        g.add((predicate, RDFS.label, Literal(zh, lang="zh")))
        g.add((predicate, RDFS.label, Literal(en, lang="en")))
    # The revision log: each revision a PROV activity, liaison-statement events within it.
    g.add((REVISION_CLASS, RDF.type, OWL.Class))
    g.add((REVISION_CLASS, RDFS.subClassOf, ACTIVITY_CLASS))
    _labels(
        g,
        REVISION_CLASS,
        Labels(
            "修订",
            "Revision",
            definition_en="One change set written to the graph: who, when, why, on which sources, and what changed.",
        ),
    )
    g.add((STATEMENT_EVENT_CLASS, RDF.type, OWL.Class))
    g.add((STATEMENT_EVENT_CLASS, RDFS.subClassOf, ACTIVITY_CLASS))
    _labels(
        g,
        STATEMENT_EVENT_CLASS,
        Labels(
            "联络函事件",
            "Liaison statement event",
            definition_en="A step in a liaison statement's life (submitted, approved, posted, replied, comment added, …), part of a revision.",
        ),
    )
    g.add((AGENT_CLASS, RDFS.label, Literal("行为者", lang="zh")))

    # Liaisons are also published as direct links between the two bodies, under org:linkedTo.
    g.add((HAS_LIAISON_WITH, RDF.type, OWL.ObjectProperty))
    g.add((HAS_LIAISON_WITH, RDFS.subPropertyOf, ORG_LINKED_TO))
    _labels(g, HAS_LIAISON_WITH, Labels("有联络关系", "has liaison with"))

    for enum in ONTOLOGY.enums:
        scheme = enum_iri(enum)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        for lang, text in (("zh", enum.labels.zh), ("en", enum.labels.en)):
            g.add((scheme, SKOS.prefLabel, Literal(text, lang=lang)))
        for value in enum.values:
            concept = enum_value_iri(enum, value)
            g.add((concept, RDF.type, SKOS.Concept))
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
    return g
