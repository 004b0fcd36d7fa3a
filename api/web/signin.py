"""Signing in with an API token (kept in an HttpOnly, SameSite=Strict cookie) and out."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.web.i18n import request_lang, word
from api.web.render import link, page
from api.web.session import CSRF_FIELD, check_token, clear_token, csrf_ok, set_token, signed_in

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """Only paths on this site: `next` must not send a signed-in user elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/signin", response_class=HTMLResponse)
async def form(request: Request, next: str = "/") -> Response:
    return page(request, "signin.html", await signed_in(request), next=_local(next), error="")


@router.post("/signin", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    submitted = await request.form()
    lang = request_lang(request)
    target = _local(str(submitted.get("next") or "/"))
    if not csrf_ok(request, submitted.get(CSRF_FIELD)):
        message = word("csrf_failed", lang)
        return page(request, "signin.html", None, status_code=403, next=target, error=message)
    token = str(submitted.get("token") or "").strip()
    account = await check_token(request, token) if token else None
    if account is None:
        message = word("bad_token", lang)
        return page(request, "signin.html", None, status_code=401, next=target, error=message)
    response = RedirectResponse(link(target, lang), status_code=303)
    set_token(response, request, token)
    return response


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    submitted = await request.form()
    lang = request_lang(request)
    if not csrf_ok(request, submitted.get(CSRF_FIELD)):
        return page(
            request, "message.html", None, status_code=403, message=word("csrf_failed", lang)
        )
    response = RedirectResponse(link("/", lang), status_code=303)
    clear_token(response)
    return response
