"""GraphiQL served from the npm-installed copies in api/web/static/vendor instead of strawberry's CDN
links, so /graphql works offline like the rest of the workspace."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import orjson
from cross_web import HTTPException
from fastapi import HTTPException as FastAPIHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from api.graphql.context import Context

# A CDN link such as `…/react@18.2.0/umd/react.production.min.js` → the file's path in vendor/;
# the copies are the versions web/package.json pins to match strawberry's page.
_CDN = re.compile(
    r"https://unpkg\.com/(@?[a-z0-9-]+(?:/[a-z0-9-]+)?)@[0-9.]+/(?:umd/|dist/)?([\w.-]+)"
)
_INTEGRITY = re.compile(r"\s+integrity=\"[^\"]*\"|\s+crossorigin\b")


# The bundled Chinese font, after GraphiQL's own stylesheets (see graphiql-cjk.css).
_CJK_STYLES = (
    '<link rel="stylesheet" href="/static/vendor/noto-sans-sc/400.css">\n'
    '<link rel="stylesheet" href="/static/vendor/noto-sans-sc/700.css">\n'
    '<link rel="stylesheet" href="/static/graphiql-cjk.css">\n'
    '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
)


def offline_ide(html: str) -> str:
    html = _CDN.sub(lambda m: f"/static/vendor/{m.group(1)}/{m.group(2)}", html)
    html = html.replace("</head>", _CJK_STYLES + "</head>", 1)
    return _INTEGRITY.sub("", html)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def ide_policy(html: str) -> str:
    """A Content-Security-Policy for the IDE page: its own files, plus exactly the inline
    bootstrap script(s) it carries, allowed by hash — nothing injected could run. Its stylesheet
    embeds its icon fonts as data: URLs."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class OfflineGraphQLRouter(GraphQLRouter[Context, None]):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        html = offline_ide(self.graphql_ide_html)
        return HTMLResponse(html, headers={"content-security-policy": ide_policy(html)})


class JsonErrorGraphQLRouter(OfflineGraphQLRouter):
    """Request-level failures (a body that is not a JSON object, unsupported content type, no
    query, a mutation over GET …) leave as HTTP 4xx with a JSON body, like every other route,
    instead of strawberry's plain text."""

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = json.loads(data)
        except RecursionError as exc:
            raise HTTPException(400, "the JSON body is nested too deeply") from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise HTTPException(400, f"the body is not valid UTF-8 JSON: {exc}") from exc
        if not isinstance(decoded, dict):
            raise HTTPException(
                400,
                'the body must be a JSON object such as {"query": "{ version }", "variables": {}}, '
                f"not a JSON {type(decoded).__name__}",
            )
        return decoded

    def encode_json(self, data: object) -> str | bytes:
        # orjson: a tenth of the time of the standard library's encoder on a page of rows.
        # Anything it refuses (an integer beyond 64 bits from a JSON scalar) goes the old way.
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":"))

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            raise FastAPIHTTPException(
                exc.status_code, detail={"code": "BAD_REQUEST", "message": exc.reason}
            ) from exc
