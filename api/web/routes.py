"""The web workspace: its pages and its static files, mounted on the API's app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import browse, editing, liaison_pages, mapping_pages, related_pages, signin
from api.web.render import HERE


def mount_web(app: FastAPI) -> None:
    for module in (browse, related_pages, liaison_pages, mapping_pages, editing, signin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
