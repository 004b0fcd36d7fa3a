"""The meta-model: how MSKG declares a class, a property, a relationship and a vocabulary.

Each declaration is written once (in `classes.py`, `relations.py` and `vocab.py`); Neo4j names,
pydantic models, GraphQL types, OWL, SHACL and the RDF mapping are derived from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

# URI schemes a STRING property can be published under in RDF (the stored value stays plain).
IriScheme = Literal["mailto:", "tel:"]


class Datatype(StrEnum):
    """Value types of properties; each maps to one Neo4j type and one RDF datatype."""

    STRING = "string"  # plain string (identifiers, codes)
    TEXT = "text"  # language-tagged text: stored per language as `<name>_zh`, `<name>_en`
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"  # a full calendar date (Neo4j DATE, xsd:date)
    # ISO 8601 of year, month or day precision ("1987", "2016-11", "2021-10-29"): sources often
    # give only a year. Stored as a string (sorts correctly); RDF xsd:gYear/gYearMonth/date.
    PARTIAL_DATE = "partial_date"
    DATETIME = "datetime"
    URI = "uri"
    ENUM = "enum"


Lang = Literal["zh", "en", "fr", "ru", "es", "ar"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
"""The languages a TEXT property can carry: MSKG's two working languages first, then the other
official languages of ITU (ISO publishes in English, French and Russian). Required text needs
zh and en; the others are optional (titles of ITU-T and ISO documents come in them)."""


def label_languages(lang: str) -> tuple[str, ...]:
    """The languages to try, in order, for a label wanted in `lang`: `lang`, then the other
    working language (English for any language but English), then the rest of LANGUAGES."""
    zh, en = LANGUAGES[:2]
    return tuple(dict.fromkeys((lang, zh if lang == en else en, *LANGUAGES)))


@dataclass(frozen=True)
class Labels:
    """Chinese and English labels (and optional definitions) of an ontology term."""

    zh: str
    en: str
    definition_zh: str = ""
    definition_en: str = ""


@dataclass(frozen=True)
class EnumValue:
    name: str  # UPPER_SNAKE: the value stored in Neo4j and shown in GraphQL
    labels: Labels
    iri: str | None = None  # a standard term when one exists, else derived in the own namespace
    # Older or other names that mean this value (ISO/IEC's former Category D for today's C):
    # accepted on input and mapped to `name`, published as SKOS hidden labels.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnumDef:
    name: str  # CamelCase, e.g. "CommitteeKind"
    labels: Labels
    values: tuple[EnumValue, ...]
    # Classes (CURIEs) the values are instances of besides skos:Concept, when a standard
    # predicate that takes them expects one (org:role takes an org:Role).
    value_types: tuple[str, ...] = ()

    def value(self, name: str) -> EnumValue:
        """The value called `name`; KeyError when this vocabulary has none."""
        for value in self.values:
            if value.name == name:
                return value
        raise KeyError(f"{self.name} has no value {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        """The stored names of the values, in declaration order."""
        return tuple(v.name for v in self.values)

    def canonical(self, name: object) -> object:
        """`name`, or the value it is an alias of; anything else unchanged (validation reports it)."""
        for value in self.values:
            if name in value.aliases:
                return value.name
        return name


@dataclass(frozen=True)
class PropertyDef:
    """A data property of a class (or of a relationship)."""

    name: str  # lowerCamel; the Neo4j property and GraphQL field name
    datatype: Datatype
    labels: Labels
    predicate: str  # CURIE of the RDF predicate, e.g. "skos:prefLabel"
    many: bool = False
    required: bool = False
    enum: str | None = None  # EnumDef name when datatype is ENUM
    pattern: str | None = None  # regular expression a STRING value must match
    minimum: float | None = None
    maximum: float | None = None
    private: bool = False  # hidden from anonymous readers (contact details)
    searchable: bool = False  # part of the full-text index
    ref_class: str | None = None  # STRING values are keys of this class (IRIs in RDF)
    indexed: bool = False  # a range index for lookups and filters
    # STRING values published in RDF as IRIs of this scheme ("a@b.org" -> mailto:a@b.org).
    iri_scheme: IriScheme | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][A-Za-z0-9]*", self.name):
            raise ValueError(f"property name {self.name!r} must be lowerCamelCase")
        if (self.datatype is Datatype.ENUM) != (self.enum is not None):
            raise ValueError(f"property {self.name!r}: enum= goes with datatype ENUM only")
        if self.iri_scheme is not None and (
            self.datatype is not Datatype.STRING or self.ref_class is not None
        ):
            raise ValueError(f"property {self.name!r}: iri_scheme= goes with plain STRING only")

    @property
    def iri_valued(self) -> bool:
        """Whether its RDF values are IRIs (vocabulary values, references, URIs, contact IRIs)
        rather than literals: it is then an object property."""
        return (
            self.datatype in (Datatype.ENUM, Datatype.URI)
            or self.ref_class is not None
            or self.iri_scheme is not None
        )

    def storage_names(self) -> tuple[str, ...]:
        """Neo4j property names holding this property's values."""
        if self.datatype is Datatype.TEXT:
            return tuple(f"{self.name}_{lang}" for lang in LANGUAGES)
        return (self.name,)


