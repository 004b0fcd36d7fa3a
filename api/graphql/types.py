"""GraphQL object types derived from the ontology: one per class, implementing `Entity`, with
its relationship fields, edge types and connections.

Values arrive as `Row`s — dicts produced by one Cypher projection per operation — so plain
fields resolve by attribute and relationship fields read their entry under the response key
(which makes aliases with different arguments work). `build_object_types` records in the
build's mapping what each field reads, which `selection.build` turns into the Cypher projection.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import FunctionType
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from api.graphql.enums import OntologyEnums
from api.graphql.executor import value_only
from api.graphql.inputs import order_name, relation_fields, where_name
from api.graphql.languages import Lang, LangText, LangTextList
from api.graphql.mapping import (
    ComputedMeta,
    FieldMeta,
    NeedsMeta,
    PropMeta,
    RelMeta,
    SourcesMeta,
)
from api.graphql.naming import edge_type, edges_field, list_of, nullable, py
from api.graphql.space import Build
from graph.accounts import sees_contact_details
from graph.computed import computed_fields
from graph.selection import Direction
from ontology.model import LANGUAGES, ClassDef, Datatype, PropertyDef, RelationDef
from ontology.provenance import RECORD_META, RELATION_META

MAX_PAGE = 100  # largest `first` accepted anywhere
# A resolver function; what it returns is the GraphQL type's business (strawberry checks it).
Resolver = Callable[..., object]
# What a resolver marked with `reads_row` computes: (row, response key, arguments) → value.
RowReader = Callable[[Any, str, Mapping[str, Any]], object]
F = TypeVar("F", bound=Callable[..., object])


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


PARENT: object = strawberry.Parent[Row]  # "the parent object" to strawberry


def row_map(value: dict[str, Any]) -> Row | None:
    """A projected map whose values are already converted (graph.gateway.tree) as a Row;
    bilingual values with no text at all → None, as `to_rows` makes them."""
    if len(value) == len(_LANGUAGE_SET) and value.keys() == _LANGUAGE_SET:
        for text in value.values():
            if text is not None and text != []:
                return Row(value)
        return None
    return Row(value)


_LANGUAGE_SET = frozenset(LANGUAGES)


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


@strawberry.type(description="Paging state of a connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def reads_row(reader: RowReader) -> Callable[[F], F]:
    """Marks a resolver as a pure function of its row, the field's response key and its
    arguments, computed by `reader`: the executor (api.graphql.executor) then calls `reader`
    without building strawberry's arguments and info for every row."""

    def mark(resolver: F) -> F:
        resolver.row_reader = reader  # type: ignore[attr-defined]
        return resolver

    return mark


def row_list(root: object, key: str) -> list[Row]:
    """The rows a relationship field's projection put under its response key."""
    value = root.get(key) if isinstance(root, dict) else None
    return value or []


def _list_of(root: object, info: Info) -> list[Row]:
    return row_list(root, str(info.path.key))


def _read_list(root: Row, key: str, _args: Mapping[str, Any]) -> list[Row]:
    return row_list(root, key)


def _read_first(root: Row, key: str, _args: Mapping[str, Any]) -> Row | None:
    values = row_list(root, key)
    return values[0] if values else None


def _read_key(root: Row, key: str, _args: Mapping[str, Any]) -> object:
    return root.get(key)


def _read_id(root: Row, _key: str, _args: Mapping[str, Any]) -> str:
    return global_id(root["__class"], root["key"])


@reads_row(_read_id)
def _node_id(root: strawberry.Parent[Row]) -> strawberry.ID:
    return strawberry.ID(global_id(root["__class"], root["key"]))


@strawberry.interface(description="Anything with a global ID (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(
        resolver=_node_id, description="Global ID: pass it to `node(id:)`."
    )

    @classmethod
    @value_only
    def resolve_type(cls, obj: object, _info: object, _abstract_type: object) -> str | None:
        """The type of an entity's row is its class, named by `__class` (each class's type
        checks it again with `is_type_of`): one lookup, where strawberry's default asks every
        class's `is_type_of` in turn."""
        name = obj.get("__class") if isinstance(obj, dict) else None
        return name if isinstance(name, str) else None


def label_text(root: Row, lang: str) -> str:
    """The label in `lang`, else in Chinese or English, else in any language, else the key."""
    labels = root.get("prefLabel") or {}
    order = (lang, "zh" if lang == "en" else "en", *LANGUAGES)
    return str(next((labels[code] for code in order if labels.get(code)), root["key"]))


