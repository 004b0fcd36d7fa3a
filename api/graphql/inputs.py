"""Filter and sort inputs, derived from the ontology, and their translation into graph filters.

Every class gets `<Class>Where` (a field per property with operators, a field per relationship
with `some`/`none`/`all` and an `edge` filter, and `AND`/`OR`/`NOT`) and `<Class>Order`.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from api.graphql.enums import SortDirection, plain
from api.graphql.languages import Lang
from api.graphql.mapping import GraphMapping, Logical, PropField, RelField, WhereField
from api.graphql.naming import camel, list_of, make_enum, nullable, py, upper_snake
from api.graphql.space import Build
from graph.selection import (
    And,
    ClassIs,
    Compare,
    Direction,
    Filter,
    Not,
    Operator,
    Or,
    Order,
    Quantifier,
    Related,
)
from ontology.model import ClassDef, Datatype, Labels, Ontology, PropertyDef, RelationDef
from ontology.provenance import RECORD_META

# -- operator inputs --------------------------------------------------------------------------------


@strawberry.input(description="Conditions on a string; all given conditions must hold.")
class StringFilter:
    eq: str | None = None
    ne: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = strawberry.field(default=None, description="Case-insensitive.")
    starts_with: str | None = None
    ends_with: str | None = None
    lt: str | None = None
    lte: str | None = None
    gt: str | None = None
    gte: str | None = None
    is_null: bool | None = None


@strawberry.input(description="Conditions on bilingual text: in `lang`, or in any language.")
class TextFilter:
    eq: str | None = None
    contains: str | None = strawberry.field(default=None, description="Case-insensitive.")
    starts_with: str | None = None
    lang: Enum | None = strawberry.field(default=None, graphql_type=nullable(Lang))
    is_null: bool | None = None


@strawberry.input(description="Conditions on an integer.")
class IntFilter:
    eq: int | None = None
    ne: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None
    is_null: bool | None = None


@strawberry.input(description="Conditions on a number.")
class FloatFilter:
    eq: float | None = None
    lt: float | None = None
    lte: float | None = None
    gt: float | None = None
    gte: float | None = None
    is_null: bool | None = None


@strawberry.input(description="Conditions on a boolean.")
class BooleanFilter:
    eq: bool | None = None
    is_null: bool | None = None


@strawberry.input(description="Conditions on a date (ranges with lt/lte/gt/gte).")
class DateFilter:
    eq: dt.date | None = None
    lt: dt.date | None = None
    lte: dt.date | None = None
    gt: dt.date | None = None
    gte: dt.date | None = None
    is_null: bool | None = None


@strawberry.input(
    description="Conditions on a date of year, month or day precision ('2016', '2016-11', "
    "'2016-11-05'); ranges compare as ISO text, so gte: '2020' includes all of 2020."
)
class PartialDateFilter:
    eq: str | None = None
    starts_with: str | None = None
    lt: str | None = None
    lte: str | None = None
    gt: str | None = None
    gte: str | None = None
    is_null: bool | None = None


def _enum_filter(enum_name: str, enum: type[Enum]) -> type:
    namespace: dict[str, object] = {
        "__module__": __name__,
        "__annotations__": {
            "eq": nullable(enum),
            "ne": nullable(enum),
            "in_": nullable(list_of(enum)),
            "is_null": nullable(bool),
        },
        "eq": None,
        "ne": None,
        "in_": strawberry.field(default=None, name="in"),
        "is_null": None,
    }
    made: type = strawberry.input(
        type(f"{enum_name}Filter", (), namespace),
        description=f"Conditions on a {enum_name} value.",
    )
    return made


_SCALAR_FILTERS: dict[Datatype, type] = {
    Datatype.STRING: StringFilter,
    Datatype.TEXT: TextFilter,
    Datatype.INTEGER: IntFilter,
    Datatype.DOUBLE: FloatFilter,
    Datatype.BOOLEAN: BooleanFilter,
    Datatype.DATE: DateFilter,
    Datatype.DATETIME: StringFilter,
    Datatype.PARTIAL_DATE: PartialDateFilter,
    Datatype.URI: StringFilter,
}

# GraphQL operator names → graph operators (raw argument dicts use the GraphQL names).
_OPERATORS: dict[str, Operator] = {
    "eq": "eq",
    "ne": "ne",
    "in": "in",
    "contains": "contains",
    "startsWith": "startsWith",
    "endsWith": "endsWith",
    "lt": "lt",
    "lte": "lte",
    "gt": "gt",
    "gte": "gte",
    "isNull": "isNull",
}

# The bookkeeping every entity carries (ontology.provenance), filterable like its properties.
_META_DATATYPES = {
    "integer": Datatype.INTEGER,
    "datetime": Datatype.DATETIME,
    "agent": Datatype.STRING,
    "string": Datatype.STRING,
}
META_PROPS: tuple[PropertyDef, ...] = tuple(
    PropertyDef(term.name, _META_DATATYPES[term.kind], Labels(term.name, term.name), term.predicate)
    for term in RECORD_META
)
# Sortable besides the properties: the bookkeeping timestamps.
_META_SORT_FIELDS = tuple(term.name for term in RECORD_META if term.kind == "datetime")


def where_name(class_names: tuple[str, ...]) -> str:
    """`CommitteeWhere`; for several classes (a relationship's range) `CommitteeOrOrganizationWhere`."""
    if len(class_names) == 1:
        return f"{class_names[0]}Where"
    return "Or".join(sorted(class_names)) + "Where"


def order_name(class_names: tuple[str, ...]) -> str:
    """`CommitteeOrder`; `EntityOrder` for a relationship end spanning several classes."""
    return f"{class_names[0]}Order" if len(class_names) == 1 else "EntityOrder"


def relation_filter_name(rel: RelationDef, direction: Direction) -> str:
    return f"{camel(rel.type)}{'' if direction == 'out' else 'Inverse'}Filter"


def edge_where_name(rel: RelationDef) -> str:
    return f"{camel(rel.type)}EdgeWhere"


def relation_fields(ontology: Ontology, cls: ClassDef) -> list[tuple[str, RelationDef, Direction]]:
    """A class's relationship fields: (GraphQL field, relationship, direction), outgoing first."""
    out: list[tuple[str, RelationDef, Direction]] = [
        (r.field, r, "out") for r in ontology.relations_from(cls.name)
    ]
    out += [(r.inverse_field, r, "in") for r in ontology.relations_to(cls.name)]
    return out


class _FilterInputs:
    """Builds the filter and sort inputs of one schema build."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.enum_filters = {
            name: _enum_filter(name, enum) for name, enum in build.enums.vocabularies.items()
        }

    def filter_input(self, prop: PropertyDef) -> type:
        if prop.datatype is Datatype.ENUM:
            assert prop.enum is not None
            return self.enum_filters[prop.enum]
        return _SCALAR_FILTERS[prop.datatype]

    def add(self, name: str, namespace: dict[str, object], description: str) -> None:
        namespace["__module__"] = __name__
        self.build.space.add(strawberry.input(type(name, (), namespace), description=description))

    def where(
        self,
        name: str,
        props: tuple[PropertyDef, ...],
        relations: list[tuple[str, RelationDef, Direction]],
        description: str,
        with_types: bool,
    ) -> None:
        space = self.build.space
        annotations: dict[str, object] = {}
        namespace: dict[str, object] = {}
        meta: dict[str, WhereField] = {}
        # Private properties (contact details) are never filterable: a filter would reveal them.
        for prop in (p for p in props if not p.private):
            annotations[prop.name] = nullable(self.filter_input(prop))
            namespace[prop.name] = strawberry.field(
                default=None,
                name=prop.name,
                description=prop.labels.definition_en or prop.labels.en,
            )
            meta[prop.name] = PropField(prop)
        for field_name, rel, direction in relations:
            far = rel.range if direction == "out" else rel.domain
            annotations[py(field_name)] = nullable(space.ref(relation_filter_name(rel, direction)))
            namespace[py(field_name)] = strawberry.field(
                default=None, name=field_name, description=f"Filter on `{rel.type}` relationships."
            )
            meta[field_name] = RelField(rel, direction, where_name(far), edge_where_name(rel))
        itself = space.ref(name)
        for logical, typ in (("AND", list_of(itself)), ("OR", list_of(itself)), ("NOT", itself)):
            annotations[logical] = nullable(typ)
            namespace[logical] = strawberry.field(default=None, name=logical)
            meta[logical] = Logical(logical)
        annotations["unsourced"] = bool | None
        namespace["unsourced"] = strawberry.field(
            default=None,
            name="unsourced",
            description="true: only facts citing no source; false: only sourced ones.",
        )
        meta["unsourced"] = Logical("unsourced")
        if with_types:
            annotations["types"] = nullable(list_of(self.build.enums.entity_type))
            namespace["types"] = strawberry.field(
                default=None, name="types", description="Only these classes."
            )
            meta["types"] = Logical("types")
        namespace["__annotations__"] = annotations
        self.add(name, namespace, description)
        self.build.mapping.filters[name] = meta

    def edge_where(self, rel: RelationDef) -> None:
        annotations: dict[str, object] = {}
        namespace: dict[str, object] = {}
        meta: dict[str, WhereField] = {}
        for prop in self.build.ontology.relation_properties(rel):
            annotations[prop.name] = nullable(self.filter_input(prop))
            namespace[prop.name] = strawberry.field(default=None, name=prop.name)
            meta[prop.name] = PropField(prop)
        namespace["__annotations__"] = annotations
        name = edge_where_name(rel)
        self.add(name, namespace, f"Conditions on a {rel.type} relationship.")
        self.build.mapping.filters[name] = meta

    def relation_filter(self, rel: RelationDef, direction: Direction) -> None:
        space = self.build.space
        target = space.ref(where_name(rel.range if direction == "out" else rel.domain))
        namespace: dict[str, object] = {
            "__annotations__": {
                "some": nullable(target),
                "none": nullable(target),
                "all": nullable(target),
                "edge": nullable(space.ref(edge_where_name(rel))),
                "exists": nullable(bool),
            },
            "some": strawberry.field(
                default=None, description="At least one related node matches."
            ),
            "none": strawberry.field(default=None, description="No related node matches."),
            "all": strawberry.field(default=None, description="Every related node matches."),
            "edge": strawberry.field(
                default=None, description="Conditions on the relationship itself."
            ),
            "exists": strawberry.field(
                default=None, description="Has (true) or lacks (false) any."
            ),
        }
        self.add(relation_filter_name(rel, direction), namespace, f"Filter on {rel.type}.")

    def order(self, cls: ClassDef | None) -> None:
        ontology = self.build.ontology
        props = ontology.class_properties(cls) if cls else ontology.common
        names = ["key"]
        for prop in props:
            if prop.many or prop.name == "key" or prop.private:
                continue
            names += list(prop.storage_names()) if prop.datatype is Datatype.TEXT else [prop.name]
        names += _META_SORT_FIELDS
        prefix = cls.name if cls else "Entity"
        self.build.mapping.sort_fields.update({upper_snake(n): n for n in names})
        sort_enum = strawberry.enum(
            make_enum(f"{prefix}SortField", {upper_snake(n): n for n in names}),
            description=f"Fields {prefix} lists can be sorted by.",
        )
        namespace: dict[str, object] = {
            "__annotations__": {"field": sort_enum, "direction": SortDirection},
            "direction": SortDirection.ASC,
        }
        self.add(f"{prefix}Order", namespace, "A sort key.")


def build_filter_inputs(build: Build) -> None:
    """`<Class>Where` and `<Class>Order` for every class, `EntityWhere`/`EntityOrder`, a `…Where`
    for each relationship end spanning several classes, and each relationship's filters."""
    ontology = build.ontology
    made = _FilterInputs(build)
    for cls in ontology.classes:
        made.where(
            f"{cls.name}Where",
            ontology.class_properties(cls) + META_PROPS,
            relation_fields(ontology, cls),
            f"Conditions on {cls.labels.en} entities; all given conditions must hold.",
            with_types=False,
        )
        made.order(cls)
    made.where(
        "EntityWhere",
        ontology.common + META_PROPS,
        [],
        "Conditions on entities of any class.",
        with_types=True,
    )
    # Relationship ends spanning several classes get the union of those classes' properties.
    groups = {
        tuple(sorted(g)) for r in ontology.relations for g in (r.domain, r.range) if len(g) > 1
    }
    for group in sorted(groups):
        props: dict[str, PropertyDef] = {}
        for name in group:
            for prop in ontology.class_properties(ontology.cls(name)):
                props.setdefault(prop.name, prop)
        made.where(
            where_name(group),
            tuple(props.values()) + META_PROPS,
            [],
            f"Conditions on {' or '.join(group)} entities; a condition on a property only one of "
            "them has excludes the others.",
            with_types=True,
        )
    made.order(None)
    for rel in ontology.relations:
        made.edge_where(rel)
        made.relation_filter(rel, "out")
        made.relation_filter(rel, "in")


# -- raw argument values → graph filters -------------------------------------------------------------
_QUANTIFIERS: tuple[Quantifier, ...] = ("some", "none", "all")


def _coerce(prop: PropertyDef, value: Any) -> Any:
    value = plain(value)
    if prop.datatype is Datatype.DATE:
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        if isinstance(value, list):
            return [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in value]
    return value


def _operators(prop: PropertyDef, raw: dict[str, Any]) -> list[Filter]:
    lang = plain(raw.get("lang"))
    lang = lang.lower() if isinstance(lang, str) else None
    parts: list[Filter] = []
    for op, value in raw.items():
        if op == "lang" or value is None:
            continue
        parts.append(Compare(prop.name, _OPERATORS[op], _coerce(prop, value), lang))
    return parts


def to_filter(mapping: GraphMapping, where_type: str, raw: dict[str, Any] | None) -> Filter | None:
    """A `<Class>Where` argument (as raw GraphQL values) → a graph filter."""
    if not raw:
        return None
    meta = mapping.filters[where_type]
    parts: list[Filter] = []
    for name, value in raw.items():
        if value is None:
            continue
        entry = meta[name]
        if isinstance(entry, PropField):
            parts += _operators(entry.prop, value)
        elif isinstance(entry, RelField):
            parts += _relation(mapping, entry, value)
        elif entry.op == "AND":
            parts += [f for v in value if (f := to_filter(mapping, where_type, v)) is not None]
        elif entry.op == "OR":
            alternatives = [
                f for v in value if (f := to_filter(mapping, where_type, v)) is not None
            ]
            parts.append(Or(tuple(alternatives)))
        elif entry.op == "NOT":
            inner = to_filter(mapping, where_type, value)
            if inner is not None:
                parts.append(Not(inner))
        elif entry.op == "types":
            parts.append(ClassIs(tuple(plain(value))))
        elif entry.op == "unsourced":
            unsourced = Compare("sources", "isNull", True)
            parts.append(unsourced if value else Not(unsourced))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _relation(mapping: GraphMapping, entry: RelField, raw: dict[str, Any]) -> list[Filter]:
    edge = to_filter(mapping, entry.edge_where, raw.get("edge"))
    direction = entry.direction
    parts: list[Filter] = []
    for quantifier in _QUANTIFIERS:
        if raw.get(quantifier) is not None:
            target = to_filter(mapping, entry.target_where, raw[quantifier])
            parts.append(Related(entry.rel.type, direction, quantifier, target, edge))
    if raw.get("exists") is not None:
        parts.append(
            Related(entry.rel.type, direction, "some" if raw["exists"] else "none", None, edge)
        )
    if not parts and edge is not None:
        parts.append(Related(entry.rel.type, direction, "some", None, edge))
    return parts


def to_order(mapping: GraphMapping, raw: list[dict[str, Any]] | None) -> tuple[Order, ...]:
    """An `orderBy` argument (as raw GraphQL values) → graph sort keys."""
    if not raw:
        return ()
    orders = []
    for item in raw:
        name = plain(item["field"])
        # Literals arrive as the enum's name (PREF_LABEL_EN), variables as its value (prefLabel_en).
        orders.append(
            Order(
                prop=mapping.sort_fields.get(name, name),
                descending=plain(item.get("direction")) == "DESC",
            )
        )
    return tuple(orders)
