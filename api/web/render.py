"""Rendering pages: the Jinja2 environment (autoescaped), the values every page gets, and the
helpers templates use for links that keep the language and for ontology labels."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.web.i18n import LANG_COOKIE, Lang, pick, request_lang, word
from api.web.session import CSRF_FIELD, csrf_token, keep_csrf
from graph.accounts import Account
from ontology import ONTOLOGY

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")  # autoescape is on for .html
# Values shown as JSON keep their Chinese readable (`tojson` escapes it for <script> use).
templates.env.filters["as_json"] = lambda value: json.dumps(
    value, ensure_ascii=False, sort_keys=True
)


def link(path: str, lang: Lang, **params: Any) -> str:
    """A bookmarkable URL: the language is part of it, empty parameters are left out."""
    query: list[tuple[str, str]] = []
    for name, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        query += [(name, str(v)) for v in values if v not in (None, "")]
    query.append(("lang", lang))
    return f"{path}?{urlencode(query)}"


def class_label(name: str, lang: Lang) -> str:
    try:
        labels = ONTOLOGY.cls(name).labels
    except KeyError:
        return name
    return labels.zh if lang == "zh" else labels.en


def relation_label(rel_type: str, lang: Lang) -> str:
    try:
        labels = ONTOLOGY.relation(rel_type).labels
    except KeyError:
        return rel_type
    return labels.zh if lang == "zh" else labels.en


def enum_label(enum: str, value: str | None, lang: Lang) -> str:
    if value is None:
        return ""
    try:
        labels = ONTOLOGY.enum(enum).value(value).labels
    except KeyError:
        return value
    return labels.zh if lang == "zh" else labels.en


def relation_colour(rel_type: str) -> str:
    """A stable colour per relationship type (the same in the legend and the picture)."""
    hue = int(hashlib.sha256(rel_type.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue}, 60%, 42%)"


def entity_href(key: str, lang: Lang) -> str:
    return link(f"/entity/{key}", lang)


def page(
    request: Request,
    template: str,
    account: Account | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    lang = request_lang(request)
    other: Lang = "en" if lang == "zh" else "zh"
    switch = dict(request.query_params)
    switch["lang"] = other
    context = {
        "lang": lang,
        "other_lang": other,
        "switch_url": f"{request.url.path}?{urlencode(switch)}",
        "account": account,
        "csrf_field": CSRF_FIELD,
        "csrf": csrf_token(request),
        "w": lambda key, **fmt: word(key, lang).format(**fmt) if fmt else word(key, lang),
        "link": lambda path, **params: link(path, lang, **params),
        "ehref": lambda key: entity_href(key, lang),
        "pick": lambda text: pick(text, lang),
        "class_label": lambda name: class_label(name, lang),
        "relation_label": lambda rel_type: relation_label(rel_type, lang),
        "enum_label": lambda enum, value: enum_label(enum, value, lang),
        "colour": relation_colour,
        **values,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    keep_csrf(request, response)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 24 * 3600)
    return response