@dataclass(frozen=True)
class ClassDef:
    """An ontology class; instances are Neo4j nodes labelled `name` and `Resource`.

    In RDF it is MSKG's own class `mskg:<name>`, a subclass of the standard classes it
    specialises (`rdf_type`, `extra_rdf_types`); instances are typed with all of them."""

    name: str  # CamelCase; the Neo4j label and GraphQL type name
    labels: Labels
    # CURIE of the standard class it specialises, e.g. "skos:Concept"; `mskg:<name>` when none.
    rdf_type: str
    slug: str  # path segment of instance IRIs: {base}id/{slug}/{key}
    properties: tuple[PropertyDef, ...] = ()
    label_predicate: str = "skos:prefLabel"  # documents use dcterms:title
    extra_rdf_types: tuple[str, ...] = ()
    # Low-cardinality indexed properties that counts are usually grouped by. Each pair gets a
    # composite range index, so a grouping by two of them is counted from indexes instead of
    # reading both properties on every node (a label scan: ~4x slower at 180k editions).
    facets: tuple[str, ...] = ()
    # (relationship type, facet) pairs whose counts every write keeps up to date (graph.tallies):
    # a grouping by the entity at the relationship's end (and the facet) reads those counts
    # instead of reading the relationship of every node (~270 ms over 180k editions).
    tallies: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", self.name):
            raise ValueError(f"class name {self.name!r} must be CamelCase")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.slug):
            raise ValueError(f"class slug {self.slug!r} must be lower-kebab-case")
        if self.rdf_type.startswith("mskg:") and self.rdf_type != self.own_type:
            raise ValueError(f"class {self.name}: its own RDF class is {self.own_type}")
        for name in self.facets:
            prop = self.prop(name)
            if not prop.indexed or prop.many or prop.datatype is Datatype.TEXT:
                raise ValueError(
                    f"{self.name} facet {name!r} must be an indexed, single-valued, untranslated "
                    "property"
                )
        for rel_type, facet in self.tallies:
            if facet not in self.facets:
                raise ValueError(
                    f"{self.name} tally ({rel_type}, {facet}): {facet!r} is not a facet"
                )

    @property
    def own_type(self) -> str:
        """CURIE of MSKG's own class for it: `mskg:<name>`."""
        return f"mskg:{self.name}"

    @property
    def standard_types(self) -> tuple[str, ...]:
        """CURIEs of the other vocabularies' classes it specialises (its superclasses)."""
        return tuple(t for t in (self.rdf_type, *self.extra_rdf_types) if t != self.own_type)

    def prop(self, name: str) -> PropertyDef:
        """The class's own property called `name` (not the common ones); KeyError if none."""
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no property {name!r}")

    def facet_pairs(self) -> list[tuple[str, str]]:
        """The facet pairs that have a composite index, in declaration order."""
        return [(a, b) for i, a in enumerate(self.facets) for b in self.facets[i + 1 :]]

    def indexed_storage_names(self) -> tuple[str, ...]:
        """Stored property names with a range index of their own (properties declared
        `indexed`; a text property has one per language), in declaration order."""
        return tuple(name for p in self.properties if p.indexed for name in p.storage_names())


