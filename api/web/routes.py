"""The web workspace: its pages and its static files, mounted on the API's app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.web import browse, editing, liaison_pages, mapping_pages, related_pages, signin
from api.web.render import HERE


def mount_web(app: FastAPI) -> None:
    for module in (browse, related_pages, liaison_pages, mapping_pages, editing, signin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # Browsers ask for /favicon.ico on pages that name no icon (GraphiQL's, the API's JSON).
    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)
