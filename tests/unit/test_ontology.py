from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ontology import ONTOLOGY
from ontology.artifacts import GENERATED_DIR, artifacts
from ontology.checks import check_ontology
from ontology.classes import CLASSES, COMMON, PERSON, RELATION_COMMON
from ontology.external import EXTERNAL_PROPERTIES
from ontology.model import Datatype, Labels, Ontology, PropertyDef, RelationDef, label_languages
from ontology.namespaces import MSKG, expand
from ontology.owl import ontology_graph
from ontology.rdf_mapping import (
    ONTOLOGY_IRI,
    XSD_DATATYPES,
    contact_iri,
    contact_value,
    entity_triples,
)
from ontology.relations import RELATIONS
from ontology.vocab import ENUMS


def test_required_classes_are_declared() -> None:
    names = {c.name for c in ONTOLOGY.classes}
    assert {
        "Organization", "Committee", "Person", "Post", "Liaison", "LiaisonStatement",
        "Standard", "WorkItem", "Concept", "ConceptScheme", "PolicyDocument", "PlanItem", "Source",
    } <= names  # fmt: skip


def test_every_term_is_bilingual() -> None:
    for cls in ONTOLOGY.classes:
        assert all((cls.labels.zh, cls.labels.en)), cls.name
        for prop in ONTOLOGY.class_properties(cls):
            assert all((prop.labels.zh, prop.labels.en)), prop.name
    for rel in ONTOLOGY.relations:
        assert all((rel.labels.zh, rel.labels.en)), rel.type
    for enum in ONTOLOGY.enums:
        for value in enum.values:
            assert all((value.labels.zh, value.labels.en)), f"{enum.name}.{value.name}"


def test_vocabularies_cover_the_domain() -> None:
    assert set(ONTOLOGY.enum("AdoptionDegree").names) == {"IDT", "MOD", "NEQ"}
    assert {"ISO_IEC_A", "ISO_IEC_B", "ISO_IEC_C", "INTERNAL", "ITU_T", "IEEE", "PSDO",
            "DOMESTIC_COORDINATION"} <= set(ONTOLOGY.enum("LiaisonCategory").names)  # fmt: skip
    assert {"CHAIR", "VICE_CHAIR", "SECRETARY_GENERAL", "DEPUTY_SECRETARY_GENERAL", "MEMBER",
            "LIAISON_OFFICER"} <= set(ONTOLOGY.enum("PostRole").names)  # fmt: skip
    assert {"GB", "GB_T", "GB_Z", "SJ_T", "YD_T", "GROUP_STANDARD", "IS", "TS", "TR",
            "ITU_T_RECOMMENDATION", "IEEE_STANDARD"} <= set(ONTOLOGY.enum("StandardKind").names)  # fmt: skip
    assert set(ONTOLOGY.enum("MirrorEvidence").names) == {
        "STATED",
        "ADOPTION_PRACTICE",
        "NAME_MATCH",
    }


def _ontology(relations: tuple[RelationDef, ...]) -> Ontology:
    return Ontology(CLASSES, relations, ENUMS, COMMON, RELATION_COMMON)


def test_a_predicate_shared_by_two_terms_is_rejected() -> None:
    clash = RelationDef(
        type="CLASHES", labels=Labels("冲突", "Clash"), domain=("Standard",), range=("Standard",),
        predicate="dcterms:replaces", field="clashes", inverse_field="clashedBy",
    )  # fmt: skip
    with pytest.raises(ValueError, match="dcterms:replaces is used by both"):
        check_ontology(_ontology((*RELATIONS, clash)))


def test_a_relation_to_an_unknown_class_is_rejected() -> None:
    bad = RelationDef(
        type="TO_NOWHERE", labels=Labels("无", "Nowhere"), domain=("Standard",),
        range=("Unicorn",), predicate="mskg:toNowhere", field="x", inverse_field="y",
    )  # fmt: skip
    with pytest.raises(ValueError, match="unknown class Unicorn"):
        _ontology((*RELATIONS, bad))


def test_a_tally_needs_a_facet_and_a_relationship_of_its_class() -> None:
    standard = ONTOLOGY.cls("Standard")
    with pytest.raises(ValueError, match="'designation' is not a facet"):
        dataclasses.replace(standard, tallies=(("DEVELOPED_BY", "designation"),))
    wrong = dataclasses.replace(standard, tallies=(("SECRETARIAT", "stageCode"),))
    classes = tuple(wrong if c.name == "Standard" else c for c in CLASSES)
    with pytest.raises(ValueError, match="SECRETARIAT, which does not start at Standard"):
        Ontology(classes, RELATIONS, ENUMS, COMMON, RELATION_COMMON)


def test_property_names_are_checked() -> None:
    with pytest.raises(ValueError, match="lowerCamelCase"):
        PropertyDef("Bad_Name", Datatype.STRING, Labels("坏", "bad"), "mskg:bad")


