"""One Relaton record, read from either schema generation into one shape.

v1.2.x (ISO, IEC, IEEE): `docid[].id`, `link`, `docstatus.stage.value`, dates as `value`,
`ext.editorialgroup` (older ISO records carry `doctype`, `ics` and `editorialgroup` at the top);
IEEE names sponsor committees as strings under `editorialgroup.committee`.
v1.5.x (ITU): `docidentifier[].content`, `source`, `status.stage.content`, dates as `at`, the
committee as an author `contributor` whose organization has a `subdivision`.

Anything that does not have the expected shape raises `RecordError` naming the field, so the
record is rejected with a precise reason instead of being half-mapped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ontology.model import LANGUAGES

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class RecordError(Exception):
    """A record that cannot be read; `field` is the Relaton field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RelatedItem:
    type: str  # the Relaton relation type: obsoletes, updates, complementOf, hasEdition …
    designation: str  # the target's identifier as the record gives it
    title: str | None = None
    description: str | None = None  # IEEE qualifies `updates`: revises, amends, corrects


@dataclass
class BibRecord:
    schema: str  # "v1.2.9", "v1.5.6", or "" when the record does not say
    designation: str
    id_type: str = ""  # the primary identifier's type: ISO, IEC, ITU, IEEE …
    titles: dict[str, str] = field(default_factory=dict)  # language → full title
    abstracts: dict[str, str] = field(default_factory=dict)
    doctype: str | None = None
    edition: str | None = None
    dates: dict[str, str] = field(default_factory=dict)  # published, obsoleted … → ISO date
    stage: str | None = None  # "60", or a status word ("PUBLISHED", "Withdrawal", "approved")
    substage: str | None = None
    # (designation or name as written, its title when the record gives one); see `designations`
    committees: list[tuple[str, str | None]] = field(default_factory=list)
    committee_body: str | None = None  # the body a v1.5 subdivision belongs to ("ITU-T")
    ics: list[tuple[str, str | None]] = field(default_factory=list)
    relations: list[RelatedItem] = field(default_factory=list)
    urn: str | None = None
    doi: str | None = None
    isbns: list[str] = field(default_factory=list)
    page: str | None = None  # the publisher's page


