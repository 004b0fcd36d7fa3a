"""Filter and sort inputs, derived from the ontology, and their translation into graph filters.

Every class gets `<Class>Where` (a field per property with operators, a field per relationship
with `some`/`none`/`all` and an `edge` filter, and `AND`/`OR`/`NOT`) and `<Class>Order`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import strawberry

from api.graphql.enums import ENUMS, EntityType, Lang, SortDirection, plain
from api.graphql.naming import camel, list_of, make_enum, nullable, py, upper_snake
from graph.selection import And, ClassIs, Compare, Filter, Not, Or, Order, Related
from ontology import ONTOLOGY
from ontology.model import ClassDef, Datatype, PropertyDef, RelationDef

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
    lang: Lang | None = None
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


def _enum_filter(enum_name: str) -> Any:
    enum = ENUMS[enum_name]
    cls = type(
        f"{enum_name}Filter",
        (),
        {
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
        },
    )
    return strawberry.input(cls, description=f"Conditions on a {enum_name} value.")


ENUM_FILTERS: dict[str, Any] = {e.name: _enum_filter(e.name) for e in ONTOLOGY.enums}

_SCALAR_FILTERS: dict[Datatype, Any] = {
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


def filter_input(prop: PropertyDef) -> Any:
    if prop.datatype is Datatype.ENUM:
        assert prop.enum is not None
        return ENUM_FILTERS[prop.enum]
    return _SCALAR_FILTERS[prop.datatype]


# GraphQL operator names → graph operators (raw argument dicts use the GraphQL names).
_OPERATORS = {
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


# -- metadata that drives the translation -----------------------------------------------------------
@dataclass(frozen=True)
class PropField:
    prop: PropertyDef


@dataclass(frozen=True)
class RelField:
    rel: RelationDef
    direction: str  # "out" | "in"
    target_where: str  # input type name of the far end
    edge_where: str


@dataclass(frozen=True)
class Logical:
    op: str  # AND | OR | NOT | types


WHERE_META: dict[str, dict[str, PropField | RelField | Logical]] = {}
SORT_FIELDS: dict[str, str] = {}  # GraphQL sort-field enum name → stored property
INPUTS: dict[str, Any] = {}
META_PROPS = (
    ("version", Datatype.INTEGER),
    ("createdAt", Datatype.DATETIME),
    ("updatedAt", Datatype.DATETIME),
    ("createdBy", Datatype.STRING),
    ("updatedBy", Datatype.STRING),
)


def _meta_prop(name: str, datatype: Datatype) -> PropertyDef:
    from ontology.model import Labels

    return PropertyDef(name, datatype, Labels(name, name), f"mskg:{name}")


def where_name(class_names: tuple[str, ...]) -> str:
    """`CommitteeWhere`; for several classes (a relationship's range) `CommitteeOrOrganizationWhere`."""
    if len(class_names) == 1:
        return f"{class_names[0]}Where"
    return "Or".join(sorted(class_names)) + "Where"


def _gql_name(python_name: str) -> str:
    head, *rest = python_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _build_where(
    name: str,
    props: tuple[PropertyDef, ...],
    relations: list[tuple[str, RelationDef, str]],
    description: str,
    with_types: bool,
) -> None:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    meta: dict[str, PropField | RelField | Logical] = {}
    # Private properties (contact details) are never filterable: a filter would reveal them.
    props = tuple(p for p in props if not p.private)
    for prop in props:
        annotations[prop.name] = nullable(filter_input(prop))
        namespace[prop.name] = strawberry.field(
            default=None, name=prop.name, description=prop.labels.definition_en or prop.labels.en
        )
        meta[prop.name] = PropField(prop)
    for field_name, rel, direction in relations:
        far = rel.range if direction == "out" else rel.domain
        filter_name = f"{camel(rel.type)}{'' if direction == 'out' else 'Inverse'}Filter"
        annotations[py(field_name)] = f"{filter_name} | None"
        namespace[py(field_name)] = strawberry.field(
            default=None, name=field_name, description=f"Filter on `{rel.type}` relationships."
        )
        meta[field_name] = RelField(rel, direction, where_name(far), f"{camel(rel.type)}EdgeWhere")
    for logical, typ in (("AND", f"list[{name}]"), ("OR", f"list[{name}]"), ("NOT", name)):
        annotations[logical] = f"{typ} | None"
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
        annotations["types"] = nullable(list_of(EntityType))
        namespace["types"] = strawberry.field(
            default=None, name="types", description="Only these classes."
        )
        meta["types"] = Logical("types")
    namespace["__annotations__"] = annotations
    _register(name, namespace, description)
    WHERE_META[name] = meta


def _register(name: str, namespace: dict[str, Any], description: str) -> Any:
    """Create an input type in this module's namespace, so that string annotations naming
    other generated inputs (they refer to each other) resolve when the schema is built."""
    namespace["__module__"] = __name__
    cls = strawberry.input(type(name, (), namespace), description=description)
    globals()[name] = cls
    INPUTS[name] = cls
    return cls


def _edge_where(rel: RelationDef) -> None:
    props = ONTOLOGY.relation_properties(rel)
    name = f"{camel(rel.type)}EdgeWhere"
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    meta: dict[str, PropField | RelField | Logical] = {}
    for prop in props:
        annotations[prop.name] = nullable(filter_input(prop))
        namespace[prop.name] = strawberry.field(default=None, name=prop.name)
        meta[prop.name] = PropField(prop)
    namespace["__annotations__"] = annotations
    _register(name, namespace, f"Conditions on a {rel.type} relationship.")
    WHERE_META[name] = meta


def _relation_filter(rel: RelationDef, direction: str) -> None:
    far = rel.range if direction == "out" else rel.domain
    name = f"{camel(rel.type)}{'' if direction == 'out' else 'Inverse'}Filter"
    target = where_name(far)
    edge = f"{camel(rel.type)}EdgeWhere"
    namespace: dict[str, Any] = {
        "__annotations__": {
            "some": f"{target} | None",
            "none": f"{target} | None",
            "all": f"{target} | None",
            "edge": f"{edge} | None",
            "exists": nullable(bool),
        },
        "some": strawberry.field(default=None, description="At least one related node matches."),
        "none": strawberry.field(default=None, description="No related node matches."),
        "all": strawberry.field(default=None, description="Every related node matches."),
        "edge": strawberry.field(
            default=None, description="Conditions on the relationship itself."
        ),
        "exists": strawberry.field(default=None, description="Has (true) or lacks (false) any."),
    }
    _register(name, namespace, f"Filter on {rel.type}.")


def _order_input(cls: ClassDef | None) -> None:
    props = ONTOLOGY.class_properties(cls) if cls else ONTOLOGY.common
    names = ["key"]
    for prop in props:
        if prop.many or prop.name == "key" or prop.private:
            continue
        names += list(prop.storage_names()) if prop.datatype is Datatype.TEXT else [prop.name]
    names += ["createdAt", "updatedAt"]
    prefix = cls.name if cls else "Entity"
    SORT_FIELDS.update({upper_snake(n): n for n in names})
    sort_enum = strawberry.enum(
        make_enum(f"{prefix}SortField", {upper_snake(n): n for n in names}),
        description=f"Fields {prefix} lists can be sorted by.",
    )
    namespace: dict[str, Any] = {
        "__annotations__": {"field": sort_enum, "direction": SortDirection},
        "direction": SortDirection.ASC,
    }
    _register(f"{prefix}Order", namespace, "A sort key.")


def _build_all() -> None:
    meta_props = tuple(_meta_prop(n, d) for n, d in META_PROPS)
    for cls in ONTOLOGY.classes:
        relations = [(r.field, r, "out") for r in ONTOLOGY.relations_from(cls.name)]
        relations += [(r.inverse_field, r, "in") for r in ONTOLOGY.relations_to(cls.name)]
        _build_where(
            f"{cls.name}Where",
            ONTOLOGY.class_properties(cls) + meta_props,
            relations,
            f"Conditions on {cls.labels.en} entities; all given conditions must hold.",
            with_types=False,
        )
        _order_input(cls)
    _build_where(
        "EntityWhere",
        ONTOLOGY.common + meta_props,
        [],
        "Conditions on entities of any class.",
        with_types=True,
    )
    # Relationship ends spanning several classes get the union of those classes' properties.
    groups = {
        tuple(sorted(g)) for r in ONTOLOGY.relations for g in (r.domain, r.range) if len(g) > 1
    }
    for group in sorted(groups):
        props: dict[str, PropertyDef] = {}
        for name in group:
            for prop in ONTOLOGY.class_properties(ONTOLOGY.cls(name)):
                props.setdefault(prop.name, prop)
        _build_where(
            where_name(group),
            tuple(props.values()) + meta_props,
            [],
            f"Conditions on {' or '.join(group)} entities; a condition on a property only one of "
            "them has excludes the others.",
            with_types=True,
        )
    _order_input(None)
    for rel in ONTOLOGY.relations:
        _edge_where(rel)
        _relation_filter(rel, "out")
        _relation_filter(rel, "in")


_build_all()


# -- raw argument values → graph filters -------------------------------------------------------------
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
        parts.append(Compare(prop.name, _OPERATORS[op], _coerce(prop, value), lang))  # type: ignore[arg-type]
    return parts


def to_filter(where_type: str, raw: dict[str, Any] | None) -> Filter | None:
    """A `<Class>Where` argument (as raw GraphQL values) → a graph filter."""
    if not raw:
        return None
    meta = WHERE_META[where_type]
    parts: list[Filter] = []
    for name, value in raw.items():
        if value is None:
            continue
        entry = meta[name]
        if isinstance(entry, PropField):
            parts += _operators(entry.prop, value)
        elif isinstance(entry, RelField):
            parts += _relation(entry, value)
        elif entry.op == "AND":
            parts += [f for f in (to_filter(where_type, v) for v in value) if f is not None]
        elif entry.op == "OR":
            alternatives = [f for f in (to_filter(where_type, v) for v in value) if f is not None]
            parts.append(Or(tuple(alternatives)))
        elif entry.op == "NOT":
            inner = to_filter(where_type, value)
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


def _relation(entry: RelField, raw: dict[str, Any]) -> list[Filter]:
    edge = to_filter(entry.edge_where, raw.get("edge"))
    direction: Literal["out", "in"] = "out" if entry.direction == "out" else "in"
    parts: list[Filter] = []
    for quantifier in ("some", "none", "all"):
        if raw.get(quantifier) is not None:
            target = to_filter(entry.target_where, raw[quantifier])
            parts.append(Related(entry.rel.type, direction, quantifier, target, edge))
    if raw.get("exists") is not None:
        parts.append(
            Related(entry.rel.type, direction, "some" if raw["exists"] else "none", None, edge)
        )
    if not parts and edge is not None:
        parts.append(Related(entry.rel.type, direction, "some", None, edge))
    return parts


def to_order(raw: list[dict[str, Any]] | None) -> tuple[Order, ...]:
    if not raw:
        return ()
    orders = []
    for item in raw:
        name = plain(item["field"])
        # Literals arrive as the enum's name (PREF_LABEL_EN), variables as its value (prefLabel_en).
        orders.append(
            Order(
                prop=SORT_FIELDS.get(name, name), descending=plain(item.get("direction")) == "DESC"
            )
        )
    return tuple(orders)
