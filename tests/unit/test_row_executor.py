"""The row executor completes plain leaves itself: its answers, errors and null propagation must
be graphql-core's, value for value, including the cases it hands back to the library."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.executor import RowExecutor, field_plans
from api.graphql.types import reads_row


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
]


@strawberry.type
class Query:
    @strawberry.field
    def holders(self) -> list[Holder]:
        return [Holder(item=item, items=[item, _item()]) for item in ITEMS]


QUERY = """{ holders {
  item { name count needed tags strictTags degree published shout(suffix: "?") __typename
         again: name }
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
        "repeated",
    }
    holder_type = schema._schema.type_map["Holder"]
    holder_plans = field_plans(holder_type)  # type: ignore[arg-type]
    # `pair` reads its row; `item` and `items` hold plain objects, completed in place when
    # everything selected on them is a planned leaf.
    assert set(holder_plans) == {"pair", "item", "items"}
    assert holder_plans["pair"].objects is None
    item = holder_plans["item"].objects
    items = holder_plans["items"].objects
    assert item is not None
    assert (item.object_type.name, item.nullable, item.is_list) == ("Item", True, False)
    assert items is not None
    assert (items.is_list, items.nullable, items.items_nullable) == (True, True, False)


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


def _field_calls(query: str = QUERY) -> tuple[int, int]:
    """How many fields go through `execute_field` with the row executor and with the library's,
    once both answers (and errors) are found equal."""
    calls = {"fast": 0, "library": 0}

    class CountingFast(RowExecutor):
        def execute_field(self, *args: Any, **kwargs: Any) -> Any:
            calls["fast"] += 1
            return super().execute_field(*args, **kwargs)

    class CountingLibrary(StrawberryGraphQLCoreExecutionContext):
        def execute_field(self, *args: Any, **kwargs: Any) -> Any:
            calls["library"] += 1
            return super().execute_field(*args, **kwargs)

    assert _run(CountingFast, query) == _run(CountingLibrary, query)
    return calls["fast"], calls["library"]


def test_objects_of_leaves_skip_the_library_field_by_field() -> None:
    fast, library = _field_calls("{ holders { items { name } } }")
    # The root alone: every holder's items and their names are read in place.
    assert fast == 1
    assert library == 1 + len(ITEMS) + 2 * len(ITEMS)


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
