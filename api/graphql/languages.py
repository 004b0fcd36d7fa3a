"""The languages of text in GraphQL, all from the ontology's list (`ontology.model.LANGUAGES`):
the `Lang` enum and the text types with a field per language, as output and as input."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.graphql.naming import list_of, make_enum, nullable
from ontology.model import LANGUAGES

# LANGUAGES lists MSKG's two working languages first; required text needs both.
_WORKING, _OTHERS = LANGUAGES[:2], LANGUAGES[2:]
_PER_LANGUAGE = f"{' and '.join(_WORKING)}, optionally {', '.join(_OTHERS)}"

Lang: type[Enum] = strawberry.enum(
    make_enum("Lang", {code.upper(): code for code in LANGUAGES}),
    description=f"A language of text: {' and '.join(_WORKING)}, and ITU's other official "
    "languages.",
)


def _per_language(name: str, item: object, as_input: bool, description: str) -> type:
    """A type with an optional field of type `item` per language, in the ontology's order."""
    namespace: dict[str, object] = {
        "__module__": __name__,
        "__annotations__": {code: nullable(item) for code in LANGUAGES},
        **dict.fromkeys(LANGUAGES),
    }
    made = type(name, (), namespace)
    wrapped: type = (
        strawberry.input(made, description=description)
        if as_input
        else strawberry.type(made, description=description)
    )
    return wrapped


LangText = _per_language("LangText", str, False, f"Text per language: {_PER_LANGUAGE}.")
LangTextList = _per_language(
    "LangTextList", list_of(str), False, "Several texts per language (e.g. alternative labels)."
)
LangTextInput = _per_language("LangTextInput", str, True, f"Text per language: {_PER_LANGUAGE}.")
LangTextListInput = _per_language(
    "LangTextListInput", list_of(str), True, "Several texts per language."
)
