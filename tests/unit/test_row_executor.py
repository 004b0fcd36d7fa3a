"""The row executor completes rows itself: its answers, errors and null propagation must be
graphql-core's, value for value, including the cases it hands back to the library."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.executor import RowExecutor, field_plans, value_only
from api.graphql.types import Row, reads_row


@strawberry.enum
class Degree(Enum):
    IDT = "IDT"
    MOD = "MOD"


@strawberry.type
class Item:
    name: str | None
    count: int | None
    needed: int
    tags: list[str | None] | None
    strict_tags: list[str]
    degree: Degree | None
    published: dt.date | None
    code: strawberry.ID | None

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return (self.name or "") + suffix

    @strawberry.field
    @reads_row(lambda item, _key, args: (item.name or "") * args["times"])
    def repeated(self, times: int = 2) -> str:
        return (self.name or "") * times


def _read_pair(holder: Any, _key: str, _args: Any) -> list[Item] | None:
    return holder.items[:2] if holder.items is not None else None


@strawberry.type
class Holder:
    item: Item | None
    items: list[Item] | None

    @strawberry.field
    @reads_row(_read_pair)
    def pair(self, first: int = 2) -> list[Item] | None:
        return self.items[:2] if self.items is not None else None


def _item(**values: Any) -> Item:
    base: dict[str, Any] = {
        "name": "a",
        "count": 1,
        "needed": 2,
        "tags": ["x", None],
        "strict_tags": ["y"],
        "degree": Degree.IDT,
        "published": dt.date(2024, 5, 1),
        "code": "c-1",
    }
    base.update(values)
    return Item(**base)


ITEMS = [
    _item(),
    _item(name=None, count=None, tags=None, degree=None, published=None),
    _item(count="not a number"),  # the serializer refuses it: the library's error
    _item(needed=None),  # null in a non-null field: the parent becomes null
    _item(strict_tags=["y", None]),  # null in a list of non-null items
    _item(name=3.5, count=True),  # values of other scalar types, coerced (or refused)
    _item(count=2**40),  # out of Int's range
    _item(count=-(2**31), code=2**40),  # Int's least value; an int as an ID
    _item(count=2**31 - 1, code=True),  # Int's greatest value; a bool is no ID
]


@strawberry.type
class Query:
    @strawberry.field
    def holders(self) -> list[Holder]:
        return [Holder(item=item, items=[item, _item()]) for item in ITEMS]


QUERY = """{ holders {
  item { name count needed tags strictTags degree published code shout(suffix: "?")
         __typename again: name }
  items { needed name }
  pair(first: 1) { name repeated(times: 3) twice: repeated count }
} }"""


def _run(executor: type | None, query: str = QUERY) -> tuple[Any, list[tuple[str, list[Any]]]]:
    schema = strawberry.Schema(Query, execution_context_class=executor)
    result = schema.execute_sync(query)
    errors = sorted((e.message, list(e.path or [])) for e in result.errors or [])
    return result.data, errors


def test_same_answers_and_errors_as_graphql_core() -> None:
    fast = _run(RowExecutor)
    library = _run(StrawberryGraphQLCoreExecutionContext)
    assert fast == library
    data, errors = fast
    # The cases above really did produce errors, and null where the library puts it.
    assert {path[3] for _, path in errors if path[1] == 2 and path[2] == "item"} == {"count"}
    assert data["holders"][3]["item"] is None
    assert data["holders"][3]["items"] is None
    assert data["holders"][4]["item"] is None  # a null in strictTags
    assert data["holders"][1]["item"]["tags"] is None
    assert data["holders"][0]["item"]["tags"] == ["x", None]
    assert data["holders"][0]["item"]["published"] == "2024-05-01"
    assert data["holders"][0]["item"]["degree"] == "IDT"
    assert data["holders"][0]["item"]["shout"] == "a?"
    assert data["holders"][0]["item"]["code"] == "c-1"
    assert data["holders"][7]["item"]["count"] == -(2**31)
    assert data["holders"][7]["item"]["code"] == str(2**40)
    assert data["holders"][8]["item"]["count"] == 2**31 - 1
    assert data["holders"][8]["item"]["code"] is None  # refused: the library's error
    assert any(path[1] == 8 and path[-1] == "code" for _, path in errors)
    assert data["holders"][0]["pair"][0] == {
        "name": "a",
        "repeated": "aaa",
        "twice": "aa",
        "count": 1,
    }


def test_only_attribute_leaves_take_the_fast_path() -> None:
    schema = strawberry.Schema(Query, execution_context_class=RowExecutor)
    item_type = schema._schema.type_map["Item"]
    leaves = field_plans(item_type)  # type: ignore[arg-type]
    assert set(leaves) == {
        "name",
        "count",
        "needed",
        "tags",
        "strictTags",
        "degree",
        "published",
        "code",
        "repeated",
    }
    assert all(leaves[name].leaf is not None for name in leaves)
    holder_type = schema._schema.type_map["Holder"]
    holder_plans = field_plans(holder_type)  # type: ignore[arg-type]
    # `pair` reads its row; `item` and `items` hold objects, completed in place when
    # everything selected on them is read in place too.
    assert set(holder_plans) == {"pair", "item", "items"}
    assert all(plan.leaf is None for plan in holder_plans.values())


OBJECTS_QUERY = """{ holders {
  item { __typename name count published again: name skipped: count @skip(if: true) }
  items { needed name tags strictTags __typename }
  both: items { name degree }
  mixed: items { name shout }
} }"""


def test_objects_of_leaves_are_completed_as_the_library_completes_them() -> None:
    fast = _run(RowExecutor, OBJECTS_QUERY)
    assert fast == _run(StrawberryGraphQLCoreExecutionContext, OBJECTS_QUERY)
    data, errors = fast
    assert data["holders"][0]["item"] == {
        "__typename": "Item",
        "name": "a",
        "count": 1,
        "published": "2024-05-01",
        "again": "a",
    }
    assert data["holders"][0]["items"][1] == {
        "needed": 2,
        "name": "a",
        "tags": ["x", None],
        "strictTags": ["y"],
        "__typename": "Item",
    }
    assert data["holders"][0]["mixed"][0] == {"name": "a", "shout": "a!"}
    # A null in a non-null field of one item nulls the whole (nullable) list, as the library
    # does; a value the serializer refuses is the library's error, at the library's path.
    assert data["holders"][3]["items"] is None
    assert data["holders"][3]["both"] is not None
    assert (
        "Int cannot represent non-integer value: 'not a number'",
        ["holders", 2, "item", "count"],
    ) in errors


def _counting(base: type, method: str) -> tuple[type, list[int]]:
    """A subclass of the executor `base` counting the calls to `method` (in the list's one
    item)."""
    calls = [0]
    original = getattr(base, method)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(self, *args, **kwargs)

    return type(f"Counting{base.__name__}", (base,), {method: counted}), calls


def _field_calls(query: str = QUERY) -> tuple[int, int]:
    """How many fields go through `execute_field` with the row executor and with the library's,
    once both answers (and errors) are found equal."""
    fast, fast_calls = _counting(RowExecutor, "execute_field")
    library, library_calls = _counting(StrawberryGraphQLCoreExecutionContext, "execute_field")
    assert _run(fast, query) == _run(library, query)
    return fast_calls[0], library_calls[0]


def test_objects_of_leaves_skip_the_library_field_by_field() -> None:
    fast, library = _field_calls("{ holders { items { name } } }")
    # The root alone: every holder's items and their names are read in place.
    assert fast == 1
    assert library == 1 + len(ITEMS) + 2 * len(ITEMS)


def test_objects_of_objects_are_completed_whole_or_field_by_field() -> None:
    # Objects in objects, through a field that reads its row: still only the root.
    fast, library = _field_calls("{ holders { pair(first: 1) { name } item { needed } } }")
    assert fast == 1
    assert library > 5 * len(ITEMS)
    # A resolver below a holder's `item` leaves that item to the library, which comes back here
    # for each of its fields: only `shout` goes field by field, and the root.
    fast, _ = _field_calls("{ holders { item { name shout } items { name } } }")
    assert fast == 1 + len(ITEMS)


# -- rows of an interface, as search hits and relationship fields hold them -------------------------
@value_only
def _row_class(obj: object, *_rest: object) -> str | None:
    name = obj.get("__class") if isinstance(obj, dict) else None
    return name if isinstance(name, str) else None


def _row_check(class_name: str) -> Any:
    @value_only
    def is_type_of(_cls: type, obj: object, _info: object) -> bool:
        return isinstance(obj, dict) and obj.get("__class") == class_name

    return classmethod(is_type_of)


@strawberry.interface
class Thing:
    key: str

    @classmethod
    @value_only
    def resolve_type(cls, obj: object, _info: object, _abstract_type: object) -> str | None:
        return _row_class(obj)


@strawberry.type
class Gadget(Thing):
    size: int | None
    is_type_of = _row_check("Gadget")


@strawberry.type
class Widget(Thing):
    colour: str | None
    is_type_of = _row_check("Widget")


@strawberry.type
class Hit:
    score: float
    thing: Thing | None
    things: list[Thing] | None


def _thing(row: dict[str, Any]) -> Thing:
    return cast(Thing, Row(row))  # a projected row, as the API's resolvers return them


GADGET: dict[str, Any] = {"__class": "Gadget", "key": "g1", "size": 3}
WIDGET: dict[str, Any] = {"__class": "Widget", "key": "w1", "colour": "red"}
THINGS: list[dict[str, Any]] = [
    GADGET,
    WIDGET,
    {"__class": "Gizmo", "key": "x"},  # a class the schema does not have
    {"__class": "Hit", "key": "x"},  # a type that is not a Thing
    {"key": "no class"},
    {"__class": "Gadget", "size": 1},  # no key: a null in a non-null field
    {"__class": "Gadget", "key": "g2", "size": "big"},  # refused by Int
]


@strawberry.type
class HitQuery:
    @strawberry.field
    def hits(self) -> list[Hit]:
        return [
            Hit(score=float(i), thing=_thing(row), things=[_thing(GADGET), _thing(row)])
            for i, row in enumerate(THINGS)
        ]

    @strawberry.field
    def good(self) -> list[Hit]:
        return [Hit(score=0.5, thing=_thing(WIDGET), things=[_thing(GADGET), _thing(WIDGET)])]


HITS_QUERY = """{ hits {
  score
  thing { __typename key ... on Gadget { size } ... on Widget { colour } }
  things { key ... on Widget { colour } }
} }"""


def _run_on(schema_query: type, executor: type, query: str) -> Any:
    schema = strawberry.Schema(
        schema_query, types=[Gadget, Widget], execution_context_class=executor
    )
    result = schema.execute_sync(query)
    return result.data, sorted((e.message, list(e.path or [])) for e in result.errors or [])


def test_rows_of_an_interface_are_completed_as_the_library_completes_them() -> None:
    fast = _run_on(HitQuery, RowExecutor, HITS_QUERY)
    assert fast == _run_on(HitQuery, StrawberryGraphQLCoreExecutionContext, HITS_QUERY)
    data, errors = fast
    assert data["hits"][0] == {
        "score": 0.0,
        "thing": {"__typename": "Gadget", "key": "g1", "size": 3},
        "things": [{"key": "g1"}, {"key": "g1"}],
    }
    assert data["hits"][1]["thing"] == {"__typename": "Widget", "key": "w1", "colour": "red"}
    assert data["hits"][1]["things"][1] == {"key": "w1", "colour": "red"}
    # Each bad row is the library's error at the library's path, and its null where the
    # library puts it.
    failed = {path[1] for _, path in errors}
    assert failed == {2, 3, 4, 5, 6}
    assert all(data["hits"][i]["thing"] is None for i in failed - {6})
    assert data["hits"][6]["thing"] == {"__typename": "Gadget", "key": "g2", "size": None}


def test_rows_of_an_interface_skip_the_library_field_by_field() -> None:
    counting, calls = _counting(RowExecutor, "execute_field")
    data, errors = _run_on(HitQuery, counting, HITS_QUERY.replace("hits", "good"))
    assert not errors
    assert data["good"][0]["things"] == [{"key": "g1"}, {"key": "w1", "colour": "red"}]
    assert calls[0] == 1  # the root: the hits, their things and their fields in place


@strawberry.type
class Checked:
    """A type whose `is_type_of` is not marked as reading the value only: the library asks it."""

    name: str

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, Checked)


@strawberry.type
class CheckedQuery:
    @strawberry.field
    def checked(self) -> list[Checked]:
        return [Checked(name="a"), Checked(name="b")]


def test_an_unmarked_type_check_is_left_to_the_library() -> None:
    counting, calls = _counting(RowExecutor, "complete_object_value")
    fast = _run_on(CheckedQuery, counting, "{ checked { name } }")
    assert fast == _run_on(
        CheckedQuery, StrawberryGraphQLCoreExecutionContext, "{ checked { name } }"
    )
    assert fast[0] == {"checked": [{"name": "a"}, {"name": "b"}]}
    assert calls[0] == 2  # both values checked by the library


@strawberry.type
class Broken:
    value: str


class _Unreadable:
    @property
    def value(self) -> str:
        raise ValueError("cannot read this")


@strawberry.type
class BrokenQuery:
    @strawberry.field
    def broken(self) -> Broken | None:
        return _Unreadable()  # type: ignore[return-value]


def test_a_field_that_raises_is_reported_by_the_library() -> None:
    schema = strawberry.Schema(BrokenQuery, execution_context_class=RowExecutor)
    result = schema.execute_sync("{ broken { value } }")
    assert result.data == {"broken": None}
    assert result.errors
    assert result.errors[0].message == "cannot read this"
    assert result.errors[0].path == ["broken", "value"]


def test_field_plans_skip_the_library_field_by_field() -> None:
    fast, library = _field_calls()
    # Only the roots, objects, resolvers, __typename and the refused values go field by field.
    assert 0 < fast < library / 2


class _Upper(SchemaExtension):
    """A resolve hook: it must see every field, the plain leaves too."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


def test_a_resolve_hook_still_sees_field_plans() -> None:
    schema = strawberry.Schema(Query, extensions=[_Upper], execution_context_class=RowExecutor)
    result = schema.execute_sync("{ holders { item { name } } }")
    assert result.data is not None
    assert result.data["holders"][0]["item"]["name"] == "A"