def _read_label(root: Row, _key: str, args: Mapping[str, Any]) -> str:
    lang = args.get("lang", "en")
    return label_text(root, str(getattr(lang, "value", lang)))  # a default is the enum member


@reads_row(_read_label)
def _label(
    root: strawberry.Parent[Row],
    lang: Annotated[Enum, strawberry.argument(graphql_type=Lang)] = Lang["EN"],
) -> str:
    return label_text(root, lang.value)


def resolver_with(fn: Resolver, annotations: dict[str, object]) -> Resolver:
    """A copy of `fn` with the annotations strawberry reads its arguments and type from: types
    made by a build cannot be written in a signature, and each build gets its own copy."""
    made = FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    made.__kwdefaults__ = fn.__kwdefaults__
    made.__dict__.update(fn.__dict__)  # marks such as `reads_row`
    made.__annotations__ = annotations
    return made


def scalar_type(
    prop: PropertyDef, enums: OntologyEnums, text: type = LangText, text_list: type = LangTextList
) -> type:
    """The Python/GraphQL type of one value of `prop` (TEXT as `text`/`text_list`, which
    default to the output types; inputs pass their input types)."""
    match prop.datatype:
        case Datatype.TEXT:
            return text_list if prop.many else text
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
            return enums.vocabularies[prop.enum]
        case _:
            return str


def _field_type(prop: PropertyDef, enums: OntologyEnums) -> object:
    scalar = scalar_type(prop, enums)
    if prop.many and prop.datatype is not Datatype.TEXT:
        return nullable(list_of(scalar))
    return nullable(scalar)


# The bookkeeping fields every entity and relationship shows (ontology.provenance).
_META_TYPES: dict[str, type] = {"integer": int, "datetime": dt.datetime, "agent": str}

# The GraphQL types of the results of fields computed in Cypher (graph.computed).
_COMPUTED_TYPES: dict[str, type] = {"date": dt.date, "int": int, "bool": bool}


def _far(rel: RelationDef, direction: Direction) -> tuple[str, ...]:
    return rel.range if direction == "out" else rel.domain


def _type_name(classes: tuple[str, ...]) -> str:
    return classes[0] if len(classes) == 1 else "Entity"


@dataclass(frozen=True)
class ObjectTypes:
    """The object types one build made: `Entity`, and the rest in the order the schema lists them."""

    entity: type
    listed: list[type]


