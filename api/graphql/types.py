"""GraphQL object types derived from the ontology: one per class, implementing `Entity`.

Values arrive as `Row`s — dicts produced by one Cypher projection per operation — so plain
fields resolve by attribute and relationship fields read their entry under the response key
(which makes aliases with different arguments work).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import ENUMS, Lang
from api.graphql.inputs import INPUTS, where_name
from api.graphql.naming import edge_type, edges_field, list_of, nullable, py
from graph.accounts import sees_contact_details
from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype, PropertyDef, RelationDef

MAX_PAGE = 100  # largest `first` accepted anywhere
PARENT: Any = strawberry.Parent[Any]  # type: ignore[misc]  # "the parent object" to strawberry


class Row(dict[str, Any]):
    """A projected record; attribute access for strawberry's default resolvers."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            # Protocol probes (__await__, __iter__, …) must not look like present attributes.
            raise AttributeError(name)
        if name in self:
            return self[name]
        if name.endswith("_") and name[:-1] in self:  # `from_` for the GraphQL field `from`
            return self[name[:-1]]
        # strawberry reads interface fields by their Python names (pref_label → prefLabel).
        head, *rest = name.split("_")
        return self.get(head + "".join(part.capitalize() for part in rest))


def to_rows(value: Any) -> Any:
    """Projection results → Rows; bilingual values with no text at all → None."""
    if isinstance(value, dict):
        if set(value) == set(LANGUAGES) and all(v in (None, []) for v in value.values()):
            return None
        return Row({k: to_rows(v) for k, v in value.items()})
    if isinstance(value, list):
        return [to_rows(v) for v in value]
    return value


def global_id(class_name: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{class_name}:{key}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, str]:
    padded = value + "=" * (-len(value) % 4)
    try:
        class_name, _, key = base64.urlsafe_b64decode(padded).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return "", ""
    return class_name, key


@strawberry.type(description="Text per language: zh and en, optionally fr, ru, es, ar.")
class LangText:
    zh: str | None = None
    en: str | None = None
    fr: str | None = None
    ru: str | None = None
    es: str | None = None
    ar: str | None = None


@strawberry.type(description="Several texts per language (e.g. alternative labels).")
class LangTextList:
    zh: list[str] | None = None
    en: list[str] | None = None
    fr: list[str] | None = None
    ru: list[str] | None = None
    es: list[str] | None = None
    ar: list[str] | None = None


