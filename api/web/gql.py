"""Pages get their data by running GraphQL operations in-process on the API's own schema, with
the signed-in account in the context: role rules, redaction and limits stay the API's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from api.graphql.context import Context
from graph.accounts import Account


@dataclass(frozen=True)
class GqlError:
    message: str
    code: str
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GqlResult:
    data: dict[str, Any]
    errors: list[GqlError]

    def error(self, code: str) -> GqlError | None:
        return next((e for e in self.errors if e.code == code), None)


async def execute(
    request: Request,
    account: Account | None,
    query: str,
    variables: dict[str, Any] | None = None,
) -> GqlResult:
    state = request.app.state.mskg
    context = Context(state=state, user=account)
    result = await state.graphql_schema.execute(
        query, variable_values=variables, context_value=context
    )
    errors = [
        GqlError(
            message=e.message,
            code=str((e.extensions or {}).get("code", "INTERNAL_SERVER_ERROR")),
            extensions=dict(e.extensions or {}),
        )
        for e in result.errors or []
    ]
    return GqlResult(data=dict(result.data or {}), errors=errors)
