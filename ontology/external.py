"""The other vocabularies' properties MSKG uses, with the kind their owners give them.

The published OWL declares each of them with that kind and says nothing else about them: no
labels, domains, ranges or super-properties (those are their owners' to state; MSKG's own labels
for its fields are in the GraphQL schema and the README overview). A check (`ontology.checks`)
makes sure MSKG uses each as its kind says: IRIs as the values of an object property, literals
as the values of a datatype or annotation property.

SKOS, ORG, FOAF, vCard and PROV-O declare their kinds in OWL, and the table repeats them.
DCTERMS and schema.org are RDFS vocabularies that declare none: there the kind follows what they
say a value is — a related resource (object property) or a literal (datatype property) — and
`dcterms:title` is an annotation property, as the ontology's own title uses it.
"""

from __future__ import annotations

from typing import Literal

PropertyKind = Literal["object", "datatype", "annotation"]

EXTERNAL_PROPERTIES: dict[str, PropertyKind] = {
    "skos:prefLabel": "annotation",
    "skos:altLabel": "annotation",
    "skos:definition": "annotation",
    "skos:note": "annotation",
    "skos:notation": "datatype",
    "skos:inScheme": "object",
    "skos:topConceptOf": "object",
    "skos:broader": "object",
    "skos:related": "object",
    "org:subOrganizationOf": "object",
    "org:memberOf": "object",
    "org:postIn": "object",
    "org:heldBy": "object",
    "org:role": "object",
    "org:member": "object",
    "org:organization": "object",
    "foaf:homepage": "object",
    "foaf:page": "object",
    "vcard:hasEmail": "object",
    "vcard:hasTelephone": "object",
    "prov:wasAttributedTo": "object",
    "prov:wasAssociatedWith": "object",
    "prov:used": "object",
    "prov:wasInformedBy": "object",
    "prov:endedAtTime": "datatype",
    "prov:atTime": "datatype",
    "dcterms:title": "annotation",
    "dcterms:identifier": "datatype",
    "dcterms:issued": "datatype",
    "dcterms:valid": "datatype",
    "dcterms:dateAccepted": "datatype",
    "dcterms:date": "datatype",
    "dcterms:created": "datatype",
    "dcterms:modified": "datatype",
    "dcterms:abstract": "datatype",
    "dcterms:description": "datatype",
    "dcterms:bibliographicCitation": "datatype",
    "dcterms:source": "object",
    "dcterms:creator": "object",
    "dcterms:contributor": "object",
    "dcterms:publisher": "object",
    "dcterms:replaces": "object",
    "dcterms:references": "object",
    "dcterms:isPartOf": "object",
    "dcterms:isVersionOf": "object",
    "dcterms:subject": "object",
    "schema:foundingDate": "datatype",
    "schema:dissolutionDate": "datatype",
    "schema:startDate": "datatype",
    "schema:endDate": "datatype",
    # schema.org's own JSON-LD context reads URL-valued properties as IRIs ("@type": "@id").
    "schema:url": "object",
}

# Built into RDF, RDFS and OWL: never declared by an ontology.
BUILT_IN_PREFIXES = ("rdf:", "rdfs:", "owl:", "xsd:")
