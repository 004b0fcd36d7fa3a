"""Per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from api.auth import current_account
from api.state import AppState
from graph.accounts import Account


@dataclass
class Context(BaseContext):
    state: AppState
    user: Account | None = None  # None for anonymous readers


async def build_context(connection: HTTPConnection) -> Context:
    # HTTPConnection, not Request: the same getter serves the websocket route.
    return Context(state=connection.app.state.mskg, user=await current_account(connection))