@strawberry.type(description="Paging state of a connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def _list_of(root: Any, info: Info) -> list[Any]:
    value = root.get(info.path.key) if isinstance(root, dict) else None
    return value or []


@strawberry.interface(description="Anything with a global ID (Relay).")
class Node:
    @strawberry.field(description="Global ID: pass it to `node(id:)`.")
    def id(self, root: strawberry.Parent[Any]) -> strawberry.ID:
        return strawberry.ID(global_id(root["__class"], root["key"]))


@strawberry.interface(description="Every entity of the knowledge graph.")
class Entity(Node):
    key: str = strawberry.field(description="Stable human-readable key, unique across the graph.")
    iri: str = strawberry.field(description="The entity's IRI; dereferenceable as Linked Data.")
    pref_label: LangText | None = strawberry.field(description="Preferred name or title.")
    alt_label: LangTextList | None = strawberry.field(
        description="Abbreviations, designations, former names."
    )
    definition: LangText | None = None
    note: LangText | None = None
    version: int | None = strawberry.field(description="Incremented by every change.")
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None

    @strawberry.field(
        description="The preferred label in `lang`, else in English or Chinese, else in any language."
    )
    def label(self, root: strawberry.Parent[Any], lang: Lang = Lang.EN) -> str:
        labels = root.get("prefLabel") or {}
        order = (lang.value, "zh" if lang.value == "en" else "en", *LANGUAGES)
        return str(next((labels[code] for code in order if labels.get(code)), root["key"]))

    @strawberry.field(description="The documents this entity's facts come from.")
    def sources(self, root: strawberry.Parent[Any], info: Info) -> list["Source"]:  # noqa: UP037
        return _list_of(root, info)


# -- metadata that drives selection → Cypher -------------------------------------------------------
@dataclass(frozen=True)
class PropMeta:
    prop: PropertyDef


@dataclass(frozen=True)
class RelMeta:
    rel: RelationDef
    direction: str
    target_type: str  # GraphQL type name of the far end (a class or "Entity")
    with_edge: bool


@dataclass(frozen=True)
class SourcesMeta:
    pass


@dataclass(frozen=True)
class ComputedMeta:
    """A field computed in Cypher (those graph.compile._computed knows); `target_type` for entity results."""

    name: str
    target_type: str | None = None


@dataclass(frozen=True)
class NeedsMeta:
    """A computed field that needs some stored properties."""

    props: tuple[str, ...]


FieldMeta = PropMeta | RelMeta | SourcesMeta | NeedsMeta | ComputedMeta
TYPE_META: dict[str, dict[str, FieldMeta]] = {}
OBJECT_TYPES: dict[str, Any] = {}

_COMMON_META: dict[str, FieldMeta] = {
    **{p.name: PropMeta(p) for p in ONTOLOGY.common if p.name != "sources"},
    "sources": SourcesMeta(),
    "label": NeedsMeta(("prefLabel",)),
    "version": NeedsMeta(("version",)),
    "createdAt": NeedsMeta(("createdAt",)),
    "updatedAt": NeedsMeta(("updatedAt",)),
    "createdBy": NeedsMeta(("createdBy",)),
    "updatedBy": NeedsMeta(("updatedBy",)),
}
TYPE_META["Entity"] = dict(_COMMON_META)
TYPE_META["Node"] = {}


def scalar_type(prop: PropertyDef, text: Any = None, text_list: Any = None) -> Any:
    """The Python/GraphQL type of one value of `prop` (TEXT as `text`/`text_list`, which
    default to the output types; inputs pass their input types)."""
    match prop.datatype:
        case Datatype.TEXT:
            return (text_list or LangTextList) if prop.many else (text or LangText)
        case Datatype.INTEGER:
            return int
        case Datatype.DOUBLE:
            return float
        case Datatype.BOOLEAN:
            return bool
        case Datatype.DATE:
            return dt.date
        case Datatype.DATETIME:
            return dt.datetime
        case Datatype.ENUM:
            assert prop.enum is not None
            return ENUMS[prop.enum]
        case _:
            return str


def _field_type(prop: PropertyDef) -> Any:
    scalar = scalar_type(prop)
    if prop.many and prop.datatype is not Datatype.TEXT:
        return nullable(list_of(scalar))
    return nullable(scalar)


def _private_resolver(name: str, annotation: Any) -> Any:
    def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        return root.get(name) if sees_contact_details(getattr(info.context, "user", None)) else None

    resolve.__annotations__ = {"root": PARENT, "info": Info, "return": annotation}
    return resolve


def _relation_resolver(
    far_type: str, far_where: str, far_order: str, edge: bool, edge_name: str
) -> Any:
    def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        where: Any = None,
        order_by: Any = None,
        first: int = MAX_PAGE,
    ) -> Any:
        return _list_of(root, info)

    item = edge_name if edge else far_type
    resolve.__annotations__ = {
        "root": PARENT,
        "info": Info,
        "where": nullable(INPUTS[far_where]),
        "order_by": nullable(list_of(INPUTS[far_order])),
        "first": int,
        "return": f"list[{item}]",
    }
    resolve.__module__ = __name__
    return resolve


def _computed_resolver(annotation: Any) -> Any:
    def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        return root.get(info.path.key) if isinstance(root, dict) else None

    resolve.__annotations__ = {"root": PARENT, "info": Info, "return": annotation}
    resolve.__module__ = __name__
    return resolve


# Per-class fields computed in Cypher: the liaison officer's "last and next communication".
COMPUTED_FIELDS: dict[str, dict[str, tuple[str, Any, ComputedMeta]]] = {
    "Liaison": {
        "lastExchange": (
            "The most recent liaison statement of this liaison (by issue date).",
            "LiaisonStatement | None",
            ComputedMeta("lastExchange", "LiaisonStatement"),
        ),
        "nextDeadline": (
            "The earliest reply deadline among its statements awaiting a reply.",
            nullable(dt.date),
            ComputedMeta("nextDeadline"),
        ),
        "statementCount": (
            "How many liaison statements belong to this liaison.",
            int,
            ComputedMeta("statementCount"),
        ),
    },
    "LiaisonStatement": {
        "overdue": (
            "Awaiting action and past its deadline (today, on the database server).",
            bool,
            ComputedMeta("overdue"),
        ),
    },
}


