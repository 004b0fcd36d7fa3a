"""Content negotiation: the one reader of `Accept` and `Accept-Language` headers."""

from __future__ import annotations


def ranked(header: str) -> list[str]:
    """The values of an `Accept`-style header, most wanted first: by `q` (1 when absent), then in
    the order written. Values with `q=0` ("not acceptable") and a malformed `q` are left out;
    values are lower-cased without their parameters (`text/turtle`, `zh-cn`)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        value, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, text = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(text)
                except ValueError:
                    quality = 0.0
        if value and quality > 0:
            weighted.append((-quality, position, value.lower()))
    return [value for _, _, value in sorted(weighted)]


def wants_html(accept: str) -> bool:
    """Whether a client asks for a page before any data format (a browser's `Accept`: HTML
    first, `*/*` last)."""
    for media in ranked(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media != "*/*":
            return False
    return False
