"""The reversible mapping between stored graph data and RDF triples.

Nodes become resources typed with their class's RDF class; data properties become literals
(language-tagged for TEXT, typed otherwise) or IRIs (enum values, references); relationships
become one triple, plus — when they carry properties — a reified statement typed
`rdf:Statement` and the relationship's own statement class, holding those properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
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
    yield terms.triple(subject, rdf_type, terms.vocab(str(class_iri(cls))))
    for extra in cls.extra_rdf_types:
        yield terms.triple(subject, rdf_type, terms.vocab(str(expand(extra))))
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
