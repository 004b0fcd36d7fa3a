"""How every HTTP route answers when the graph cannot: one mapping, installed on the app.

- GraphUnavailableError (Neo4j down, failing fast, refusing us) → 503 with `Retry-After`;
- QueryTimeoutError (a statement ran past MSKG_CYPHER_TIMEOUT_SECONDS) → 504, no Retry-After
  (the same request would time out again).

The body is JSON in the shape of every other error of the API,
`{"detail": {"code", "message", "hint", "retryAfter"}}`; on /graphql it is a GraphQL response
(`{"data": null, "errors": [{…, "extensions": {"code": "SERVICE_UNAVAILABLE", …}}]}`) — the
error happened before execution, e.g. while reading the bearer token's account; the web
workspace's HTML pages get its error page, with the same status and header.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.requests import Request
from starlette.responses import Response

from api.graphql.errors import QUERY_TIMEOUT, SERVICE_UNAVAILABLE, graph_error
from api.web.browse import unavailable_page
from graph.errors import GraphUnavailableError, QueryTimeoutError
from graph.gateway import retry_after_seconds


def status_of(exc: GraphUnavailableError | QueryTimeoutError) -> tuple[int, str, dict[str, str]]:
    """HTTP status, error code and headers for a graph failure."""
    if isinstance(exc, GraphUnavailableError):
        return 503, SERVICE_UNAVAILABLE, {"Retry-After": str(retry_after_seconds(exc))}
    return 504, QUERY_TIMEOUT, {}


def detail(exc: GraphUnavailableError | QueryTimeoutError) -> dict[str, Any]:
    """The JSON error body's `detail`."""
    _, code, headers = status_of(exc)
    body: dict[str, Any] = {"code": code, "message": str(exc), "hint": exc.hint}
    if "Retry-After" in headers:
        body["retryAfter"] = int(headers["Retry-After"])
    return body


def _is_html_page(request: Request) -> bool:
    route = request.scope.get("route")
    response_class = getattr(route, "response_class", None)
    return isinstance(response_class, type) and issubclass(response_class, HTMLResponse)


async def _answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphUnavailableError | QueryTimeoutError)
    status, _, headers = status_of(exc)
    if request.url.path.rstrip("/") == "/graphql":
        error = graph_error(exc)
        assert error is not None
        return JSONResponse(
            {"data": None, "errors": [error.formatted]}, status_code=status, headers=headers
        )
    if _is_html_page(request):
        return unavailable_page(request, exc)
    return JSONResponse({"detail": detail(exc)}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every route's graph failures as described above."""
    app.add_exception_handler(GraphUnavailableError, _answer)
    app.add_exception_handler(QueryTimeoutError, _answer)