def parse_yaml(data: bytes) -> dict[str, Any]:
    """The YAML text of one record as a mapping (C parser when available)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError("(file)", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        value = yaml.load(text, Loader=loader)  # noqa: S506 -- a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RecordError("(file)", f"invalid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(value, dict):
        raise RecordError("(file)", f"expected a mapping, found {type(value).__name__}")
    return value


def _list(record: dict[str, Any], name: str) -> list[Any]:
    value = record.get(name)
    if value is None:
        return []
    if isinstance(value, dict):  # a single item written without the list
        return [value]
    if not isinstance(value, list):
        raise RecordError(name, f"expected a list, found {type(value).__name__}")
    return value


def _text(value: Any, where: str) -> str | None:
    """`content` of a Relaton text element (or the plain string), stripped; None when empty."""
    if isinstance(value, dict):
        value = value.get("content")
    if value is None:
        return None
    if isinstance(value, list):  # v1.5 writes some text elements as lists
        parts = [_text(v, where) for v in value]
        value = " ".join(p for p in parts if p)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(where, f"expected text, found {type(value).__name__}")
    if "&" in value:  # IEEE writes HTML entities (&amp;, &#8482;)
        value = html.unescape(value)
    return " ".join(value.split()) or None


def _language(item: dict[str, Any], default: str) -> str:
    lang = item.get("language")
    if isinstance(lang, list):
        lang = lang[0] if lang else None
    return str(lang) if lang else default


def _identifiers(record: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    name = "docidentifier" if "docidentifier" in record else "docid"
    items = [i for i in _list(record, name) if isinstance(i, dict)]
    key = "content" if name == "docidentifier" else "id"
    primaries = [i for i in items if i.get("primary") and not i.get("scope")]
    chosen = primaries[0] if primaries else (items[0] if items else None)
    designation = _text(chosen.get(key), name) if chosen else None
    if not designation:
        raise RecordError(name, "no identifier (the record has no primary docid)")
    assert chosen is not None
    ids = [{"type": i.get("type"), "id": _text(i.get(key), name)} for i in items]
    return designation, str(chosen.get("type") or ""), ids


def _date(value: Any, where: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not PARTIAL_DATE.match(text):
        raise RecordError(where, f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


def _titles(record: dict[str, Any], default_lang: str) -> dict[str, str]:
    parts: dict[str, dict[str, str]] = {}
    for item in _list(record, "title"):
        if not isinstance(item, dict):
            raise RecordError("title", "expected a list of title elements")
        text = _text(item, "title")
        if text:
            lang = _language(item, default_lang)
            parts.setdefault(lang, {}).setdefault(str(item.get("type") or "main"), text)
    titles: dict[str, str] = {}
    for lang, by_type in parts.items():
        if lang not in LANGUAGES:
            continue
        if "main" in by_type:
            titles[lang] = by_type["main"]
        else:
            pieces = [
                by_type[t] for t in ("title-intro", "title-main", "title-part") if t in by_type
            ]
            titles[lang] = " – ".join(pieces) if pieces else next(iter(by_type.values()))
    return titles


def _abstracts(record: dict[str, Any], default_lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in _list(record, "abstract"):
        if not isinstance(item, dict):
            raise RecordError("abstract", "expected a list of text elements")
        text = _text(item, "abstract")
        lang = _language(item, default_lang)
        if text and lang in LANGUAGES:
            out.setdefault(lang, text)
    return out


def _status(record: dict[str, Any]) -> tuple[str | None, str | None]:
    status = record.get("docstatus") or record.get("status")
    if status is None:
        return None, None
    if not isinstance(status, dict):
        raise RecordError("docstatus", f"expected a mapping, found {type(status).__name__}")

    def part(name: str) -> str | None:
        value = status.get(name)
        if isinstance(value, dict):
            value = value.get("value", value.get("content"))
        return None if value is None else str(value).strip() or None

    return part("stage"), part("substage")


def _committees(
    record: dict[str, Any], ext: dict[str, Any]
) -> tuple[list[tuple[str, str | None]], str | None]:
    names: list[tuple[str, str | None]] = []
    group = ext.get("editorialgroup") or record.get("editorialgroup")
    if group is not None:
        if not isinstance(group, dict):
            raise RecordError("editorialgroup", "expected a mapping")
        for kind in ("technical_committee", "subcommittee", "workgroup"):
            for tc in group.get(kind) or []:
                if isinstance(tc, dict):
                    ident = _text(tc.get("identifier"), "editorialgroup")
                    title = _text(tc.get("name"), "editorialgroup")
                    if ident or title:  # IEC gives only a name, and it is the designation
                        names.append((ident, title) if ident else (str(title), None))
        for name in group.get("committee") or []:  # IEEE: plain strings
            text = _text(name, "editorialgroup.committee")
            if text:
                names.append((text, None))
    body = None
    for contributor in _list(record, "contributor"):
        if not isinstance(contributor, dict):
            raise RecordError("contributor", "expected a list of contributors")
        roles = [r for r in contributor.get("role") or [] if isinstance(r, dict)]
        if not any(r.get("type") == "author" for r in roles):
            continue
        org = contributor.get("organization") or {}
        for sub in org.get("subdivision") or []:
            if not isinstance(sub, dict):
                continue
            names_ = sub.get("name") or []
            text = _text(
                names_[0] if isinstance(names_, list) and names_ else names_, "contributor"
            )
            if text:
                names.append((text, None))
                body = _text(org.get("abbreviation"), "contributor") or body
    return list(dict.fromkeys(names)), body


def _related(record: dict[str, Any]) -> list[RelatedItem]:
    out = []
    for item in _list(record, "relation"):
        if not isinstance(item, dict) or not item.get("type"):
            raise RecordError("relation", "each relation needs a type")
        bib = item.get("bibitem") or {}
        if not isinstance(bib, dict):
            raise RecordError("relation", "bibitem must be a mapping")
        try:
            designation, _, _ = _identifiers(bib)
        except RecordError:
            designation = _text(bib.get("formattedref"), "relation") or ""
        if not designation:
            continue  # a relation to nothing identifiable: dropped (nothing to link to)
        titles = _titles(bib, "en") if bib.get("title") else {}
        out.append(
            RelatedItem(
                type=str(item["type"]),
                designation=designation,
                title=titles.get("en"),
                description=_text(item.get("description"), "relation.description"),
            )
        )
    return out


def read_record(raw: dict[str, Any]) -> BibRecord:
    """A parsed YAML mapping → `BibRecord`; `RecordError` names the field that is wrong."""
    ext = raw.get("ext") or {}
    if not isinstance(ext, dict):
        raise RecordError("ext", "expected a mapping")
    schema = str(raw.get("schema-version") or raw.get("schema_version") or "")
    designation, id_type, ids = _identifiers(raw)
    languages = [str(x) for x in _list(raw, "language")] or ["en"]
    record = BibRecord(schema=schema, designation=designation, id_type=id_type)
    record.titles = _titles(raw, languages[0])
    record.abstracts = _abstracts(raw, languages[0])
    doctype = ext.get("doctype") or raw.get("doctype")
    record.doctype = (
        _text(doctype.get("type", doctype.get("content")), "doctype")
        if isinstance(doctype, dict)
        else _text(doctype, "doctype")
    )
    record.edition = _text(raw.get("edition"), "edition")
    for item in _list(raw, "date"):
        if not isinstance(item, dict) or not item.get("type"):
            raise RecordError("date", "each date needs a type")
        value = item.get("value", item.get("at"))
        if value is not None:
            record.dates.setdefault(str(item["type"]), _date(value, f"date.{item['type']}"))
    record.stage, record.substage = _status(raw)
    record.committees, record.committee_body = _committees(raw, ext)
    for item in _list(ext, "ics") or _list(raw, "ics"):
        if not isinstance(item, dict):
            raise RecordError("ics", "expected a list of ICS entries")
        if not item.get("code"):
            continue  # IEEE writes empty entries: nothing to classify by
        record.ics.append((str(item["code"]).strip(), _text(item.get("text"), "ics")))
    record.relations = _related(raw)
    for ident in ids:
        kind = str(ident["type"] or "").upper()
        if kind == "URN" and ident["id"]:
            # IEC writes some URNs with spaces ("urn:iec:std:iec:ACEE 01:…"); RFC 8141
            # percent-encodes them, which keeps the identifier and makes it a valid URN.
            record.urn = ident["id"].replace(" ", "%20")
        elif kind == "DOI" and ident["id"]:
            record.doi = ident["id"]
        elif kind == "ISBN" and ident["id"]:
            record.isbns.append(ident["id"])
    for link in _list(raw, "link") or _list(raw, "source"):
        if isinstance(link, dict) and link.get("type") == "src":
            record.page = _text(link, "link")
            break
    return record