class _ObjectTypes:
    """Builds the object types of one schema build."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.space = build.space
        self.enums = build.enums
        self.listed: list[type] = []

    def add(self, made: type) -> type:
        self.listed.append(made)
        return self.space.add(made)

    # -- the Entity interface ------------------------------------------------------------------
    def entity(self) -> type:
        """`Entity`: the properties every class has, the bookkeeping, `label` and `sources`."""
        annotations: dict[str, object] = {}
        namespace: dict[str, object] = {"__module__": __name__}
        meta: dict[str, FieldMeta] = {}

        def plain_field(name: str, annotation: object, description: str | None) -> None:
            annotations[py(name)] = annotation
            namespace[py(name)] = strawberry.field(name=name, description=description)

        for prop in self.build.ontology.common:
            if prop.name == "sources":
                continue
            required = prop.name == "key"
            wording = prop.labels.definition_en or f"{prop.labels.en} ({prop.labels.zh})"
            plain_field(prop.name, str if required else _field_type(prop, self.enums), wording)
            meta[prop.name] = PropMeta(prop)
            if required:
                annotations["iri"] = str
                namespace["iri"] = strawberry.field(
                    description="The entity's IRI; dereferenceable as Linked Data."
                )
        for term in RECORD_META:
            plain_field(term.name, nullable(_META_TYPES[term.kind]), term.definition or None)
            meta[term.name] = NeedsMeta((term.name,))
        namespace["label"] = strawberry.field(
            resolver=_label,
            description="The preferred label in `lang`, else in English or Chinese, else in any "
            "language.",
        )
        meta["label"] = NeedsMeta(("prefLabel",))
        namespace["sources"] = strawberry.field(
            resolver=resolver_with(
                _sources,
                {"root": PARENT, "info": Info, "return": list_of(self.space.ref("Source"))},
            ),
            description="The documents this entity's facts come from.",
        )
        meta["sources"] = SourcesMeta()
        namespace["__annotations__"] = annotations
        made: type = strawberry.interface(
            type("Entity", (Node,), namespace), description="Every entity of the knowledge graph."
        )
        self.space.add(made)
        self.build.mapping.fields["Entity"] = meta
        self.build.mapping.fields["Node"] = {}
        return made

    def ref(self, name: str) -> object:
        return self.space.ref(name)

    # -- resolvers -------------------------------------------------------------------------------
    def _relation_resolver(self, far: tuple[str, ...], edge: bool, edge_name: str) -> Resolver:
        @reads_row(_read_list)
        def resolve(
            root: strawberry.Parent[Row],
            info: Info,
            where: object = None,  # compiled into the query with the selection
            order_by: object = None,
            first: int = MAX_PAGE,
        ) -> list[Row]:
            return _list_of(root, info)

        item = edge_name if edge else _type_name(far)
        return resolver_with(
            resolve,
            {
                "root": PARENT,
                "info": Info,
                "where": nullable(self.space[where_name(far)]),
                "order_by": nullable(list_of(self.space[order_name(far)])),
                "first": int,
                "return": list_of(self.ref(item)),
            },
        )

    def _single_relation_resolver(self, item: str) -> Resolver:
        @reads_row(_read_first)
        def resolve(root: strawberry.Parent[Row], info: Info) -> Row | None:
            return _read_first(root, str(info.path.key), {})

        return resolver_with(
            resolve, {"root": PARENT, "info": Info, "return": nullable(self.ref(item))}
        )

    # -- relationships seen from either end -----------------------------------------------------
    def edge_types(self) -> None:
        for rel in self.build.ontology.relations:
            for inverse in (False, True):
                self.add(self._edge_type(rel, inverse))

    def _edge_type(self, rel: RelationDef, inverse: bool) -> type:
        node_type = _type_name(rel.domain if inverse else rel.range)
        annotations: dict[str, object] = {}
        namespace: dict[str, object] = {"__module__": __name__}
        namespace["node"] = strawberry.field(
            resolver=resolver_with(_edge_node, {"root": PARENT, "return": self.ref(node_type)}),
            description="The entity at the other end.",
        )
        for prop in self.build.ontology.relation_properties(rel):
            if prop.name == "sources":
                continue
            annotations[py(prop.name)] = _field_type(prop, self.enums)
            namespace[py(prop.name)] = strawberry.field(
                default=None,
                name=prop.name,
                description=prop.labels.definition_en or prop.labels.en,
            )
        namespace["sources"] = strawberry.field(
            resolver=resolver_with(
                _sources, {"root": PARENT, "info": Info, "return": list_of(self.ref("Source"))}
            ),
            description="Sources of this relationship.",
        )
        for term in RELATION_META:
            annotations[term.name] = nullable(_META_TYPES[term.kind])
            namespace[term.name] = strawberry.field(default=None, name=term.name)
        namespace["__annotations__"] = annotations
        seen_from = "end" if inverse else "start"
        description = (
            f"A {rel.type} relationship ({rel.labels.en} / {rel.labels.zh}) seen from its "
            f"{seen_from}."
        )
        made: type = strawberry.type(
            type(edge_type(rel, inverse), (), namespace), description=description
        )
        return made

    # -- one type per class --------------------------------------------------------------------------
    def class_type(self, entity: type, cls: ClassDef) -> None:
        annotations: dict[str, object] = {}
        namespace: dict[str, object] = {"__module__": __name__}
        meta: dict[str, FieldMeta] = dict(self.build.mapping.fields["Entity"])
        for prop in cls.properties:
            annotation = _field_type(prop, self.enums)
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
        for field_name, rel, direction in relation_fields(self.build.ontology, cls):
            far = _far(rel, direction)
            far_type = _type_name(far)
            edge_name = edge_type(rel, direction == "in")
            inverse = "" if direction == "out" else " — inverse"
            text = f"{rel.labels.en} ({rel.labels.zh}){inverse}. {rel.labels.definition_en}"
            text = text.strip()
            single = direction == "out" and not rel.many
            namespace[py(field_name)] = strawberry.field(
                resolver=self._single_relation_resolver(far_type)
                if single
                else self._relation_resolver(far, False, edge_name),
                name=field_name,
                description=text,
            )
            namespace[py(edges_field(field_name))] = strawberry.field(
                resolver=self._single_relation_resolver(edge_name)
                if single
                else self._relation_resolver(far, True, edge_name),
                name=edges_field(field_name),
                description=f"{text} With the relationship's properties and sources.",
            )
            meta[field_name] = RelMeta(rel, direction, far_type, with_edge=False)
            meta[edges_field(field_name)] = RelMeta(rel, direction, far_type, with_edge=True)
        for computed in computed_fields(cls.name):
            returns = (
                self.ref(computed.target_class)
                if computed.target_class
                else _COMPUTED_TYPES[computed.returns]
            )
            annotation = nullable(returns) if computed.optional else returns
            namespace[py(computed.name)] = strawberry.field(
                resolver=resolver_with(
                    _computed, {"root": PARENT, "info": Info, "return": annotation}
                ),
                name=computed.name,
                description=computed.description,
            )
            meta[computed.name] = ComputedMeta(computed.name, computed.target_class)
        namespace["is_type_of"] = classmethod(_is_type_of(cls.name))
        namespace["__annotations__"] = annotations
        description = f"{cls.labels.en} ({cls.labels.zh}). {cls.labels.definition_en}".strip()
        self.add(strawberry.type(type(cls.name, (entity,), namespace), description=description))
        self.build.mapping.fields[cls.name] = meta

    # -- pages -------------------------------------------------------------------------------------
    def connection_types(self, name: str, node_type: type) -> None:
        edge_cls = self.add(
            strawberry.type(
                type(
                    f"{name}ListEdge",
                    (),
                    {"__annotations__": {"cursor": str, "node": node_type}, "__module__": __name__},
                ),
                description=f"A {name} in a list, with its cursor.",
            )
        )

        def edges(root: strawberry.Parent[Row]) -> list[object]:
            return [
                edge_cls(cursor=_cursor(root["skip"] + i), node=item)
                for i, item in enumerate(root["items"])
            ]

        namespace = {
            "__module__": __name__,
            "nodes": strawberry.field(
                resolver=resolver_with(_page_nodes, {"root": PARENT, "return": list_of(node_type)}),
                description="The entities of this page.",
            ),
            "edges": strawberry.field(
                resolver=resolver_with(edges, {"root": PARENT, "return": list_of(edge_cls)}),
                description="The entities with their cursors.",
            ),
            "total_count": strawberry.field(
                resolver=_total_count,
                description="How many entities match in all (counted only when selected).",
            ),
            "page_info": strawberry.field(resolver=_page_info),
        }
        self.add(
            strawberry.type(
                type(f"{name}Connection", (), namespace),
                description=f"A page of {name} entities.",
            )
        )


@reads_row(_read_list)
def _sources(root: strawberry.Parent[Row], info: Info) -> list[Row]:
    return _list_of(root, info)


@reads_row(lambda root, _key, _args: root["node"])
def _edge_node(root: strawberry.Parent[Row]) -> Row:
    node: Row = root["node"]
    return node


@reads_row(_read_key)
def _computed(root: strawberry.Parent[Row], info: Info) -> object:
    return _read_key(root, str(info.path.key), {})


def _private_resolver(name: str, annotation: object) -> Resolver:
    def resolve(root: strawberry.Parent[Row], info: Info) -> object:
        return root.get(name) if sees_contact_details(getattr(info.context, "user", None)) else None

    return resolver_with(resolve, {"root": PARENT, "info": Info, "return": annotation})


def _is_type_of(class_name: str) -> Callable[[type, object, object], bool]:
    @value_only
    def is_type_of(klass: type, obj: object, info: object) -> bool:
        return isinstance(obj, dict) and obj.get("__class") == class_name

    return is_type_of


@reads_row(lambda root, _key, _args: root["items"])
def _page_nodes(root: strawberry.Parent[Row]) -> list[Row]:
    items: list[Row] = root["items"]
    return items


@reads_row(lambda root, _key, _args: root["total"])
def _total_count(root: strawberry.Parent[Row]) -> int | None:
    total: int | None = root["total"]
    return total


def _page_info(root: strawberry.Parent[Row]) -> PageInfo:
    count = len(root["items"])
    return PageInfo(
        has_next_page=root["has_next"],
        has_previous_page=root["skip"] > 0,
        start_cursor=_cursor(root["skip"]) if count else None,
        end_cursor=_cursor(root["skip"] + count - 1) if count else None,
    )


def build_object_types(build: Build) -> ObjectTypes:
    """`Entity`, an edge type per relationship and direction, a type per class and a connection
    (page) type per class and for `Entity`. Filter inputs must be built first."""
    made = _ObjectTypes(build)
    entity = made.entity()
    made.edge_types()
    for cls in build.ontology.classes:
        made.class_type(entity, cls)
    for cls in build.ontology.classes:
        made.connection_types(cls.name, build.space[cls.name])
    made.connection_types("Entity", entity)
    return ObjectTypes(entity=entity, listed=made.listed)


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
