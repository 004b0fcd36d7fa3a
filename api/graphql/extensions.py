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
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from api.graphql.errors import (
    BAD_USER_INPUT,
    CLIENT_CODES,
    INTERNAL,
    QUERY_TOO_COMPLEX,
    api_error,
    graph_error,
    retry_after,
)
from api.graphql.types import MAX_PAGE
from graph.runner import RoundTrips, start_counting

log = logging.getLogger("mskg.graphql")


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


class _Walker:
    """Depth, alias count and cost of an operation, fragments expanded."""

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
        self.max_depth = 0
        self.aliases = 0
        self.cost = 0
        self.largest_first = 0

    def _multiplier(self, node: FieldNode, field_def: Any, depth: int, parent: Any = None) -> int:
        if getattr(parent, "name", "").endswith("Connection"):
            return 1  # a connection's nodes/edges are its page, already counted by `first`
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = argument.value
                first = None
                if isinstance(value, IntValueNode):
                    first = int(value.value)
                elif isinstance(value, VariableNode):
                    raw = self.variables.get(value.name.value)
                    first = int(raw) if isinstance(raw, int) else None
                if first is not None:
                    self.largest_first = max(self.largest_first, first)
                    return max(first, 1)
        if field_def is not None and "first" in field_def.args and depth == 1:
            # A root list without `first` returns its default page.
            default = field_def.args["first"].default_value
            return max(int(default), 1) if isinstance(default, int) else self.limits.list_default
        if field_def is not None and (
            "first" in field_def.args or isinstance(_unwrap(field_def.type), GraphQLList)
        ):
            # Nested relationship lists: typical fan-out, not the page maximum.
            return self.limits.list_default
        return 1

    def walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        depth: int,
        weight: int,
        seen: frozenset[str],
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                if selection.alias is not None:
                    self.aliases += 1
                fields = (
                    getattr(parent, "fields", {})
                    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType))
                    else {}
                )
                field_def = fields.get(name)
                self.cost += weight
                self.max_depth = max(self.max_depth, depth)
                child_type = _unwrap(field_def.type) if field_def is not None else None
                while isinstance(child_type, GraphQLList):
                    child_type = _unwrap(child_type.of_type)
                self.walk(
                    selection.selection_set,
                    child_type,
                    depth + 1,
                    weight * self._multiplier(selection, field_def, depth, parent),
                    seen,
                )
            elif isinstance(selection, InlineFragmentNode):
                narrowed = parent
                if selection.type_condition is not None:
                    narrowed = self.schema.get_type(selection.type_condition.name.value) or parent
                self.walk(selection.selection_set, narrowed, depth, weight, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # unknown or cyclic: validation reports it
                    continue
                narrowed = self.schema.get_type(fragment.type_condition.name.value) or parent
                self.walk(fragment.selection_set, narrowed, depth, weight, seen | {name})


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
        walker = _Walker(schema, fragments, self.execution_context.variables or {}, self.limits)
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                root = schema.get_root_type(definition.operation)
                walker.walk(definition.selection_set, root, 1, 1, frozenset())
        errors = []
        limits = self.limits
        if walker.largest_first > MAX_PAGE:
            errors.append(
                api_error(
                    f"`first` must be between 0 and {MAX_PAGE}, got {walker.largest_first}",
                    BAD_USER_INPUT,
                    argument="first",
                )
            )
        if walker.max_depth > limits.max_depth:
            errors.append(
                api_error(
                    f"query depth {walker.max_depth} exceeds the maximum of {limits.max_depth}",
                    QUERY_TOO_COMPLEX,
                    limit="depth",
                )
            )
        if walker.aliases > limits.max_aliases:
            errors.append(
                api_error(
                    f"{walker.aliases} aliases exceed the maximum of {limits.max_aliases}",
                    QUERY_TOO_COMPLEX,
                    limit="aliases",
                )
            )
        if walker.cost > limits.max_cost:
            errors.append(
                api_error(
                    f"estimated cost {walker.cost} exceeds the maximum of {limits.max_cost}: lower `first` on nested lists",
                    QUERY_TOO_COMPLEX,
                    limit="cost",
                    cost=walker.cost,
                )
            )
        return errors


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
