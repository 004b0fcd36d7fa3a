"""Completion of projected rows without graphql-core's per-field machinery where it adds nothing.

Each operation compiles to one Cypher statement whose result already has the shape the client
asked for, so what is left after the round trip is completion. graphql-core builds a resolve
info, a response path and a chain of type checks for every field of every row, and strawberry
converts every field's arguments into Python objects for every row — though the arguments were
already compiled into the Cypher and the resolvers only read the row. For a page of a hundred
standards with three relationships that is thousands of calls, and it was the largest item in
the API's CPU profile under load.

So two kinds of fields are read here, once per row, without their resolvers:
- a field without a resolver of its own (strawberry's "basic" field: an attribute of the row);
- a field whose resolver is marked `reads_row` (api.graphql.types): a pure function of the row,
  the response key and the arguments, which are coerced once per field node and execution.
A scalar or enum value is then coerced by the type's own serializer in place. An object (or a
list of them) is completed in place too, whole, when every field selected on it, at every
depth, is such a field or `__typename`, and its type can be told from the value alone: a type
without `is_type_of`, or one whose `is_type_of` — and, for an interface, whose `resolve_type`
— is marked `value_only` (a pure function of the value: the classes' types test the row's
`__class`). That covers a search hit and the entity it found, a label's {zh, en}, a page of
rows and their relationships' rows; a selection with anything else in it is completed by
graphql-core, which calls back here for each of its fields and their subtrees.

Everything else takes graphql-core's path unchanged: resolvers that look at the caller (roles
and redaction of contact details), `__typename`, page info, and any value this path does not
take as it is — a null in a non-null field, a value the serializer refuses, a reader that
raises. Those re-run through the resolver and the library, so errors, their paths and null
propagation are exactly the library's. A schema extension that hooks `resolve` sees every
field, so with one installed nothing is read here at all.

Nothing is kept between requests except, per GraphQL object type, which of its fields are read
here: a fact of the schema, not of a caller or their role. What a selection needs (its fields,
their arguments) is worked out once per execution.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from graph.gateway import TEMPORAL_TYPES

# Values a plain leaf can hold as it comes out of a projection: none of them is awaitable, an
# exception or an iterable the library would treat differently. Any other value takes the
# library's path.
_SCALARS: frozenset[type] = frozenset(
    {str, int, float, bool, dt.date, dt.datetime, *TEMPORAL_TYPES}
)


# Where strawberry keeps, on a graphql-core field, the strawberry field it was made from.
DEFINITION_BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF


class _Slow:
    """Marks a value the fast path leaves to graphql-core."""


_SLOW = _Slow()


@dataclass(frozen=True, slots=True)
class _Leaf:
    """How a scalar or enum type (or a list of them) is completed."""

    coerce: Callable[[Any], Any]
    nullable: bool
    is_list: bool
    items_nullable: bool
    # The Python type whose values the serializer returns unchanged (str for String and ID,
    # int in Int's range for Int): checked in place, without the call.
    same: type | None = None

    def complete(self, value: Any) -> Any:
        if value is None:
            return None if self.nullable else _SLOW
        if not self.is_list:
            kind = type(value)
            if kind is self.same and (kind is str or _INT_MIN <= value <= _INT_MAX):
                return value
            return self._one(value)
        if type(value) is not list:
            return _SLOW
        out: list[Any] = []
        for item in value:
            if item is None:
                if not self.items_nullable:
                    return _SLOW
                out.append(None)
                continue
            done = self._one(item)
            if done is _SLOW:
                return _SLOW
            out.append(done)
        return out

    def _one(self, value: Any) -> Any:
        return _coerced(self.coerce, value)


def _coerced(coerce: Callable[[Any], Any], value: Any) -> Any:
    """A scalar or enum value as its type's serializer gives it, or `_SLOW` for anything the
    library would have to report."""
    if type(value) not in _SCALARS:
        return _SLOW
    try:
        coerced = coerce(value)
    except Exception:
        return _SLOW
    return _SLOW if coerced is None or coerced is Undefined else coerced


def _unwrapped(field_type: GraphQLOutputType) -> tuple[Any, bool, bool, bool]:
    """A field's named type (or a nested list type), whether the field is nullable, whether it
    holds a list, and whether the list's items are nullable."""
    nullable = not isinstance(field_type, GraphQLNonNull)
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    is_list = isinstance(inner, GraphQLList)
    items_nullable = True
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        items_nullable = not isinstance(item, GraphQLNonNull)
        inner = item.of_type if isinstance(item, GraphQLNonNull) else item
    return inner, nullable, is_list, items_nullable