def _single_relation_resolver(item: str) -> Any:
    def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        values = _list_of(root, info)
        return values[0] if values else None

    resolve.__annotations__ = {"root": PARENT, "info": Info, "return": f"{item} | None"}
    resolve.__module__ = __name__
    return resolve


def _far(rel: RelationDef, direction: str) -> tuple[str, ...]:
    return rel.range if direction == "out" else rel.domain


def _type_name(classes: tuple[str, ...]) -> str:
    return classes[0] if len(classes) == 1 else "Entity"


def _order_name(classes: tuple[str, ...]) -> str:
    return f"{classes[0]}Order" if len(classes) == 1 else "EntityOrder"


def _edge_types() -> None:
    for rel in ONTOLOGY.relations:
        for inverse in (False, True):
            name = edge_type(rel, inverse)
            node_type = _type_name(rel.domain if inverse else rel.range)
            annotations: dict[str, Any] = {}
            namespace: dict[str, Any] = {"__module__": __name__}

            def node(root: strawberry.Parent[Any]) -> Any:
                return root["node"]

            node.__annotations__ = {"root": PARENT, "return": node_type}
            node.__module__ = __name__
            namespace["node"] = strawberry.field(
                resolver=node, description="The entity at the other end."
            )
            for prop in ONTOLOGY.relation_properties(rel):
                if prop.name == "sources":
                    continue
                annotations[py(prop.name)] = _field_type(prop)
                namespace[py(prop.name)] = strawberry.field(
                    default=None,
                    name=prop.name,
                    description=prop.labels.definition_en or prop.labels.en,
                )

            def sources(root: strawberry.Parent[Any], info: Info) -> Any:
                return _list_of(root, info)

            sources.__annotations__ = {
                "root": PARENT,
                "info": Info,
                "return": "list[Source]",
            }
            sources.__module__ = __name__
            namespace["sources"] = strawberry.field(
                resolver=sources, description="Sources of this relationship."
            )
            for meta_name, meta_type in (
                ("createdAt", dt.datetime),
                ("updatedAt", dt.datetime),
                ("createdBy", str),
                ("updatedBy", str),
            ):
                annotations[meta_name] = nullable(meta_type)
                namespace[meta_name] = strawberry.field(default=None, name=meta_name)
            namespace["__annotations__"] = annotations
            description = f"A {rel.type} relationship ({rel.labels.en} / {rel.labels.zh}) seen from its {'end' if inverse else 'start'}."
            cls = strawberry.type(type(name, (), namespace), description=description)
            globals()[name] = cls
            OBJECT_TYPES[name] = cls


