"""Per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from strawberry.fastapi import BaseContext

from api.state import AppState


@dataclass
class Context(BaseContext):
    state: AppState
    user: Any = None  # the authenticated account, None for anonymous readers


async def build_context(request: Request) -> Context:
    return Context(state=request.app.state.mskg)
