"""The one Accept / Accept-Language reader, and the two places that negotiate with it."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from api.negotiation import ranked, wants_html
from api.web.i18n import request_lang


def test_values_are_ranked_by_quality_then_order() -> None:
    header = "text/html;q=0.5, Text/Turtle, application/ld+json;q=0.9, */*;q=0.1"
    assert ranked(header) == ["text/turtle", "application/ld+json", "text/html", "*/*"]


def test_refused_and_malformed_values_are_left_out() -> None:
    assert ranked("text/turtle;q=0, application/n-triples;q=high, text/html") == ["text/html"]
    assert ranked("") == []
    assert ranked(" , ;q=1") == []


def _request(accept_language: str) -> Request:
    headers = [(b"accept-language", accept_language.encode())]
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": headers}
    return Request(scope)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB, zh;q=0.5", "en"),
        ("zh-TW;q=0.2, en;q=0.9", "en"),  # quality counts, not the order written
        ("fr-FR, zh;q=0.7, en;q=0.3", "zh"),  # the first language the site has
        ("fr-FR", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_is_negotiated(header: str, lang: str) -> None:
    assert request_lang(_request(header)) == lang


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("application/sparql-results+json", False),
        ("application/sparql-results+json,text/html;q=0.5", False),
        ("*/*", False),
        ("", False),
        ("*/*;q=0.1, text/html", True),
    ],
)
def test_wants_html(accept: str, html: bool) -> None:
    assert wants_html(accept) is html