@dataclass(frozen=True)
class RelationDef:
    """A relationship type: a Neo4j relationship and an RDF predicate (reified when it has
    properties of its own)."""

    type: str  # UPPER_SNAKE Neo4j relationship type
    labels: Labels
    domain: tuple[str, ...]  # class names allowed at the start
    range: tuple[str, ...]  # class names allowed at the end
    predicate: str  # CURIE of the RDF predicate from start to end
    field: str  # GraphQL field on the start node (lowerCamel)
    inverse_field: str  # GraphQL field on the end node (lowerCamel)
    properties: tuple[PropertyDef, ...] = ()
    many: bool = True  # whether a start node may have several of these
    symmetric: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", self.type):
            raise ValueError(f"relationship type {self.type!r} must be UPPER_SNAKE")

    def prop(self, name: str) -> PropertyDef:
        """The relationship's own property called `name`; KeyError if none."""
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(f"{self.type} has no property {name!r}")


@dataclass(frozen=True)
class Ontology:
    """The whole declaration, with lookups."""

    classes: tuple[ClassDef, ...]
    relations: tuple[RelationDef, ...]
    enums: tuple[EnumDef, ...]
    common: tuple[PropertyDef, ...]  # properties every class has
    relation_common: tuple[PropertyDef, ...]  # properties every relationship has
    _by_name: dict[str, ClassDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for cls in self.classes:
            if cls.name in seen:
                raise ValueError(f"class {cls.name} declared twice")
            seen.add(cls.name)
            self._by_name[cls.name] = cls
        slugs = [c.slug for c in self.classes]
        if len(set(slugs)) != len(slugs):
            raise ValueError("class slugs must be unique")
        types = [r.type for r in self.relations]
        if len(set(types)) != len(types):
            raise ValueError("relationship types must be unique")
        enum_names = {e.name for e in self.enums}
        for rel in self.relations:
            for name in (*rel.domain, *rel.range):
                if name not in self._by_name:
                    raise ValueError(f"{rel.type} names unknown class {name}")
        for cls in self.classes:
            for rel_type, _facet in cls.tallies:
                if not any(r.type == rel_type and cls.name in r.domain for r in self.relations):
                    raise ValueError(
                        f"{cls.name} tally names {rel_type}, which does not start at {cls.name}"
                    )
        for owner, props in self._all_property_sets():
            names = [p.name for p in props]
            if len(set(names)) != len(names):
                raise ValueError(f"{owner} declares a property twice")
            for p in props:
                if p.enum is not None and p.enum not in enum_names:
                    raise ValueError(f"{owner}.{p.name} names unknown enum {p.enum}")

    def _all_property_sets(self) -> list[tuple[str, tuple[PropertyDef, ...]]]:
        sets = [(c.name, self.class_properties(c)) for c in self.classes]
        sets += [(r.type, self.relation_properties(r)) for r in self.relations]
        return sets

    def cls(self, name: str) -> ClassDef:
        """The class called `name`; KeyError naming it when it is not declared."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"unknown class {name!r}") from None

    def class_by_slug(self, slug: str) -> ClassDef:
        """The class whose IRI path segment is `slug`; KeyError if none."""
        for c in self.classes:
            if c.slug == slug:
                return c
        raise KeyError(f"no class with IRI segment {slug!r}")

    def relation(self, rel_type: str) -> RelationDef:
        """The relationship of Neo4j type `rel_type`; KeyError if none."""
        for r in self.relations:
            if r.type == rel_type:
                return r
        raise KeyError(f"unknown relationship type {rel_type!r}")

    def enum(self, name: str) -> EnumDef:
        """The vocabulary called `name`; KeyError if none."""
        for e in self.enums:
            if e.name == name:
                return e
        raise KeyError(f"unknown enum {name!r}")

    def class_properties(self, cls: ClassDef) -> tuple[PropertyDef, ...]:
        """All properties of `cls`: the common ones first, then its own."""
        return self.common + cls.properties

    def relation_properties(self, rel: RelationDef) -> tuple[PropertyDef, ...]:
        """All properties of `rel`: the common ones first, then its own."""
        return self.relation_common + rel.properties

    def relations_from(self, class_name: str) -> tuple[RelationDef, ...]:
        """The relationships that may start at `class_name`."""
        return tuple(r for r in self.relations if class_name in r.domain)

    def relations_to(self, class_name: str) -> tuple[RelationDef, ...]:
        """The relationships that may end at `class_name`."""
        return tuple(r for r in self.relations if class_name in r.range)