def _leaf(field_type: GraphQLOutputType) -> _Leaf | None:
    inner, nullable, is_list, items_nullable = _unwrapped(field_type)
    if not is_leaf_type(inner):
        return None
    leaf_type: GraphQLLeafType = inner
    same = _UNCHANGED.get(leaf_type.name) if leaf_type is _SPECIFIED.get(leaf_type.name) else None
    return _Leaf(leaf_type.coerce_output_value, nullable, is_list, items_nullable, same)


# graphql-core's own scalars, and the values each returns as they are (see `_Leaf.same`).
_SPECIFIED: dict[str, GraphQLLeafType] = {t.name: t for t in (GraphQLString, GraphQLID, GraphQLInt)}
_UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Int": int}
_INT_MIN, _INT_MAX = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT


Reader = Callable[[Any, str, Mapping[str, Any]], Any]

VALUE_ONLY = "value_only"
F = TypeVar("F", bound=Callable[..., Any])


def value_only(check: F) -> F:
    """Marks an `is_type_of` or `resolve_type` as a pure function of the value that never looks
    at the resolve info and never awaits: the executor may then call it without one."""
    setattr(check, VALUE_ONLY, True)
    return check


def _is_value_only(check: Any) -> bool:
    # A classmethod bound to its strawberry type passes attribute reads on to the function.
    return bool(getattr(check, VALUE_ONLY, False))


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """How one field is read from its row, and, for a scalar or enum, completed (anything else
    is completed by `RowExecutor._complete`)."""

    read: Reader
    with_arguments: bool
    leaf: _Leaf | None
    # A basic field's entry in a projected row (a dict): read in place when the row has it.
    key: str | None = None


def _basic(name: str, field: GraphQLField) -> Reader:
    """What strawberry's resolver of the basic field `name` reads — `default_resolver(source,
    python_name)` — without the calls through it; from a projected row (a dict) its entry
    under the GraphQL name, which is the stored name the projection wrote."""
    definition = (field.extensions or {}).get(DEFINITION_BACKREF)
    python_name = getattr(definition, "python_name", None)
    default_resolver = getattr(definition, "default_resolver", None)
    if python_name is None or default_resolver is None:
        resolve = field.resolve
        assert resolve is not None  # `_plan` takes only fields with a resolver
        return lambda source, _key, _args: resolve(source, None)

    def read(source: Any, _key: str, _args: Mapping[str, Any]) -> Any:
        if isinstance(source, dict) and name in source:
            return source[name]
        return default_resolver(source, python_name)

    return read


def _plan(name: str, field: GraphQLField) -> FieldPlan | None:
    resolve = field.resolve
    if resolve is None:
        return None
    if getattr(resolve, "_is_default", False) and not field.args:
        # strawberry marks the resolver of a field that only reads an attribute; such a field
        # takes no arguments and never looks at the resolve info.
        return FieldPlan(_basic(name, field), False, _leaf(field.type), name)
    definition = (field.extensions or {}).get(DEFINITION_BACKREF)
    base = getattr(definition, "base_resolver", None)
    reader = getattr(getattr(base, "wrapped_func", None), "row_reader", None)
    if reader is None:
        return None
    return FieldPlan(reader, bool(field.args), _leaf(field.type))


_PLANS: weakref.WeakKeyDictionary[GraphQLObjectType, Mapping[str, FieldPlan]] = (
    weakref.WeakKeyDictionary()
)


def field_plans(object_type: GraphQLObjectType) -> Mapping[str, FieldPlan]:
    """The fields of `object_type` read without their resolvers, by field name."""
    plans = _PLANS.get(object_type)
    if plans is None:
        found: dict[str, FieldPlan] = {}
        for name, field in object_type.fields.items():
            plan = _plan(name, field)
            if plan is not None:
                found[name] = plan
        plans = found
        _PLANS[object_type] = plans
    return plans


