"""Per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from strawberry.fastapi import BaseContext

from api.state import AppState


@dataclass
class Context(BaseContext):
    state: AppState


async def build_context(request: Request) -> Context:
    return Context(state=request.app.state.mskg)
