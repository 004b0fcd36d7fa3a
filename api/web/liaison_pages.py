"""The liaison dashboard of a committee: its liaisons (category, counterpart, contacts), the
statements it received and sent, what awaits its action (overdue first, as `awaitingAction`
orders them) and its exchanges with one counterpart."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.web import operations
from api.web.browse import failed
from api.web.gql import execute
from api.web.i18n import request_lang
from api.web.render import page
from api.web.session import signed_in

router = APIRouter(include_in_schema=False)


@router.get("/liaisons", response_class=HTMLResponse)
async def bodies(request: Request, body: str | None = None) -> Response:
    """Every body that holds or receives a liaison, or sent or received a statement. The picker
    form sends `?body=KEY`, which leads to that body's dashboard (no script needed)."""
    lang = request_lang(request)
    if body:
        return RedirectResponse(f"/liaisons/{quote(body, safe='')}?lang={lang}", status_code=303)
    account = await signed_in(request)
    result = await execute(request, account, operations.LIAISON_BODIES, {"lang": lang.upper()})
    if result.errors:
        return failed(request, account, result)
    found: dict[str, dict[str, Any]] = {}
    for liaison in result.data["liaisons"]["nodes"]:
        for end in (liaison["holder"], liaison["partner"]):
            if end:
                found[end["key"]] = end
    for statement in result.data["liaisonStatements"]["nodes"]:
        for end in (*statement["from"], *statement["to"]):
            found[end["key"]] = end
    listed = sorted(found.values(), key=lambda body: body["label"])
    return page(request, "liaison_bodies.html", account, bodies=listed)


@router.get("/liaisons/{key}", response_class=HTMLResponse)
async def dashboard(request: Request, key: str) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    result = await execute(
        request, account, operations.LIAISON_DASHBOARD, {"key": key, "lang": lang.upper()}
    )
    if result.errors:
        return failed(request, account, result)
    body = result.data["body"]
    if body is None:
        return page(request, "not_found.html", account, status_code=404, key=key)
    own = [*(body.get("liaisons") or []), *(body.get("liaisonsAsPartner") or [])]
    # The groups beneath the body (a subcommittee's working groups) hold liaisons of their own:
    # offered as a roll-up, which `?rollup=1` shows.
    within = result.data["within"]
    rollup = request.query_params.get("rollup") == "1" and len(within) > len(own)
    liaisons = within if rollup else own
    partner = request.query_params.get("with", "").strip()
    exchanges: dict[str, Any] | None = None
    if partner:
        found = await execute(
            request,
            account,
            operations.EXCHANGES,
            {"a": key, "b": partner, "lang": lang.upper()},
        )
        if found.errors:
            return failed(request, account, found)
        exchanges = found.data
    counterparts: dict[str, dict[str, Any]] = {}
    for liaison in liaisons:
        for end in (liaison["holder"], liaison["partner"]):
            if end and end["key"] != key:
                counterparts[end["key"]] = end
    for statement in (*result.data["inbox"], *result.data["outbox"]):
        for end in (*statement["from"], *statement["to"]):
            if end["key"] != key:
                counterparts[end["key"]] = end
    return page(
        request,
        "liaison_dashboard.html",
        account,
        body=body,
        liaisons=liaisons,
        rollup=rollup,
        beneath=len(within) - len(own),
        inbox=result.data["inbox"],
        outbox=result.data["outbox"],
        awaiting=result.data["awaitingAction"],
        counterparts=sorted(counterparts.values(), key=lambda c: c["label"]),
        partner=partner,
        exchanges=exchanges,
        # The earliest deadline awaiting a reply may have passed: it is marked, not hidden.
        today=dt.datetime.now(dt.UTC).date().isoformat(),
    )
