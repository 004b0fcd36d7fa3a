"""Schema extensions: query limits checked before any Cypher runs, error codes and masking,
and the Cypher round-trip count of each operation."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.graphql.errors import (
    BAD_USER_INPUT,
    CLIENT_CODES,
    INTERNAL,
    QUERY_TOO_COMPLEX,
    UNAUTHENTICATED,
    api_error,
    graph_error,
    retry_after,
)
from api.graphql.types import MAX_PAGE
from graph.runner import RoundTrips, start_counting

log = logging.getLogger("mskg.graphql")

MAX_GROUP_DIMENSIONS = 3  # an aggregation groups by at most this many dimensions


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 3000
    max_cost: int = 200_000
    list_default: int = 10  # assumed size of a list field without `first`


class RoundTripCounter(SchemaExtension):
    """Reports `extensions.cypherRoundTrips`: Cypher statements this operation ran."""

    counter: RoundTrips | None = None

    def on_operation(self) -> Iterator[None]:
        self.counter = start_counting()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cypherRoundTrips": self.counter.count if self.counter else 0}


def _unwrap(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return graphql_type


@dataclass(frozen=True)
class _Summary:
    """What a selection set costs at weight 1: fields counted with their fan-out, the depth of
    its deepest field (1 = a field of this set) and its aliases, fragments expanded."""

    cost: int = 0
    depth: int = 0
    aliases: int = 0


_EMPTY = _Summary()


class _Walker:
    """Depth, alias count and cost of an operation, fragments expanded — by value, not by walk.

    A fragment's summary is computed once per type it is spread on and reused, so a document
    whose fragments double at every level (`F1 { ...F0 ...F0 }`, `F2 { ...F1 ...F1 }` …) is
    analysed in time linear in its length, and its cost still grows as the expansion would. The
    document itself is bounded by the parser's token limit, so the walk is bounded too.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.roots = {
            t for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t
        }
        self.bad_first: list[int] = []  # every `first` outside 0…MAX_PAGE
        self.bad_group_by: list[str] = []  # messages about `groupBy` arguments
        self._memo: dict[tuple[str, str], _Summary] = {}

    def _argument(self, node: FieldNode, name: str) -> Any:
        """The argument's value as a Python value (variables resolved), or None."""
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                return value_from_ast_untyped(value, self.variables)
        return None

    def _first(self, node: FieldNode) -> int | None:
        raw = self._argument(node, "first")
        if not isinstance(raw, int) or isinstance(raw, bool):
            return None
        if not 0 <= raw <= MAX_PAGE:
            self.bad_first.append(raw)
        return raw

    def _multiplier(self, node: FieldNode, field_def: Any, parent: Any) -> int:
        """How many times the field's selection is expected to be resolved per parent."""
        first = self._first(node)
        if getattr(parent, "name", "").endswith("Connection"):
            return 1  # a connection's nodes/edges are its page, already counted by `first`
        if first is not None:
            return max(min(first, MAX_PAGE), 1)
        if field_def is not None and "first" in field_def.args and parent in self.roots:
            # A root list without `first` returns its default page.
            default = field_def.args["first"].default_value
            return max(int(default), 1) if isinstance(default, int) else self.limits.list_default
        if field_def is not None and (
            "first" in field_def.args or isinstance(_unwrap(field_def.type), GraphQLList)
        ):
            # Nested relationship lists: typical fan-out, not the page maximum.
            return self.limits.list_default
        return 1

    def _argument_cost(self, node: FieldNode) -> int:
        """What a field's arguments add: each grouping dimension multiplies the rows an
        aggregation scans, and each condition of a `where` is a predicate or a subquery."""
        cost = 0
        group_by = self._argument(node, "groupBy")
        if isinstance(group_by, list):
            names = [str(g) for g in group_by]
            if len(set(names)) != len(names):
                self.bad_group_by.append("`groupBy` names a dimension more than once")
            if len(names) > MAX_GROUP_DIMENSIONS:
                self.bad_group_by.append(
                    f"`groupBy` takes at most {MAX_GROUP_DIMENSIONS} dimensions, got {len(names)}"
                )
            # An aggregation scans its whole class; every dimension multiplies the groups.
            cost += self.limits.list_default ** (min(len(names), MAX_GROUP_DIMENSIONS + 1) + 1)
        where = self._argument(node, "where")
        if where is not None:
            cost += _input_size(where)
        return cost

    def summarise(self, selection_set: SelectionSetNode | None, parent: Any) -> _Summary:
        if selection_set is None:
            return _EMPTY
        cost = depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                if selection.alias is not None:
                    aliases += 1
                fields = (
                    getattr(parent, "fields", {})
                    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType))
                    else {}
                )
                field_def = fields.get(name)
                child_type = _unwrap(field_def.type) if field_def is not None else None
                while isinstance(child_type, GraphQLList):
                    child_type = _unwrap(child_type.of_type)
                child = self.summarise(selection.selection_set, child_type)
                multiplier = self._multiplier(selection, field_def, parent)
                cost += 1 + self._argument_cost(selection) + multiplier * child.cost
                depth = max(depth, 1 + child.depth)
                aliases += child.aliases
                continue
            if isinstance(selection, InlineFragmentNode):
                narrowed = parent
                if selection.type_condition is not None:
                    narrowed = self.schema.get_type(selection.type_condition.name.value) or parent
                child = self.summarise(selection.selection_set, narrowed)
            elif isinstance(selection, FragmentSpreadNode):
                child = self._fragment(selection.name.value, parent)
            else:
                continue
            cost += child.cost
            depth = max(depth, child.depth)
            aliases += child.aliases
        return _Summary(cost, depth, aliases)

    def _fragment(self, name: str, parent: Any) -> _Summary:
        fragment = self.fragments.get(name)
        if fragment is None:  # unknown: validation reports it
            return _EMPTY
        narrowed = self.schema.get_type(fragment.type_condition.name.value) or parent
        key = (name, getattr(narrowed, "name", ""))
        if key not in self._memo:
            # A cycle meets this placeholder and adds nothing; validation rejects cycles.
            self._memo[key] = _EMPTY
            self._memo[key] = self.summarise(fragment.selection_set, narrowed)
        return self._memo[key]


