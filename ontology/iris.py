"""Entity IRIs: `{base}id/{class slug}/{key}`, and back."""

from __future__ import annotations

from ontology import ONTOLOGY
from ontology.model import ClassDef


def entity_iri(base: str, cls: ClassDef, key: str) -> str:
    """The IRI of the entity of class `cls` with this key, under `base`."""
    return f"{base}id/{cls.slug}/{key}"


def parse_entity_iri(base: str, iri: str) -> tuple[ClassDef, str]:
    """The class and key an entity IRI names; KeyError when it is not one of ours."""
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        raise KeyError(f"{iri} is not under {prefix}")
    slug, sep, key = iri[len(prefix) :].partition("/")
    if not sep or not key or "/" in key:
        raise KeyError(f"{iri} is not of the form {prefix}<class>/<key>")
    return ONTOLOGY.class_by_slug(slug), key
