"""Consistency rules the declaration must satisfy beyond what each term checks alone."""

from __future__ import annotations

from ontology.external import BUILT_IN_PREFIXES, EXTERNAL_PROPERTIES
from ontology.model import Ontology, PropertyDef
from ontology.namespaces import expand
from ontology.provenance import RECORD_META, REVISION_TERMS


def check_ontology(onto: Ontology) -> None:
    """Raise ValueError on a declaration that could not be mapped both ways."""
    _fields_unique_per_class(onto)
    _predicates_reversible(onto)
    _external_properties_used_as_declared(onto)


def _fields_unique_per_class(onto: Ontology) -> None:
    for cls in onto.classes:
        names = [p.name for p in onto.class_properties(cls)]
        names += [r.field for r in onto.relations_from(cls.name)]
        names += [r.inverse_field for r in onto.relations_to(cls.name)]
        dupes = {n for n in names if names.count(n) > 1}
        # A symmetric relation within one class shows both of its fields there.
        if dupes:
            raise ValueError(f"{cls.name}: field names used twice: {sorted(dupes)}")


def _predicates_reversible(onto: Ontology) -> None:
    """One predicate ↔ one property name (or one relationship type): RDF import relies on it."""
    owners: dict[str, str] = {}

    def claim(predicate: str, owner: str) -> None:
        expand(predicate)  # unknown prefixes fail here
        if owners.setdefault(predicate, owner) != owner:
            raise ValueError(f"{predicate} is used by both {owners[predicate]} and {owner}")

    props: list[PropertyDef] = list(onto.common) + list(onto.relation_common)
    for cls in onto.classes:
        props += cls.properties
        claim(cls.rdf_type, f"class {cls.name}")
        if cls.label_predicate != "skos:prefLabel":
            claim(cls.label_predicate, "property prefLabel")
    for rel in onto.relations:
        props += rel.properties
        claim(rel.predicate, f"relationship {rel.type}")
    for prop in props:
        claim(prop.predicate, f"property {prop.name}")
    for term in RECORD_META:  # bookkeeping shares each entity's predicates
        claim(term.predicate, f"bookkeeping {term.name}")


def _external_properties_used_as_declared(onto: Ontology) -> None:
    """Another vocabulary's property takes the values its kind says: IRIs for an object
    property, literals otherwise (`org:purpose` holding text would break ORG's reading)."""
    uses: list[tuple[str, bool]] = []  # predicate, whether its values are IRIs
    for cls in onto.classes:
        uses += [(p.predicate, p.iri_valued) for p in onto.class_properties(cls)]
        uses.append((cls.label_predicate, False))
    for rel in onto.relations:
        uses.append((rel.predicate, True))
        uses += [(p.predicate, p.iri_valued) for p in onto.relation_properties(rel)]
    for term in (*RECORD_META, *REVISION_TERMS):
        uses.append((term.predicate, term.kind in ("agent", "source", "revision")))
    for predicate, iri_valued in uses:
        if predicate.startswith(("mskg:", *BUILT_IN_PREFIXES)):
            continue
        kind = EXTERNAL_PROPERTIES.get(predicate)
        if kind is None:
            raise ValueError(f"{predicate}: add its kind to ontology/external.py")
        if (kind == "object") != iri_valued:
            taken = "IRIs" if iri_valued else "literals"
            raise ValueError(f"{predicate} is an {kind} property; MSKG gives it {taken}")
