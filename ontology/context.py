"""The JSON-LD context generated from the declaration: compact JSON for every term."""

from __future__ import annotations

from typing import Any

from rdflib import XSD

from ontology import ONTOLOGY
from ontology.model import Datatype, PropertyDef
from ontology.namespaces import PREFIXES
from ontology.rdf_mapping import XSD_DATATYPES

# Plain strings need no `@type` (a simple literal is an xsd:string); the rest are typed.
_TYPES: dict[Datatype, str] = {
    datatype: f"xsd:{iri.removeprefix(str(XSD))}"
    for datatype, iri in XSD_DATATYPES.items()
    if datatype is not Datatype.STRING
}


def _term(prop: PropertyDef, predicate: str) -> dict[str, Any]:
    term: dict[str, Any] = {"@id": predicate}
    if prop.datatype is Datatype.TEXT:
        term["@container"] = "@language"
    elif prop.iri_valued:
        term["@type"] = "@id"
    elif prop.datatype in _TYPES:
        term["@type"] = _TYPES[prop.datatype]
    if prop.many and prop.datatype is not Datatype.TEXT:
        term["@container"] = "@set"
    return term


def jsonld_context() -> dict[str, Any]:
    """`@context` mapping prefixes, class names, property names and relationship fields."""
    context: dict[str, Any] = dict(PREFIXES)
    for cls in ONTOLOGY.classes:
        context[cls.name] = cls.own_type
        for prop in ONTOLOGY.class_properties(cls):
            if prop.name == "prefLabel":
                continue  # the label predicate differs per class; compact IRIs are used instead
            context.setdefault(prop.name, _term(prop, prop.predicate))
    for rel in ONTOLOGY.relations:
        context.setdefault(rel.field, {"@id": rel.predicate, "@type": "@id"})
        for prop in rel.properties:
            context.setdefault(prop.name, _term(prop, prop.predicate))
    context["key"] = {"@id": "mskg:key"}
    return {"@context": context}
