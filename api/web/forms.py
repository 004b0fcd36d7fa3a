"""Edit forms derived from the ontology: one field per declared property (its datatype decides
the widget, its vocabulary the choices), the submitted form turned into a GraphQL patch, and the
API's field errors placed beside their fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.web.i18n import Lang, word
from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype, PropertyDef

# `key` names the entity (not editable); `sources` are cited per change, in their own fields.
NOT_EDITED = ("key", "sources")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Widget:
    """One input of a form: `name` is the HTML field name, `value` what it shows."""

    name: str
    kind: str  # text | textarea | lines | number | date | url | select
    value: str
    lang: str = ""  # "zh"/"en" for one language of a bilingual property
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class FormField:
    prop: PropertyDef
    label: str
    help: str
    required: bool
    widgets: tuple[Widget, ...]
    errors: tuple[str, ...]


def editable(cls: ClassDef) -> tuple[PropertyDef, ...]:
    return tuple(p for p in ONTOLOGY.class_properties(cls) if p.name not in NOT_EDITED)


def _kind(prop: PropertyDef) -> str:
    if prop.many:
        return "lines"
    return {
        Datatype.INTEGER: "number",
        Datatype.DOUBLE: "number",
        Datatype.DATE: "date",
        Datatype.URI: "url",
        Datatype.ENUM: "select",
        Datatype.BOOLEAN: "select",
    }.get(prop.datatype, "text")


def _choices(prop: PropertyDef, lang: Lang) -> tuple[Choice, ...]:
    if prop.datatype is Datatype.BOOLEAN:
        return (Choice("", "—"), Choice("true", "✓"), Choice("false", "✗"))
    if prop.enum is None:
        return ()
    values = ONTOLOGY.enum(prop.enum).values
    return (
        Choice("", "—"),
        *(
            Choice(v.name, f"{v.labels.zh if lang == 'zh' else v.labels.en} ({v.name})")
            for v in values
        ),
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_form(
    cls: ClassDef, values: dict[str, Any], errors: dict[str, list[str]], lang: Lang
) -> list[FormField]:
    """The form of `cls` showing `values` (GraphQL-shaped: bilingual ones as {zh, en})."""
    fields = []
    for prop in editable(cls):
        label = prop.labels.zh if lang == "zh" else prop.labels.en
        help_text = prop.labels.definition_zh if lang == "zh" else prop.labels.definition_en
        if prop.datatype is Datatype.PARTIAL_DATE:
            help_text = f"{help_text} ({word('partial_date_help', lang)})".strip()
        if prop.many:
            help_text = f"{help_text} ({word('lines_help', lang)})".strip()
        value = values.get(prop.name)
        if prop.datatype is Datatype.TEXT:
            texts = value if isinstance(value, dict) else {}
            kind = "lines" if prop.many else ("textarea" if prop.name != "prefLabel" else "text")
            widgets = tuple(
                Widget(f"{prop.name}.{code}", kind, _shown(texts.get(code)), lang=code)
                for code in LANGUAGES
            )
        else:
            widgets = (Widget(prop.name, _kind(prop), _shown(value), choices=_choices(prop, lang)),)
        fields.append(
            FormField(
                prop, label, help_text, prop.required, widgets, tuple(errors.get(prop.name, []))
            )
        )
    return fields


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _scalar(prop: PropertyDef, raw: str, lang: Lang) -> tuple[Any, str | None]:
    """The GraphQL value of one submitted string, or an error message for the field."""
    text = raw.strip()
    if not text:
        return None, None
    if prop.datatype is Datatype.INTEGER:
        try:
            return int(text), None
        except ValueError:
            return None, word("not_integer", lang)
    if prop.datatype is Datatype.DOUBLE:
        try:
            return float(text), None
        except ValueError:
            return None, word("not_number", lang)
    if prop.datatype is Datatype.BOOLEAN:
        return text == "true", None
    return text, None


def submitted_values(
    cls: ClassDef, form: dict[str, str], lang: Lang
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The form as GraphQL-shaped values of every editable property, and local errors (values
    that cannot even be sent, such as letters in a number field)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for prop in editable(cls):
        if prop.datatype is Datatype.TEXT:
            per_lang: dict[str, Any] = {}
            for code in LANGUAGES:
                raw = form.get(f"{prop.name}.{code}", "")
                per_lang[code] = (_lines(raw) or None) if prop.many else (raw.strip() or None)
            values[prop.name] = per_lang if any(per_lang.values()) else None
        elif prop.many:
            items = []
            for line in _lines(form.get(prop.name, "")):
                item, error = _scalar(prop, line, lang)
                if error:
                    errors.setdefault(prop.name, []).append(error)
                items.append(item)
            values[prop.name] = items or None
        else:
            values[prop.name], error = _scalar(prop, form.get(prop.name, ""), lang)
            if error:
                errors.setdefault(prop.name, []).append(error)
    return values, errors


def _normal(value: Any) -> Any:
    """Empty texts, lists and language maps all mean "no value"."""
    if isinstance(value, dict):
        kept = {k: _normal(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not None}
        return kept or None
    if isinstance(value, list):
        return value or None
    if value == "":
        return None
    return value


def changed(cls: ClassDef, current: dict[str, Any], submitted: dict[str, Any]) -> dict[str, Any]:
    """The patch: only the properties whose submitted value differs from the current one (so a
    save touches nothing the user did not change)."""
    patch: dict[str, Any] = {}
    for prop in editable(cls):
        before, after = _normal(current.get(prop.name)), _normal(submitted.get(prop.name))
        if before != after:
            patch[prop.name] = after
    return patch


def differences(
    cls: ClassDef, current: dict[str, Any], submitted: dict[str, Any]
) -> list[tuple[PropertyDef, Any, Any]]:
    """(property, current value, the user's value) wherever they differ."""
    out = []
    for prop in editable(cls):
        before, after = _normal(current.get(prop.name)), _normal(submitted.get(prop.name))
        if before != after:
            out.append((prop, before, after))
    return out


def field_errors(extensions: dict[str, Any]) -> dict[str, list[str]]:
    """The API's `fieldErrors` by property name (`patch.stageCode`, `patch.prefLabel.zh` →
    `stageCode`, `prefLabel`); anything else under `_`."""
    out: dict[str, list[str]] = {}
    for item in extensions.get("fieldErrors") or []:
        parts = str(item.get("path", "")).split(".")
        name = parts[1] if len(parts) > 1 and parts[0] == "patch" else "_"
        out.setdefault(name, []).append(str(item.get("message", "")))
    return out
