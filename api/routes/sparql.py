"""`/sparql`: a read-only SPARQL 1.1 Protocol endpoint (GET and POST) with a query timeout."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.deps import StateDep
from graph.errors import GraphUnavailableError

router = APIRouter(tags=["sparql"])

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _pick(accept: str, options: dict[str, Any], default: str) -> tuple[str, Any]:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in options:
            return media, options[media]
    return default, options[default]


def _bad(message: str) -> HTTPException:
    return HTTPException(400, detail={"code": "BAD_REQUEST", "message": message})


async def _query_text(request: Request, query: str | None) -> str:
    if query:
        return query
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type == "application/sparql-query":
            return (await request.body()).decode("utf-8")
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs((await request.body()).decode("utf-8"))
            if form.get("query"):
                return form["query"][0]
            if form.get("update"):
                raise HTTPException(
                    403,
                    detail={
                        "code": "FORBIDDEN",
                        "message": "this endpoint is read-only: SPARQL Update is not accepted",
                    },
                )
    raise _bad(
        "give a SPARQL query: ?query=…, a form field `query`, or a body of type application/sparql-query"
    )


@router.api_route(
    "/sparql", methods=["GET", "POST"], summary="Read-only SPARQL 1.1 over the whole graph"
)
async def sparql(request: Request, state: StateDep, query: str | None = None) -> Response:
    text = await _query_text(request, query)
    try:
        await state.sparql.sync(state.driver, state.connection.database, state.base_iri)
    except GraphUnavailableError as exc:
        raise HTTPException(
            503, detail={"code": "SERVICE_UNAVAILABLE", "message": str(exc), "hint": exc.hint}
        ) from exc
    accept = request.headers.get("accept", "")

    def run() -> tuple[bytes, str]:
        try:
            results = state.sparql.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise _bad(f"not a SPARQL 1.1 query (updates are not accepted): {exc}") from exc
        if isinstance(results, ox.QueryTriples):
            media, fmt = _pick(accept, _GRAPHS, "text/turtle")
        else:
            media, fmt = _pick(accept, _RESULTS, "application/sparql-results+json")
        body = results.serialize(format=fmt)
        assert isinstance(body, bytes)
        return body, media

    try:
        body, media = await asyncio.wait_for(asyncio.to_thread(run), timeout=state.sparql_timeout)
    except TimeoutError as exc:
        raise HTTPException(
            503,
            detail={
                "code": "QUERY_TIMEOUT",
                "message": f"the query ran longer than {state.sparql_timeout:g}s; narrow it or add a LIMIT",
            },
        ) from exc
    return Response(body, media_type=media)
