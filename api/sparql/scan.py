"""A bounded, linear lexical check of a SPARQL query before it is sent to the store.

It is not a parser: it walks the text once, skipping strings, IRIs and comments, and refuses
what the store must never see — nesting deeper than a limit (a recursive-descent parser's stack
is the limit otherwise), SERVICE (federation: the server would fetch URLs of the caller's
choosing) and FROM / FROM NAMED (the store has one dataset). Everything else is the store's
parser's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# SPARQL 1.1 IRIREF: a "<" starts an IRI only when this matches; otherwise it is less-than.
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z0-9_\-:.\u0080-\U0010ffff]+")
_NAME = re.compile(r"[A-Za-z0-9_\u0080-\U0010ffff]+")  # a variable's name
_LANG = re.compile(r"[A-Za-z0-9\-]+")
# A word without ':' is not a prefixed name, so '.' and '-' split it into tokens (`1.SERVICE`).
_SEGMENT = re.compile(r"[A-Za-z]+")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN = "{("
_CLOSE = "})"


@dataclass(frozen=True)
class Refusal:
    """Why a query is not sent to the store, and where (a character offset)."""

    code: str
    message: str


def _unescape(text: str) -> str:
    """Codepoint escapes decoded first, as SPARQL 1.1 (19.2) says a parser may: so `\\u007B`
    counts as `{` and `SERVIC\\u0045` as SERVICE."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(decode, text)


def check_query(text: str, max_depth: int) -> Refusal | None:
    """None when the query may go to the store, else the first reason it may not."""
    text = _unescape(text)
    depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            long = text.startswith(c * 3, i)
            i = _skip_string(text, i + (3 if long else 1), c * 3 if long else c)
        elif c == "<":
            match = _IRI.match(text, i)
            i = match.end() if match else i + 1
        elif c in _OPEN:
            depth += 1
            if depth > max_depth:
                return Refusal(
                    "QUERY_TOO_DEEP",
                    f"the query nests {{ and ( deeper than {max_depth} levels (at character {i}); "
                    "flatten it",
                )
            i += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
            i += 1
        elif c in "?$@":
            # A variable or a language tag: its name is never a keyword.
            match = (_LANG if c == "@" else _NAME).match(text, i + 1)
            i = match.end() if match else i + 1
        else:
            match = _WORD.match(text, i)
            if match is None:
                i += 1
                continue
            word = match.group().upper()
            words = {word} if ":" in word else set(_SEGMENT.findall(word))
            if "SERVICE" in words:
                return Refusal(
                    "SERVICE_NOT_ALLOWED",
                    f"SERVICE (federated query) is not allowed (at character {i}): this "
                    "endpoint answers from its own store only",
                )
            if "FROM" in words:
                return Refusal(
                    "FROM_NOT_ALLOWED",
                    f"FROM / FROM NAMED is not allowed (at character {i}): the store has one "
                    "dataset, queried as is",
                )
            i = match.end()
    return None


def _skip_string(text: str, i: int, quote: str) -> int:
    """The index just after the string's closing quote (or the end of an unterminated one)."""
    n = len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return n
