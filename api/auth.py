"""Bearer-token authentication (the account is read on every request, so revocation is
immediate in every API process)."""

from __future__ import annotations

from fastapi import HTTPException
from starlette.requests import HTTPConnection

from api.state import AppState
from graph.accounts import Account, authenticate


async def current_account(request: HTTPConnection) -> Account | None:
    """The account named by `Authorization: Bearer <token>`; None without a header.

    A header with a wrong, malformed or revoked token is rejected (401) rather than silently
    treated as anonymous, so a client with a bad token learns it at once.
    """
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status_code=401,
            detail={"code": "UNAUTHENTICATED", "message": "use `Authorization: Bearer <token>`"},
        )
    state: AppState = request.app.state.mskg
    # Neo4j unavailable: GraphUnavailableError goes to the app's one mapping (api/outages.py).
    account = await authenticate(state.driver, state.connection.database, token.strip())
    if account is None:
        raise HTTPException(
            status_code=401,
            detail={
                "code": "UNAUTHENTICATED",
                "message": "the token is not valid or was revoked; ask an admin for a new one "
                "(`mskg user add NAME --role ROLE`)",
            },
            headers={"WWW-Authenticate": "Bearer"},
        )
    return account