def test_generated_files_match_the_declaration() -> None:
    """Regenerate and compare: drift means someone edited generated files or forgot
    `mskg ontology generate`."""
    for name, text in artifacts().items():
        committed = (GENERATED_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is out of date: run `mskg ontology generate`"


def test_generated_turtle_parses() -> None:
    for name in ("mskg.ttl", "shapes.ttl"):
        graph = Graph().parse(GENERATED_DIR / name, format="turtle")
        assert len(graph) > 500, name


def test_readme_overview_matches_the_declaration() -> None:
    from ontology.overview import overview_markdown

    readme = (GENERATED_DIR.parent.parent / "README.md").read_text(encoding="utf-8")
    assert overview_markdown() in readme, (
        "README overview is out of date: run `mskg ontology generate`"
    )


def test_every_datatype_has_one_rdf_mapping() -> None:
    """A new Datatype must get its XSD datatype in the one table (or a rule of its own)."""
    mapped_elsewhere = {Datatype.TEXT, Datatype.PARTIAL_DATE, Datatype.ENUM, Datatype.URI}
    assert set(XSD_DATATYPES) == set(Datatype) - mapped_elsewhere


def test_ontology_version_is_the_package_version() -> None:
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    versions = list(ontology_graph().objects(ONTOLOGY_IRI, OWL.versionInfo))
    assert versions == [Literal(declared)]


def test_labels_fall_back_to_the_other_working_language_first() -> None:
    assert label_languages("en") == ("en", "zh", "fr", "ru", "es", "ar")
    assert label_languages("zh") == ("zh", "en", "fr", "ru", "es", "ar")
    assert label_languages("fr") == ("fr", "en", "zh", "ru", "es", "ar")


_KIND_CLASSES = {
    "object": OWL.ObjectProperty,
    "datatype": OWL.DatatypeProperty,
    "annotation": OWL.AnnotationProperty,
}


def test_the_ontology_says_nothing_of_other_vocabularies_terms_but_their_kind() -> None:
    """No ontology hijacking: labels, domains, ranges and superclasses are stated for MSKG's own
    terms only; another vocabulary's term is at most declared with the kind its owner gives it."""
    graph = Graph().parse(GENERATED_DIR / "mskg.ttl", format="turtle")
    external = {s for s in graph.subjects() if isinstance(s, URIRef) and not s.startswith(MSKG)} - {
        ONTOLOGY_IRI
    }
    assert expand("skos:Concept") in external  # it is declared, as a class
    for term in external:
        declared = set(graph.predicate_objects(term))
        assert len(declared) == 1, (term, declared)
        predicate, kind = declared.pop()
        assert predicate == RDF.type
        assert kind == OWL.Class or any(
            kind == _KIND_CLASSES[k] and term == expand(c) for c, k in EXTERNAL_PROPERTIES.items()
        ), (term, kind)
    assert not list(graph.triples((expand("org:purpose"), None, None)))
    # MSKG's classes are its own, each a subclass of the standard class it specialises.
    committee = expand("mskg:Committee")
    assert (committee, RDF.type, OWL.Class) in graph
    assert (committee, RDFS.subClassOf, expand("org:OrganizationalUnit")) in graph
    assert (expand("mskg:scope"), RDF.type, OWL.DatatypeProperty) in graph
    assert (expand("mskg:PostRole-CHAIR"), RDF.type, expand("org:Role")) in graph


def test_an_external_property_used_against_its_kind_is_rejected() -> None:
    email = PERSON.prop("email")
    as_text = dataclasses.replace(email, iri_scheme=None)  # vCard's hasEmail takes IRIs
    person = dataclasses.replace(
        PERSON, properties=tuple(as_text if p is email else p for p in PERSON.properties)
    )
    onto = Ontology(
        tuple(person if c is PERSON else c for c in CLASSES), RELATIONS, ENUMS, COMMON,
        RELATION_COMMON,
    )  # fmt: skip
    with pytest.raises(ValueError, match="vcard:hasEmail is an object property"):
        check_ontology(onto)


def test_instances_carry_their_own_class_and_contacts_are_iris() -> None:
    stored = {
        "key": "li-ming",
        "prefLabel_en": "Li Ming",
        "email": "li.ming@example.org",
        "phone": "+86 10 1234 5678",
        "homepage": "https://example.org/li ming",
    }
    graph = Graph()
    for triple in entity_triples("https://w3id.org/mskg/", ONTOLOGY.cls("Person"), stored):
        graph.add(triple)
    subject = URIRef("https://w3id.org/mskg/id/person/li-ming")
    assert set(graph.objects(subject, RDF.type)) == {
        expand("mskg:Person"),
        expand("foaf:Person"),
    }
    assert graph.value(subject, expand("vcard:hasEmail")) == URIRef("mailto:li.ming@example.org")
    assert graph.value(subject, expand("vcard:hasTelephone")) == URIRef("tel:+86-10-1234-5678")
    # An IRI, percent-encoded where a stored URI holds what an IRI may not.
    assert graph.value(subject, expand("foaf:homepage")) == URIRef("https://example.org/li%20ming")
    hidden = set(
        entity_triples("https://w3id.org/mskg/", ONTOLOGY.cls("Person"), stored, reveal=False)
    )
    assert not {p for _, p, _ in hidden} & {expand("vcard:hasEmail"), expand("vcard:hasTelephone")}


@pytest.mark.parametrize(
    ("scheme", "stored", "iri"),
    [
        ("mailto:", "li.ming+tc28@example.org", "mailto:li.ming+tc28@example.org"),
        (
            "mailto:",
            "名字@例子.中国",
            "mailto:%E5%90%8D%E5%AD%97@%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD",
        ),
        ("tel:", "+86 10 1234 5678", "tel:+86-10-1234-5678"),
        ("tel:", "+1 (202) 555 0100", "tel:+1-(202)-555-0100"),
    ],
)
def test_contact_iris_read_back_as_stored(scheme: str, stored: str, iri: str) -> None:
    assert contact_iri(scheme, stored) == iri  # type: ignore[arg-type]
    assert contact_value(scheme, iri) == stored  # type: ignore[arg-type]
