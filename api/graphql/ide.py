"""GraphiQL served from the npm-installed copies in api/web/static/vendor instead of strawberry's CDN
links, so /graphql works offline like the rest of the workspace."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from api.graphql.context import Context

# A CDN link such as `…/react@18.2.0/umd/react.production.min.js` → the file's path in vendor/;
# the copies are the versions web/package.json pins to match strawberry's page.
_CDN = re.compile(
    r"https://unpkg\.com/(@?[a-z0-9-]+(?:/[a-z0-9-]+)?)@[0-9.]+/(?:umd/|dist/)?([\w.-]+)"
)
_INTEGRITY = re.compile(r"\s+integrity=\"[^\"]*\"|\s+crossorigin\b")


def offline_ide(html: str) -> str:
    html = _CDN.sub(lambda m: f"/static/vendor/{m.group(1)}/{m.group(2)}", html)
    return _INTEGRITY.sub("", html)


class OfflineGraphQLRouter(GraphQLRouter[Context, None]):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(offline_ide(self.graphql_ide_html))
