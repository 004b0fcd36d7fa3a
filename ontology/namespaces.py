"""Prefixes of every vocabulary MSKG uses, and CURIE expansion."""

from __future__ import annotations

from functools import lru_cache

from rdflib import URIRef

MSKG = "https://w3id.org/mskg/ontology#"

PREFIXES: dict[str, str] = {
    "mskg": MSKG,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


@lru_cache(maxsize=1024)  # the vocabulary is small; exports expand the same CURIEs per triple
def expand(curie: str) -> URIRef:
    """`skos:prefLabel` → the full IRI. Unknown prefixes fail loudly."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise KeyError(f"not a CURIE with a known prefix: {curie!r}")
    return URIRef(PREFIXES[prefix] + local)