def _class_type(cls: ClassDef) -> None:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    meta: dict[str, FieldMeta] = dict(_COMMON_META)
    for prop in cls.properties:
        annotation = _field_type(prop)
        description = prop.labels.definition_en or f"{prop.labels.en} ({prop.labels.zh})"
        if prop.private:
            namespace[py(prop.name)] = strawberry.field(
                resolver=_private_resolver(prop.name, annotation),
                name=prop.name,
                description=f"{description} Hidden from anonymous readers.",
            )
        else:
            annotations[py(prop.name)] = annotation
            namespace[py(prop.name)] = strawberry.field(
                default=None, name=prop.name, description=description
            )
        meta[prop.name] = PropMeta(prop)
    relations = [(r.field, r, "out") for r in ONTOLOGY.relations_from(cls.name)]
    relations += [(r.inverse_field, r, "in") for r in ONTOLOGY.relations_to(cls.name)]
    for field_name, rel, direction in relations:
        far = _far(rel, direction)
        far_type, far_where, far_order = _type_name(far), where_name(far), _order_name(far)
        edge_name = edge_type(rel, direction == "in")
        text = f"{rel.labels.en} ({rel.labels.zh}){'' if direction == 'out' else ' — inverse'}. {rel.labels.definition_en}".strip()
        single = direction == "out" and not rel.many
        namespace[py(field_name)] = strawberry.field(
            resolver=_single_relation_resolver(far_type)
            if single
            else _relation_resolver(far_type, far_where, far_order, False, edge_name),
            name=field_name,
            description=text,
        )
        namespace[py(edges_field(field_name))] = strawberry.field(
            resolver=_single_relation_resolver(edge_name)
            if single
            else _relation_resolver(far_type, far_where, far_order, True, edge_name),
            name=edges_field(field_name),
            description=f"{text} With the relationship's properties and sources.",
        )
        meta[field_name] = RelMeta(rel, direction, far_type, with_edge=False)
        meta[edges_field(field_name)] = RelMeta(rel, direction, far_type, with_edge=True)

    for field_name, (description, annotation, computed) in COMPUTED_FIELDS.get(
        cls.name, {}
    ).items():
        namespace[py(field_name)] = strawberry.field(
            resolver=_computed_resolver(annotation), name=field_name, description=description
        )
        meta[field_name] = computed

    def is_type_of(klass: Any, obj: Any, info: Any, name: str = cls.name) -> bool:
        return isinstance(obj, dict) and obj.get("__class") == name

    namespace["is_type_of"] = classmethod(is_type_of)
    namespace["__annotations__"] = annotations
    description = f"{cls.labels.en} ({cls.labels.zh}). {cls.labels.definition_en}".strip()
    type_cls = strawberry.type(type(cls.name, (Entity,), namespace), description=description)
    globals()[cls.name] = type_cls
    OBJECT_TYPES[cls.name] = type_cls
    TYPE_META[cls.name] = meta


def _connection_types(name: str, node_type: Any) -> None:
    def nodes(root: strawberry.Parent[Any]) -> Any:
        return root["items"]

    nodes.__annotations__ = {"root": PARENT, "return": list_of(node_type)}

    edge_name = f"{name}ListEdge"
    edge_cls = strawberry.type(
        type(
            edge_name,
            (),
            {"__annotations__": {"cursor": str, "node": node_type}, "__module__": __name__},
        ),
        description=f"A {name} in a list, with its cursor.",
    )
    OBJECT_TYPES[edge_name] = edge_cls

    def edges(root: strawberry.Parent[Any]) -> Any:
        return [
            edge_cls(cursor=_cursor(root["skip"] + i), node=item)
            for i, item in enumerate(root["items"])
        ]

    edges.__annotations__ = {"root": PARENT, "return": list_of(edge_cls)}

    def total_count(root: strawberry.Parent[Any]) -> int | None:
        total: int | None = root["total"]
        return total

    def page_info(root: strawberry.Parent[Any]) -> PageInfo:
        count = len(root["items"])
        return PageInfo(
            has_next_page=root["has_next"],
            has_previous_page=root["skip"] > 0,
            start_cursor=_cursor(root["skip"]) if count else None,
            end_cursor=_cursor(root["skip"] + count - 1) if count else None,
        )

    namespace = {
        "__module__": __name__,
        "nodes": strawberry.field(resolver=nodes, description="The entities of this page."),
        "edges": strawberry.field(resolver=edges, description="The entities with their cursors."),
        "total_count": strawberry.field(
            resolver=total_count,
            description="How many entities match in all (counted only when selected).",
        ),
        "page_info": strawberry.field(resolver=page_info),
    }
    conn_name = f"{name}Connection"
    OBJECT_TYPES[conn_name] = strawberry.type(
        type(conn_name, (), namespace), description=f"A page of {name} entities."
    )


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def cursor_offset(cursor: str | None) -> int:
    """The offset after `cursor` (0 without one); ValueError for a malformed cursor."""
    if not cursor:
        return 0
    text = base64.urlsafe_b64decode(cursor.encode()).decode()
    prefix, _, number = text.partition(":")
    if prefix != "offset" or not number.isdigit():
        raise ValueError("malformed cursor")
    return int(number) + 1


def _build_all() -> None:
    _edge_types()
    for cls in ONTOLOGY.classes:
        _class_type(cls)
    for cls in ONTOLOGY.classes:
        _connection_types(cls.name, OBJECT_TYPES[cls.name])
    _connection_types("Entity", Entity)


_build_all()
Source: Any = OBJECT_TYPES["Source"]