def _input_size(value: Any) -> int:
    """Number of values in an input (objects and lists counted with their members), iteratively
    so that no nesting depth can exhaust the stack."""
    size, stack = 0, [value]
    while stack:
        item = stack.pop()
        size += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return size


class QueryLimits(SchemaExtension):
    """Rejects operations that are too deep, too aliased, too long or too costly — before
    validation finishes and before any Cypher runs — with code QUERY_TOO_COMPLEX."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.limits.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        errors = self._check()
        if errors:
            self.execution_context.pre_execution_errors = errors
        yield

    def _check(self) -> list[GraphQLError]:
        document = self.execution_context.graphql_document
        if document is None:
            return []
        schema: GraphQLSchema = self.execution_context.schema._schema
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        variables = self.execution_context.variables
        walker = _Walker(
            schema, fragments, variables if isinstance(variables, dict) else {}, self.limits
        )
        depth = aliases = cost = 0
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                root = schema.get_root_type(definition.operation)
                summary = walker.summarise(definition.selection_set, root)
                depth = max(depth, summary.depth)
                aliases += summary.aliases
                cost += summary.cost
        errors = []
        limits = self.limits
        if walker.bad_first:
            errors.append(
                api_error(
                    f"`first` must be between 0 and {MAX_PAGE}, got {walker.bad_first[0]}",
                    BAD_USER_INPUT,
                    argument="first",
                )
            )
        errors += [api_error(m, BAD_USER_INPUT, argument="groupBy") for m in walker.bad_group_by]
        if depth > limits.max_depth:
            errors.append(
                api_error(
                    f"query depth {depth} exceeds the maximum of {limits.max_depth}",
                    QUERY_TOO_COMPLEX,
                    limit="depth",
                )
            )
        if aliases > limits.max_aliases:
            errors.append(
                api_error(
                    f"{aliases} aliases exceed the maximum of {limits.max_aliases}",
                    QUERY_TOO_COMPLEX,
                    limit="aliases",
                )
            )
        if cost > limits.max_cost:
            errors.append(
                api_error(
                    f"estimated cost {cost} exceeds the maximum of {limits.max_cost}: lower `first` on nested lists",
                    QUERY_TOO_COMPLEX,
                    limit="cost",
                    cost=cost,
                )
            )
        return errors


class MutationsNeedAccount(SchemaExtension):
    """Authorization before validation: an anonymous mutation is refused with UNAUTHENTICATED
    before its document or its input is examined, so an anonymous caller learns nothing about
    what a write would need and costs the server nothing."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        if (
            self.execution_context.operation_type is OperationType.MUTATION
            and getattr(context, "user", None) is None
        ):
            self.execution_context.pre_execution_errors = [
                api_error("sign in: send `Authorization: Bearer <token>`", UNAUTHENTICATED)
            ]
        yield


class ErrorCodes(SchemaExtension):
    """Every error leaves with `extensions.code`. Errors written for clients pass through;
    anything unexpected is logged with a correlation id and masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._coded(error) for error in errors]
            self._retry_after(result.errors)
        pre = self.execution_context.pre_execution_errors
        if pre:
            self.execution_context.pre_execution_errors = [self._coded(error) for error in pre]

    def _retry_after(self, errors: list[GraphQLError]) -> None:
        seconds = retry_after(errors)
        response = getattr(self.execution_context.context, "response", None)
        if seconds is not None and response is not None:
            response.headers["Retry-After"] = str(seconds)

    def _coded(self, error: GraphQLError) -> GraphQLError:
        code = (error.extensions or {}).get("code")
        if code in CLIENT_CODES:
            return error
        mapped = graph_error(error.original_error)  # Neo4j down, or a statement timed out
        if mapped is not None:
            return GraphQLError(
                mapped.message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions=mapped.extensions,
            )
        if error.original_error is None or error.path is None:
            # No path: the error is about the request itself (syntax, validation, a variable
            # that does not fit its type) — its message is written for the client.
            # Syntax and validation errors: the message is about the client's document.
            if "tokens" in error.message and "Parsing aborted" in error.message:
                code = QUERY_TOO_COMPLEX
            elif error.message.startswith("Variable '$"):
                code = BAD_USER_INPUT
            else:
                code = "GRAPHQL_VALIDATION_FAILED"
            return GraphQLError(
                error.message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={**(error.extensions or {}), "code": code},
            )
        correlation = uuid.uuid4().hex[:12]
        log.error(
            "unexpected error [%s] at %s", correlation, error.path, exc_info=error.original_error
        )
        return GraphQLError(
            f"Internal server error (correlation id {correlation}); the details are in the server log.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": INTERNAL, "correlationId": correlation},
        )
