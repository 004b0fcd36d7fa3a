"""Liveness and readiness probes (Kubernetes-style)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import StateDep
from graph.errors import IncompatibleServerError
from graph.gateway import retry_after_seconds

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up (does not touch Neo4j)")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Neo4j answers and the schema is in place",
    responses={
        503: {
            "description": "Neo4j is unreachable or older than MSKG needs; the body says why "
            "and what to do"
        }
    },
)
async def readyz(state: StateDep) -> JSONResponse:
    body: dict[str, Any]
    try:
        error = await state.readiness()
    except IncompatibleServerError as exc:
        # Neo4j was down at start-up and an older one answers now: no wait will make it ready,
        # so no Retry-After.
        body = {
            "status": "incompatible",
            "neo4j": {"uri": state.connection.uri, "error": str(exc), "hint": exc.hint},
        }
        return JSONResponse(body, status_code=503)
    if error is None:
        body = {"status": "ready", "neo4j": {"uri": state.connection.uri}}
        return JSONResponse(body)
    body = {
        "status": "unavailable",
        "neo4j": {"uri": state.connection.uri, "error": str(error), "hint": error.hint},
    }
    headers = {"Retry-After": str(retry_after_seconds(error))}
    return JSONResponse(body, status_code=503, headers=headers)
