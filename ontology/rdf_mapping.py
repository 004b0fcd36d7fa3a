"""The reversible mapping between stored graph data and RDF triples.

Nodes become resources typed with their class's RDF class; data properties become literals
(language-tagged for TEXT, typed otherwise) or IRIs (enum values, references); relationships
become one triple, plus — when they carry properties — a reified statement typed
`rdf:Statement` and the relationship's own statement class, holding those properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from ontology import ONTOLOGY
from ontology.iris import entity_iri
from ontology.model import (
    LANGUAGES,
    ClassDef,
    Datatype,
    EnumDef,
    EnumValue,
    PropertyDef,
    RelationDef,
)
from ontology.namespaces import MSKG, expand
from ontology.provenance import RECORD_META, meta_triples

Triple = tuple[Node, Node, Node]

ONTOLOGY_IRI = URIRef(MSKG.rstrip("#"))
KEY = expand("mskg:key")

# The one Datatype -> XSD table: OWL ranges, SHACL shapes, the JSON-LD context and exported
# literals all read it. TEXT (rdf:langString), PARTIAL_DATE (gYear/gYearMonth/date by length)
# and ENUM (IRIs) are mapped where they are used, because they are not one XSD datatype.
XSD_DATATYPES: dict[Datatype, URIRef] = {
    Datatype.STRING: XSD.string,
    Datatype.INTEGER: XSD.integer,
    Datatype.DOUBLE: XSD.double,
    Datatype.BOOLEAN: XSD.boolean,
    Datatype.DATE: XSD.date,
    Datatype.DATETIME: XSD.dateTime,
    Datatype.URI: XSD.anyURI,
}


# Contact details: published only to signed-in readers (and in operators' own exports).
PRIVATE_FIELDS = frozenset(
    name for c in ONTOLOGY.classes for p in c.properties if p.private for name in p.storage_names()
)


def class_iri(cls: ClassDef) -> URIRef:
    """The RDF class of `cls`'s instances."""
    return expand(cls.rdf_type)


def enum_iri(enum: EnumDef) -> URIRef:
    """The SKOS concept scheme of a vocabulary."""
    return URIRef(f"{MSKG}{enum.name}")


def enum_value_iri(enum: EnumDef, value: EnumValue) -> URIRef:
    """The concept of one vocabulary value: its standard term when declared, else our own."""
    return URIRef(value.iri) if value.iri else URIRef(f"{MSKG}{enum.name}-{value.name}")


def label_predicate(cls: ClassDef) -> URIRef:
    """The predicate carrying `cls`'s name (skos:prefLabel, dcterms:title for documents)."""
    return expand(cls.label_predicate)


def property_predicate(cls: ClassDef | None, prop: PropertyDef) -> URIRef:
    """The predicate of `prop`; `prefLabel` follows the class's label predicate."""
    if cls is not None and prop.name == "prefLabel":
        return label_predicate(cls)
    return expand(prop.predicate)


def statement_class_iri(rel: RelationDef) -> URIRef:
    """The class of the reified statements of relationship `rel`."""
    camel = "".join(part.capitalize() for part in rel.type.split("_"))
    return URIRef(f"{MSKG}{camel}Statement")


def statement_iri(base: str, rel: RelationDef, start: str, end: str) -> URIRef:
    """The IRI of the reified statement of one `rel` relationship from `start` to `end`."""
    return URIRef(f"{base}id/statement/{rel.type.lower().replace('_', '-')}/{start}/{end}")


def partial_date_literal(value: str) -> Literal:
    """A partial date typed by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def _to_native(value: Any) -> Any:
    # Driver temporal types → Python's, so rdflib types them.
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def value_terms(
    base: str, prop: PropertyDef, value: Any, lang: str | None = None
) -> Iterator[Node]:
    """RDF terms for one stored value (a list yields several)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item is None:
            continue
        item = _to_native(item)
        if prop.datatype is Datatype.TEXT:
            yield Literal(item, lang=lang)
        elif prop.datatype is Datatype.ENUM:
            assert prop.enum is not None
            enum = ONTOLOGY.enum(prop.enum)
            try:
                yield enum_value_iri(enum, enum.value(item))
            except KeyError:
                # Data written around the validators: export it as-is so SHACL reports it.
                yield Literal(item)
        elif prop.ref_class is not None:
            yield URIRef(entity_iri(base, ONTOLOGY.cls(prop.ref_class), item))
        elif prop.datatype is Datatype.PARTIAL_DATE:
            yield partial_date_literal(item)
        elif prop.datatype is Datatype.DATETIME and isinstance(item, dt.datetime):
            yield Literal(item, datatype=XSD.dateTime)
        elif prop.datatype is Datatype.STRING:
            yield Literal(item)  # a simple literal is an xsd:string in RDF 1.1
        else:
            yield Literal(item, datatype=XSD_DATATYPES[prop.datatype])


def _property_triples(
    base: str,
    subject: URIRef,
    cls: ClassDef | None,
    props: tuple[PropertyDef, ...],
    stored: Mapping[str, Any],
) -> Iterator[Triple]:
    for prop in props:
        predicate = property_predicate(cls, prop)
        if prop.datatype is Datatype.TEXT:
            for lang in LANGUAGES:
                for term in value_terms(base, prop, stored.get(f"{prop.name}_{lang}"), lang):
                    yield subject, predicate, term
        else:
            for term in value_terms(base, prop, stored.get(prop.name)):
                yield subject, predicate, term


def entity_triples(
    base: str, cls: ClassDef, stored: Mapping[str, Any], reveal: bool = True
) -> Iterator[Triple]:
    """Triples of one stored node (its properties as Neo4j holds them); without `reveal`,
    contact details are left out."""
    subject = (
        URIRef(stored["iri"]) if stored.get("iri") else URIRef(entity_iri(base, cls, stored["key"]))
    )
    yield subject, RDF.type, class_iri(cls)
    for extra in cls.extra_rdf_types:
        yield subject, RDF.type, expand(extra)
    props = ONTOLOGY.class_properties(cls)
    if not reveal:
        props = tuple(p for p in props if not p.private)
    yield from _property_triples(base, subject, cls, props, stored)
    yield from meta_triples(base, subject, stored, RECORD_META)


def relation_triples(
    base: str,
    rel: RelationDef,
    start: tuple[ClassDef, str],
    end: tuple[ClassDef, str],
    stored: Mapping[str, Any],
) -> Iterator[Triple]:
    """The triple of one relationship, and its reified statement when it has properties or
    bookkeeping (who created it and when)."""
    subject = URIRef(entity_iri(base, start[0], start[1]))
    obj = URIRef(entity_iri(base, end[0], end[1]))
    predicate = expand(rel.predicate)
    yield subject, predicate, obj
    props = ONTOLOGY.relation_properties(rel)
    has_values = any(stored.get(n) not in (None, []) for p in props for n in p.storage_names())
    if not has_values and not any(stored.get(t.name) is not None for t in RECORD_META):
        return
    statement = statement_iri(base, rel, start[1], end[1])
    yield statement, RDF.type, RDF.Statement
    yield statement, RDF.type, statement_class_iri(rel)
    yield statement, RDF.subject, subject
    yield statement, RDF.predicate, predicate
    yield statement, RDF.object, obj
    yield from _property_triples(base, statement, None, props, stored)
    yield from meta_triples(base, statement, stored, RECORD_META)
