"""`/sparql`: a read-only SPARQL 1.1 Protocol endpoint (GET and POST) over the shared store.

The query is checked here (size, UTF-8, nesting depth, no SERVICE, no FROM) and then sent to
Fuseki, which runs it under its own cancelling timeout in its own process: a runaway or
malicious query cannot take the API down. Answers come from the store as it is after a bounded
wait for revisions committed before the query; the lag, if any, is in `MSKG-SPARQL-Lag`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from api.deps import StateDep
from api.negotiation import wants_html
from api.sparql.scan import check_query
from api.sparql.store import StoreError, StoreRequestError
from api.state import AppState
from api.web.sparql_page import sparql_page

router = APIRouter(tags=["sparql"])

RETRY_AFTER = "5"
_FORWARDED = ("content-type", "content-encoding")


def _error(status: int, code: str, message: str, retry: bool = False) -> HTTPException:
    headers = {"Retry-After": RETRY_AFTER} if retry else None
    return HTTPException(status, detail={"code": code, "message": message}, headers=headers)


def _bad(message: str, code: str = "BAD_REQUEST") -> HTTPException:
    return _error(400, code, message)


def _forbidden_update() -> HTTPException:
    return _error(403, "FORBIDDEN", "this endpoint is read-only: SPARQL Update is not accepted")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused once it passes `limit` bytes (never read further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _error(413, "BODY_TOO_LARGE", f"the request body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _error(413, "BODY_TOO_LARGE", f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(
            f"{where} is not valid UTF-8 (byte {exc.start}); send the query as UTF-8",
            "INVALID_ENCODING",
        ) from exc


async def _query_text(request: Request, query: str | None, limit: int) -> str:
    if query:
        return query
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise _forbidden_update()
        body = await _body(request, limit * 3 + 1024)  # room for percent-encoding
        if content_type == "application/sparql-query":
            return _utf8(body, "the request body")
        if content_type == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(_utf8(body, "the form body"), encoding="utf-8", errors="strict")
            except UnicodeDecodeError as exc:
                raise _bad(
                    "a form field is not valid UTF-8 once percent-decoded; send the query as UTF-8",
                    "INVALID_ENCODING",
                ) from exc
            if form.get("query"):
                return form["query"][0]
            if form.get("update"):
                raise _forbidden_update()
    raise _bad(
        "give a SPARQL query: ?query=…, a form field `query`, or a body of type "
        "application/sparql-query"
    )


async def _answer(state: AppState, text: str, accept: str) -> Response:
    store, sync = state.sparql_store, state.sparql_sync
    if store is None or sync is None:
        raise _error(
            503,
            "SERVICE_UNAVAILABLE",
            "no SPARQL store is configured: run `mskg sparql start`, or set MSKG_SPARQL_URL",
            retry=True,
        )
    try:
        fresh = await sync.freshness(state.sparql.catchup)
    except StoreError as exc:
        raise _unavailable(exc) from exc
    if fresh.state.seq is None:
        raise _error(
            503,
            "STORE_LOADING",
            "the SPARQL store is being loaded from the graph; try again in a few seconds",
            retry=True,
        )
    try:
        upstream = await store.open_query(text, accept or "*/*")
    except httpx.TimeoutException as exc:
        raise _timeout(state) from exc
    except StoreError as exc:
        raise _unavailable(exc) from exc
    if upstream.status_code != 200:
        try:
            message = (await upstream.aread()).decode("utf-8", "replace").strip()[:2000]
        except httpx.HTTPError:
            message = ""
        finally:
            await upstream.aclose()
        raise _upstream_error(state, upstream.status_code, message)
    headers = {k: v for k, v in upstream.headers.items() if k.lower() in _FORWARDED}
    headers["MSKG-SPARQL-Lag"] = "unknown" if fresh.lag is None else str(fresh.lag)

    async def relay() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        finally:
            await upstream.aclose()

    return StreamingResponse(relay(), headers=headers)


def _timeout(state: AppState) -> HTTPException:
    return _error(
        503,
        "QUERY_TIMEOUT",
        f"the query ran longer than {state.sparql.timeout:g}s and was stopped; narrow it or "
        "add a LIMIT",
        retry=True,
    )


def _unavailable(exc: Exception) -> HTTPException:
    return _error(
        503,
        "SERVICE_UNAVAILABLE",
        f"the SPARQL store is not answering ({exc}); it is restarted automatically — try "
        "again shortly",
        retry=True,
    )


def _upstream_error(state: AppState, status: int, message: str) -> HTTPException:
    if status == 503 and "timed out" in message.lower():
        return _timeout(state)
    if status in (400, 422):
        return _bad(f"not a SPARQL 1.1 query (updates are not accepted): {message}")
    if status == 406:
        return _error(
            406, "NOT_ACCEPTABLE", f"no result format matches the Accept header: {message}"
        )
    return _unavailable(StoreRequestError(status, message))


@router.api_route(
    "/sparql", methods=["GET", "POST"], summary="Read-only SPARQL 1.1 over the whole graph"
)
async def sparql(request: Request, state: StateDep, query: str | None = None) -> Response:
    # A browser that opens /sparql gets the query page, as /graphql gives GraphiQL.
    if request.method == "GET" and query is None and wants_html(request.headers.get("accept", "")):
        return await sparql_page(request)
    limits = state.sparql
    text = await _query_text(request, query, limits.max_query_bytes)
    if len(text.encode("utf-8")) > limits.max_query_bytes:
        raise _error(
            413,
            "QUERY_TOO_LARGE",
            f"the query is longer than {limits.max_query_bytes} bytes",
        )
    refusal = check_query(text, limits.max_nesting)
    if refusal is not None:
        raise _bad(refusal.message, refusal.code)
    return await _answer(state, text, request.headers.get("accept", ""))
