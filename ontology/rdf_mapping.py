"""The reversible mapping between stored graph data and RDF triples.

Nodes become resources typed with their class's own RDF class and the standard classes it
specialises; data properties become literals (language-tagged for TEXT, typed otherwise) or
IRIs (enum values, references, URIs, contact details under their scheme); relationships
become one triple, plus — when they carry properties — a reified statement typed
`rdf:Statement` and the relationship's own statement class, holding those properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote, unquote

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
    IriScheme,
    PropertyDef,
    RelationDef,
)
from ontology.namespaces import MSKG, expand
from ontology.provenance import RECORD_META, meta_triples
from ontology.rdf_terms import RDFLIB, Terms, valid_iri

Triple = tuple[Node, Node, Node]

ONTOLOGY_IRI = URIRef(MSKG.rstrip("#"))
KEY = expand("mskg:key")

# The one Datatype -> XSD table: OWL ranges, SHACL shapes, the JSON-LD context and exported
# literals all read it. TEXT (rdf:langString), PARTIAL_DATE (gYear/gYearMonth/date by length),
# ENUM and URI (IRIs) are mapped where they are used, because they are not one XSD datatype.
XSD_DATATYPES: dict[Datatype, URIRef] = {
    Datatype.STRING: XSD.string,
    Datatype.INTEGER: XSD.integer,
    Datatype.DOUBLE: XSD.double,
    Datatype.BOOLEAN: XSD.boolean,
    Datatype.DATE: XSD.date,
    Datatype.DATETIME: XSD.dateTime,
}


# Contact details: published only to signed-in readers (and in operators' own exports).
PRIVATE_FIELDS = frozenset(
    name for c in ONTOLOGY.classes for p in c.properties if p.private for name in p.storage_names()
)


def class_iri(cls: ClassDef) -> URIRef:
    """MSKG's own RDF class of `cls`'s instances, `mskg:<name>`."""
    return expand(cls.own_type)


def standard_class_iris(cls: ClassDef) -> tuple[URIRef, ...]:
    """The other vocabularies' classes `cls` specialises: its instances are typed with them
    too, so queries written against SKOS, ORG or DCTERMS find them."""
    return tuple(expand(t) for t in cls.standard_types)


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


def _statement_path(rel_type: str) -> str:
    return f"id/statement/{rel_type.lower().replace('_', '-')}/"


def statement_iri(base: str, rel: RelationDef, start: str, end: str) -> URIRef:
    """The IRI of the reified statement of one `rel` relationship from `start` to `end`."""
    return URIRef(f"{base}{_statement_path(rel.type)}{start}/{end}")


@dataclass(frozen=True)
class _RelationPlan:
    """What every relationship of one type spells the same way, worked out once: a whole-graph
    export maps a hundred thousand of them."""

    predicate: str
    statement_class: str
    statement_path: str
    entries: tuple[_Entry, ...]
    storage_names: tuple[str, ...]


@cache
def _relation_plan(rel_type: str) -> _RelationPlan:
    rel = ONTOLOGY.relation(rel_type)
    props = ONTOLOGY.relation_properties(rel)
    return _RelationPlan(
        predicate=str(expand(rel.predicate)),
        statement_class=str(statement_class_iri(rel)),
        statement_path=_statement_path(rel.type),
        entries=_entries(None, props),
        storage_names=tuple(name for p in props for name in p.storage_names()),
    )


@lru_cache(maxsize=4096)
def _enum_value_text(enum_name: str, item: Any) -> str | None:
    """The IRI of a vocabulary value as text; None for a value the vocabulary lacks."""
    enum = ONTOLOGY.enum(enum_name)
    try:
        return str(enum_value_iri(enum, enum.value(item)))
    except KeyError:
        return None


def contact_iri(scheme: IriScheme, value: str) -> str:
    """A stored contact detail as an IRI: `mailto:a@b.org`; a phone number as a `tel:` IRI
    with a hyphen for each space (RFC 3966 separates digits with hyphens, never spaces)."""
    if scheme == "tel:":
        return scheme + quote(value.replace(" ", "-"), safe="+-.()*;=")
    return scheme + quote(value, safe="!$'()*+,;:@-._~")


def contact_value(scheme: IriScheme, iri: str) -> str:
    """The stored form of a contact IRI (`contact_iri` reversed: a phone number's hyphens come
    back as spaces); ValueError when the IRI is not of `scheme`."""
    if not iri.startswith(scheme):
        raise ValueError(f"{iri} is not a {scheme} IRI")
    text = unquote(iri[len(scheme) :])
    return text.replace("-", " ") if scheme == "tel:" else text


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
            iri = _enum_value_text(prop.enum, item) if isinstance(item, str | int) else None
            # A value the vocabulary lacks was written around the validators: exported as it
            # is, so SHACL reports it.
            yield terms.literal(lexical(item)) if iri is None else terms.vocab(iri)
        elif prop.ref_class is not None:
            yield terms.iri(entity_iri(base, ONTOLOGY.cls(prop.ref_class), item))
        elif prop.iri_scheme is not None:
            yield terms.iri(contact_iri(prop.iri_scheme, str(item)))
        elif prop.datatype is Datatype.URI:
            yield terms.iri(valid_iri(str(item)))
        elif prop.datatype is Datatype.PARTIAL_DATE:
            yield terms.literal(item, _partial_date_datatype(item))
        elif prop.datatype is Datatype.STRING:
            yield terms.literal(lexical(item))  # a simple literal is an xsd:string in RDF 1.1
        else:
            yield terms.literal(lexical(item), str(XSD_DATATYPES[prop.datatype]))


# One stored property to read: its storage name, declaration, language and predicate IRI.
_Entry = tuple[str, PropertyDef, str | None, str]


def _entries(cls: ClassDef | None, props: tuple[PropertyDef, ...]) -> tuple[_Entry, ...]:
    entries: list[_Entry] = []
    for prop in props:
        predicate = str(property_predicate(cls, prop))
        if prop.datatype is Datatype.TEXT:
            entries += [(f"{prop.name}_{lang}", prop, lang, predicate) for lang in LANGUAGES]
        else:
            entries.append((prop.name, prop, None, predicate))
    return tuple(entries)


@cache
def _entity_entries(class_name: str, reveal: bool) -> tuple[_Entry, ...]:
    cls = ONTOLOGY.cls(class_name)
    props = ONTOLOGY.class_properties(cls)
    return _entries(cls, props if reveal else tuple(p for p in props if not p.private))


def _property_triples(
    base: str, subject: Any, entries: tuple[_Entry, ...], stored: Mapping[str, Any], terms: Terms
) -> Iterator[Any]:
    for name, prop, lang, predicate in entries:
        value = stored.get(name)
        if value is not None:
            term_predicate = terms.vocab(predicate)
            for term in value_terms(base, prop, value, lang, terms):
                yield terms.triple(subject, term_predicate, term)


@cache
def _class_texts(class_name: str) -> tuple[str, ...]:
    cls = ONTOLOGY.cls(class_name)
    return tuple(str(iri) for iri in (class_iri(cls), *standard_class_iris(cls)))


_TYPE = str(RDF.type)
_STATEMENT, _SUBJECT = str(RDF.Statement), str(RDF.subject)
_PREDICATE, _OBJECT = str(RDF.predicate), str(RDF.object)
_META_NAMES = tuple(t.name for t in RECORD_META)


def entity_triples(
    base: str, cls: ClassDef, stored: Mapping[str, Any], reveal: bool = True, terms: Terms = RDFLIB
) -> Iterator[Any]:
    """Triples of one stored node (its properties as Neo4j holds them); without `reveal`,
    contact details are left out. rdflib's by default; `terms` chooses another library."""
    subject = terms.iri(
        stored["iri"] if stored.get("iri") else entity_iri(base, cls, stored["key"])
    )
    rdf_type = terms.vocab(_TYPE)
    for class_text in _class_texts(cls.name):
        yield terms.triple(subject, rdf_type, terms.vocab(class_text))
    yield from _property_triples(base, subject, _entity_entries(cls.name, reveal), stored, terms)
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
    plan = _relation_plan(rel.type)
    subject = terms.iri(entity_iri(base, start[0], start[1]))
    obj = terms.iri(entity_iri(base, end[0], end[1]))
    predicate = terms.vocab(plan.predicate)
    yield terms.triple(subject, predicate, obj)
    has_values = any(stored.get(n) not in (None, []) for n in plan.storage_names)
    if not has_values and not any(stored.get(name) is not None for name in _META_NAMES):
        return
    statement = terms.iri(f"{base}{plan.statement_path}{start[1]}/{end[1]}")
    rdf_type = terms.vocab(_TYPE)
    yield terms.triple(statement, rdf_type, terms.vocab(_STATEMENT))
    yield terms.triple(statement, rdf_type, terms.vocab(plan.statement_class))
    yield terms.triple(statement, terms.vocab(_SUBJECT), subject)
    yield terms.triple(statement, terms.vocab(_PREDICATE), predicate)
    yield terms.triple(statement, terms.vocab(_OBJECT), obj)
    yield from _property_triples(base, statement, plan.entries, stored, terms)
    yield from meta_triples(base, statement, stored, RECORD_META, terms=terms)
