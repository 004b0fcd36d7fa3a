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
from ontology.rdf_terms import RDFLIB, Terms

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


def _partial_date_datatype(value: str) -> str:
    return str({4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date))


def partial_date_literal(value: str) -> Literal:
    """A partial date typed by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(value, datatype=URIRef(_partial_date_datatype(value)))


def _to_native(value: Any) -> Any:
    # Driver temporal types → Python's, so rdflib types them.
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def lexical(item: Any) -> str:
    """The lexical form of a stored value (as rdflib writes the same Python value)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, dt.date):  # datetimes too
        return item.isoformat()
    return str(item)


_STRING = str(XSD.string)


def value_terms(
    base: str, prop: PropertyDef, value: Any, lang: str | None = None, terms: Terms = RDFLIB
) -> Iterator[Any]:
    """RDF terms for one stored value (a list yields several)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item is None:
            continue
        item = _to_native(item)
        if prop.datatype is Datatype.TEXT:
            yield terms.literal(str(item), lang=lang)
        elif prop.datatype is Datatype.ENUM:
            assert prop.enum is not None
            enum = ONTOLOGY.enum(prop.enum)
            try:
                yield terms.vocab(str(enum_value_iri(enum, enum.value(item))))
            except KeyError:
                # Data written around the validators: export it as-is so SHACL reports it.
                yield terms.literal(lexical(item))
        elif prop.ref_class is not None:
            yield terms.iri(entity_iri(base, ONTOLOGY.cls(prop.ref_class), item))
        elif prop.datatype is Datatype.PARTIAL_DATE:
            yield terms.literal(item, _partial_date_datatype(item))
        elif prop.datatype is Datatype.STRING:
            yield terms.literal(lexical(item))  # a simple literal is an xsd:string in RDF 1.1
        else:
            yield terms.literal(lexical(item), str(XSD_DATATYPES[prop.datatype]))


def _property_triples(
    base: str,
    subject: Any,
    cls: ClassDef | None,
    props: tuple[PropertyDef, ...],
    stored: Mapping[str, Any],
    terms: Terms,
) -> Iterator[Any]:
    for prop in props:
        predicate = terms.vocab(str(property_predicate(cls, prop)))
        if prop.datatype is Datatype.TEXT:
            for lang in LANGUAGES:
                value = stored.get(f"{prop.name}_{lang}")
                if value is not None:
                    for term in value_terms(base, prop, value, lang, terms):
                        yield terms.triple(subject, predicate, term)
        else:
            value = stored.get(prop.name)
            if value is not None:
                for term in value_terms(base, prop, value, None, terms):
                    yield terms.triple(subject, predicate, term)


_TYPE = str(RDF.type)


def entity_triples(
    base: str, cls: ClassDef, stored: Mapping[str, Any], reveal: bool = True, terms: Terms = RDFLIB
) -> Iterator[Any]:
    """Triples of one stored node (its properties as Neo4j holds them); without `reveal`,
    contact details are left out. rdflib's by default; `terms` chooses another library."""
    subject = terms.iri(
        stored["iri"] if stored.get("iri") else entity_iri(base, cls, stored["key"])
    )
    rdf_type = terms.vocab(_TYPE)
    yield terms.triple(subject, rdf_type, terms.vocab(str(class_iri(cls))))
    for extra in cls.extra_rdf_types:
        yield terms.triple(subject, rdf_type, terms.vocab(str(expand(extra))))
    props = ONTOLOGY.class_properties(cls)
    if not reveal:
        props = tuple(p for p in props if not p.private)
    yield from _property_triples(base, subject, cls, props, stored, terms)
    yield from meta_triples(base, subject, stored, RECORD_META, terms=terms)


def relation_triples(
    base: str,
    rel: RelationDef,
    start: tuple[ClassDef, str],
    end: tuple[ClassDef, str],
    stored: Mapping[str, Any],
    terms: Terms = RDFLIB,
) -> Iterator[Any]:
    """The triple of one relationship, and its reified statement when it has properties or
    bookkeeping (who created it and when)."""
    subject = terms.iri(entity_iri(base, start[0], start[1]))
    obj = terms.iri(entity_iri(base, end[0], end[1]))
    predicate = terms.vocab(str(expand(rel.predicate)))
    yield terms.triple(subject, predicate, obj)
    props = ONTOLOGY.relation_properties(rel)
    has_values = any(stored.get(n) not in (None, []) for p in props for n in p.storage_names())
    if not has_values and not any(stored.get(t.name) is not None for t in RECORD_META):
        return
    statement = terms.iri(str(statement_iri(base, rel, start[1], end[1])))
    rdf_type = terms.vocab(_TYPE)
    yield terms.triple(statement, rdf_type, terms.vocab(str(RDF.Statement)))
    yield terms.triple(statement, rdf_type, terms.vocab(str(statement_class_iri(rel))))
    yield terms.triple(statement, terms.vocab(str(RDF.subject)), subject)
    yield terms.triple(statement, terms.vocab(str(RDF.predicate)), predicate)
    yield terms.triple(statement, terms.vocab(str(RDF.object)), obj)
    yield from _property_triples(base, statement, None, props, stored, terms)
    yield from meta_triples(base, statement, stored, RECORD_META, terms=terms)