_NO_ARGUMENTS: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class _Selected:
    """One response key of a selection completed here: its field's plan (None: `__typename`),
    its arguments, its type, and its own field nodes (for what is selected below it)."""

    response_name: str
    plan: FieldPlan | None
    arguments: Mapping[str, Any]
    field_type: GraphQLOutputType
    details: FieldDetailsList


# A selection on one object type: what each response key reads, or None when some field in it
# is not read here (or something is deferred).
_Shape = tuple[_Selected, ...] | None


class RowExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with row fields read in place (see the module's notes)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: dict[str, FieldDetailsList],
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        if self._hooked():
            # A middleware wraps every resolver, the plain ones too: leave it all to the library.
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = field_plans(parent_type)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                plan = plans.get(field_details_list[0].node.name.value)
                if plan is not None:
                    result = self._read(
                        plan, parent_type, source_value, field_details_list, path, response_name,
                        position_context,
                    )  # fmt: skip
                else:
                    result = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                name = awaitable_fields[0]
                results[name] = await results[name]
            else:
                awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        # What a resolver returned (a search's hits, a page): completed here whole when it can
        # be. A non-null type is left to the library, which comes back here for the type it
        # wraps, so nothing is tried twice.
        if (
            not isinstance(return_type, GraphQLNonNull)
            and not is_leaf_type(return_type)
            and not self._hooked()
        ):
            done = self._complete(return_type, field_details_list, result)
            if done is not _SLOW:
                return done
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _hooked(self) -> bool:
        manager = self.middleware_manager
        return manager is not None and bool(manager.middlewares)

    # -- completion in place -----------------------------------------------------------------------
    def _complete(
        self, return_type: GraphQLOutputType, details: FieldDetailsList, value: Any
    ) -> Any:
        """`value` completed as the library would complete it, when that needs nothing but
        planned fields; `_SLOW` at the first thing that does (nothing is recorded before that,
        so the library can start again from `value`)."""
        if isinstance(return_type, GraphQLNonNull):
            if value is None or value is Undefined:
                return _SLOW
            return self._complete(return_type.of_type, details, value)
        if value is None or value is Undefined:
            return None
        if isinstance(return_type, GraphQLList):
            if type(value) is not list:
                return _SLOW
            item_type = return_type.of_type
            out: list[Any] = []
            for item in value:
                done = self._complete(item_type, details, item)
                if done is _SLOW:
                    return _SLOW
                out.append(done)
            return out
        if isinstance(return_type, GraphQLObjectType):
            return self._complete_object(return_type, details, value)
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            runtime_type = self._runtime_type(return_type, value)
            if runtime_type is None:
                return _SLOW
            return self._complete_object(runtime_type, details, value)
        if is_leaf_type(return_type):
            return _coerced(return_type.coerce_output_value, value)
        return _SLOW

    def _complete_object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, value: Any
    ) -> Any:
        if isinstance(value, Exception):
            return _SLOW
        # The library asks `is_type_of` too, and fails the value when it says no.
        is_type_of = object_type.is_type_of
        if is_type_of is not None and (
            not _is_value_only(is_type_of) or is_type_of(value, None) is not True  # type: ignore[arg-type]
        ):
            return _SLOW
        shape = self._shape(object_type, details)
        if shape is None:
            return _SLOW
        row: dict[str, Any] = {}
        is_row = isinstance(value, dict)
        for selected in shape:
            plan = selected.plan
            if plan is None:
                row[selected.response_name] = object_type.name
                continue
            key = plan.key
            if is_row and key is not None and key in value:
                read = value[key]  # what `_basic` reads, without the call
            else:
                try:
                    read = plan.read(value, selected.response_name, selected.arguments)
                except Exception:
                    return _SLOW
            if plan.leaf is not None:
                done = plan.leaf.complete(read)
            else:
                done = self._complete(selected.field_type, selected.details, read)
            if done is _SLOW:
                return _SLOW
            row[selected.response_name] = done
        return row

    def _runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType | None:
        """The object type the library would resolve `value` to, when the abstract type's
        `resolve_type` is a pure function of the value; else None."""
        resolve_type = abstract.resolve_type
        if resolve_type is None or not _is_value_only(resolve_type):
            return None
        name = resolve_type(value, None, abstract)  # type: ignore[arg-type]
        if type(name) is not str:
            return None
        runtime_type = self.schema.get_type(name)
        if not isinstance(runtime_type, GraphQLObjectType):
            return None
        return runtime_type if self.schema.is_sub_type(abstract, runtime_type) else None

    def _shape(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> _Shape:
        """What each response key selected on `object_type` reads, in order; None when some
        field, at any depth below through object types, is not read here. (Below an interface
        or a union that depends on each value's type, so it is found out value by value.)"""
        shapes: dict[tuple[GraphQLObjectType, int], tuple[FieldDetailsList, _Shape]] | None
        shapes = getattr(self, "_shapes", None)
        if shapes is None:
            shapes = {}
            self._shapes = shapes
        # Looked up for every object completed, so by the field nodes' identity, as the library
        # memoizes its own collection; the nodes are kept with the shape so that no other list
        # can take their id during the execution.
        key = (object_type, id(details))
        found = shapes.get(key)
        if found is not None:
            return found[1]
        grouped, defer_usages, _forbidden = self.collect_subfields(object_type, details)
        checked = object_type.is_type_of is None or _is_value_only(object_type.is_type_of)
        shape = self._selected(object_type, grouped) if checked and not defer_usages else None
        shapes[key] = (details, shape)
        return shape

    def _selected(
        self, object_type: GraphQLObjectType, grouped: Mapping[str, FieldDetailsList]
    ) -> _Shape:
        plans = field_plans(object_type)
        shape: list[_Selected] = []
        for response_name, details_list in grouped.items():
            details = details_list[0]
            name = details.node.name.value
            if name == "__typename":
                shape.append(
                    _Selected(response_name, None, _NO_ARGUMENTS, object_type, details_list)
                )
                continue
            plan = plans.get(name)
            if plan is None:
                return None
            field = object_type.fields[name]
            if plan.leaf is None:
                # Known now, so no value is walked only to be walked again by the library.
                below = get_named_type(field.type)
                if (
                    isinstance(below, GraphQLObjectType)
                    and self._shape(below, details_list) is None
                ):
                    return None
            arguments = self._arguments(field, details) if plan.with_arguments else _NO_ARGUMENTS
            shape.append(_Selected(response_name, plan, arguments, field.type, details_list))
        return tuple(shape)

    def _arguments(self, field: GraphQLField, details: Any) -> Mapping[str, Any]:
        """A field node's argument values: the same for every row of this execution."""
        cache: dict[int, Mapping[str, Any]] | None = getattr(self, "_argument_cache", None)
        if cache is None:
            cache = {}
            self._argument_cache = cache
        node = details.node
        found = cache.get(id(node))
        if found is None:
            found = get_argument_values(
                field,
                node,
                self.variable_values,
                details.fragment_variable_values,
                self.hide_suggestions,
            )
            cache[id(node)] = found
        return found

    def _read(
        self,
        plan: FieldPlan,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path | None,
        response_name: str,
        position_context: Any,
    ) -> Any:
        """A planned field: read, then completed in place or by the library."""
        details = field_details_list[0]
        field = parent_type.fields[details.node.name.value]
        key = plan.key
        if key is not None and isinstance(source, dict) and key in source:
            value = source[key]  # what `_basic` reads, without the call
        else:
            try:
                arguments = (
                    self._arguments(field, details) if plan.with_arguments else _NO_ARGUMENTS
                )
                value = plan.read(source, response_name, arguments)
            except Exception:
                value = _SLOW
        if value is not _SLOW:
            if plan.leaf is not None:
                done = plan.leaf.complete(value)
            else:
                done = self._complete(field.type, field_details_list, value)
            if done is not _SLOW:
                return done  # no response path needed: nothing can go wrong from here
        field_path = Path(path, response_name, parent_type.name)
        if value is _SLOW:
            return self.execute_field(
                parent_type, source, field_details_list, field_path, position_context
            )
        return_type = field.type
        info = self.build_resolve_info(field, to_nodes(field_details_list), parent_type, field_path)
        try:
            completed = super().complete_value(
                return_type, field_details_list, info, field_path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, field_path)
            return None
        if self.is_awaitable(completed):

            async def await_completed() -> Any:
                try:
                    return await completed
                except Exception as raw_error:
                    self.handle_field_error(raw_error, return_type, field_details_list, field_path)
                    return None

            return await_completed()
        return completed
