"""Sign-in by API token kept in a cookie, and the CSRF token of every write form.

The token cookie is HttpOnly (page scripts never see it) and SameSite=Strict (no other site can
make the browser send it). Forms also carry a double-submit CSRF token, checked on every POST,
so a write needs both the cookie and a value only our own pages render.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from api.state import AppState
from graph.accounts import Account, authenticate

TOKEN_COOKIE = "mskg_token"  # noqa: S105 -- the cookie's name, not a secret
CSRF_COOKIE = "mskg_csrf"
CSRF_FIELD = "csrf"


async def signed_in(request: Request) -> Account | None:
    """The account of the token cookie; None when absent, wrong or revoked (the page then
    offers to sign in again rather than failing)."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    state: AppState = request.app.state.mskg
    return await authenticate(state.driver, state.connection.database, token)


async def check_token(request: Request, token: str) -> Account | None:
    state: AppState = request.app.state.mskg
    return await authenticate(state.driver, state.connection.database, token.strip())


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_token(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=30 * 24 * 3600,
    )


def clear_token(response: Response) -> None:
    response.delete_cookie(TOKEN_COOKIE, httponly=True, samesite="strict")


def csrf_token(request: Request) -> str:
    """The request's CSRF token (from its cookie, or a new one that `keep_csrf` will set)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32:
        return existing
    fresh: str | None = getattr(request.state, "new_csrf", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.new_csrf = fresh
    return fresh


def keep_csrf(request: Request, response: Response) -> None:
    fresh: str | None = getattr(request.state, "new_csrf", None)
    if fresh is not None:
        response.set_cookie(
            CSRF_COOKIE, fresh, httponly=True, samesite="strict", secure=_secure(request)
        )


def csrf_ok(request: Request, submitted: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return (
        isinstance(submitted, str) and bool(cookie) and hmac.compare_digest(cookie or "", submitted)
    )
