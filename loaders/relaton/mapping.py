"""A Relaton record → the nodes and links it contributes to the graph.

Nodes are named by designation (standards, committees) or by a fixed key (ICS classes,
organizations); `run` resolves designations to keys, so a seed entity with the same
designation is enriched rather than duplicated. `full` nodes carry the record's own data and
are updated when it changes; the others (the work and series above an edition, committees,
relation targets, ICS parents) are created if missing and otherwise left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from loaders.relaton.designations import (
    committee_designation,
    committee_kind,
    committee_organizations,
    committee_parent,
    related_designation,
    structure,
)
from loaders.relaton.record import BibRecord, RecordError
from ontology.model import LANGUAGES
from ontology.records import entity_model, field_problems
from ontology.vocab import ICS_CODE, ICS_SCHEME, ics_key, stage_value

CATALOGUES = ("iso", "iec", "itu", "ieee")
BY_DESIGNATION = ("Standard", "Committee")  # classes whose nodes are found by designation

ORGANIZATIONS: dict[str, tuple[str, str]] = {
    "iso": ("国际标准化组织", "International Organization for Standardization (ISO)"),
    "iec": ("国际电工委员会", "International Electrotechnical Commission (IEC)"),
    "itu": ("国际电信联盟", "International Telecommunication Union (ITU)"),
    "itu-t": ("国际电信联盟电信标准化部门", "ITU Telecommunication Standardization Sector (ITU-T)"),
    "ieee-sa": ("IEEE标准协会", "IEEE Standards Association (IEEE SA)"),
}


@dataclass(frozen=True)
class Node:
    cls: str
    ident: str  # designation (BY_DESIGNATION classes) or key
    props: dict[str, Any]  # flat Neo4j properties, no None values
    full: bool  # the record's own data (updated on change) vs create-if-missing


@dataclass(frozen=True)
class Link:
    type: str
    start: tuple[str, str]  # (class, ident)
    end: tuple[str, str]
    rule: str | None = None  # the relevance rule that made it (its source), else the catalogue


@dataclass
class Mapped:
    catalogue: str
    designation: str
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    unmapped_relations: list[str] = field(default_factory=list)


def catalogue_of(record: BibRecord, fallback: str | None) -> str:
    """Which catalogue a record belongs to: its primary identifier's type, else the archive's."""
    kind = record.id_type.lower()
    if kind in CATALOGUES:
        return kind
    if fallback in CATALOGUES:
        return str(fallback)
    raise RecordError("docid", f"cannot tell the catalogue of identifier type {record.id_type!r}")


_KINDS = {
    "international-standard": "IS",
    "technical-specification": "TS",
    "technical-report": "TR",
    "publicly-available-specification": "PAS",
    "guide": "GUIDE",
}


def _standard_kind(record: BibRecord, catalogue: str) -> str:
    doctype = (record.doctype or "").lower()
    if doctype in _KINDS:
        return _KINDS[doctype]
    if catalogue == "itu" and record.designation.startswith("ITU-T"):
        if doctype.startswith("recommendation"):
            return "ITU_T_RECOMMENDATION"
        if doctype in ("technical-paper", "technical-report"):
            return "ITU_T_TECHNICAL_REPORT"
    if catalogue == "ieee" and doctype == "standard":
        return "IEEE_STANDARD"
    for marker, kind in ((" TR ", "TR"), ("/TR ", "TR"), (" TS ", "TS"), ("/TS ", "TS")):
        if marker in f" {record.designation} ":
            return kind
    return "OTHER"


def _in_force(record: BibRecord, stage_code: str | None) -> bool | None:
    if stage_code is not None:
        return "60.60" <= stage_code < "95.99"
    word = (record.stage or "").lower()
    if word in ("published", "approved", "active"):
        return True
    if word in ("withdrawn", "withdrawal", "revised", "replaced", "superseded", "draft"):
        return False
    return None


def _edition_number(text: str | None) -> int | None:
    if text and re.fullmatch(r"\d{1,3}", text.strip()) and int(text) >= 1:
        return int(text)
    return None


def _texts(name: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{lang}": text for lang, text in values.items()}


# Every property `map_record` may give an edition. A re-import clears those a newer record no
# longer gives (a withdrawal date taken back, an abstract dropped). Designation, English title,
# level and stub are always given; Chinese texts are what editors add to catalogue items, so
# neither is ever cleared.
RECORD_FIELDS: frozenset[str] = frozenset(
    {f"{name}_{lang}" for name in ("prefLabel", "summary") for lang in LANGUAGES if lang != "zh"}
    - {"prefLabel_en"}
    | {
        "doctype",
        "standardKind",
        "edition",
        "issued",
        "withdrawn",
        "stableUntil",
        "stageCode",
        "nativeStage",
        "inForce",
        "urn",
        "doi",
        "isbn",
        "page",
    }
)


def cleared_fields(props: dict[str, Any]) -> tuple[str, ...]:
    """The record fields an edition's new record does not give."""
    return tuple(sorted(RECORD_FIELDS - props.keys()))


def map_record(record: BibRecord, fallback_catalogue: str | None) -> Mapped:
    """The nodes and links of one record; `RecordError` when it cannot be mapped."""
    catalogue = catalogue_of(record, fallback_catalogue)
    own = structure(record.designation, catalogue)
    stage_code = None
    if record.stage and record.substage and record.stage.isdigit():
        stage_code = f"{record.stage}.{record.substage}"
        if stage_value(stage_code) is None:
            raise RecordError("docstatus", f"{stage_code} is not a harmonized stage code")
    kind = _standard_kind(record, catalogue)
    titles = record.titles or {"en": record.designation}
    props: dict[str, Any] = {
        "designation": record.designation,
        **_texts("prefLabel", titles),
        **_texts("summary", record.abstracts),
        "doctype": record.doctype,
        "standardKind": kind,
        "level": own.level,
        "edition": _edition_number(record.edition),
        "issued": record.dates.get("published") or record.dates.get("issued"),
        "withdrawn": record.dates.get("obsoleted") or record.dates.get("withdrawn"),
        "stableUntil": record.dates.get("stable-until"),
        "stageCode": stage_code,
        "nativeStage": None if stage_code else record.stage,
        "inForce": _in_force(record, stage_code),
        "urn": record.urn,
        "doi": record.doi,
        "isbn": record.isbns or None,
        "page": record.page,
        "stub": False,
    }
    props = {k: v for k, v in props.items() if v is not None}
    _validate(props)
    out = Mapped(catalogue, record.designation)
    me = ("Standard", record.designation)
    out.nodes.append(Node("Standard", record.designation, props, full=True))

    def document(designation: str, level: str, title: str | None = None, **extra: Any) -> None:
        stub = {"designation": designation, "prefLabel_en": title or designation, "level": level}
        out.nodes.append(Node("Standard", designation, {**stub, **extra}, full=False))

    # -- work, series, base ---------------------------------------------------------------------
    if own.work:
        document(own.work, "WORK", titles.get("en"), standardKind=kind)
        work = ("Standard", own.work)
        if own.level == "DRAFT":
            out.links.append(Link("HAS_DRAFT", work, me))
        elif own.level in ("EDITION", "SUPPLEMENT"):
            out.links.append(Link("EDITION_OF", me, work))
        if own.series:
            document(own.series, "SERIES", standardKind="SERIES")
            out.links.append(Link("IS_PART_OF", work, ("Standard", own.series)))
    elif own.series:
        document(own.series, "SERIES", standardKind="SERIES")
        out.links.append(Link("IS_PART_OF", me, ("Standard", own.series)))
    if own.base:
        base_level = "WORK" if catalogue == "itu" else "EDITION"
        document(own.base, base_level, stub=True)
        rel = {"AMENDMENT": "AMENDS", "CORRIGENDUM": "CORRECTS"}.get(own.level, "COMPLEMENT_OF")
        out.links.append(Link(rel, me, ("Standard", own.base)))

    # -- committees -----------------------------------------------------------------------------
    for name, title in record.committees:
        designation = committee_designation(name, catalogue, record.committee_body)
        _committee(out, designation, title, catalogue)
        out.links.append(Link("DEVELOPED_BY", me, ("Committee", designation)))

    # -- ICS ------------------------------------------------------------------------------------
    for code, text in record.ics:
        _ics(out, code, text)
        out.links.append(Link("CLASSIFIED_AS", me, ("Concept", ics_key(code))))

    # -- relations ------------------------------------------------------------------------------
    for item in record.relations:
        target = related_designation(item.designation, record.designation, catalogue)
        if target == record.designation:
            continue  # records citing themselves carry no information
        mapped = _relation(item.type, item.description, catalogue)
        if mapped is None:
            out.unmapped_relations.append(item.type)
            continue
        rel_type, outward = mapped
        other = ("Standard", target)
        shape = structure(target, catalogue)
        document(target, shape.level, item.title, stub=True)
        if item.type == "hasEdition":
            if shape.work and shape.level == "EDITION":
                document(shape.work, "WORK", item.title)
                out.links.append(Link("EDITION_OF", other, ("Standard", shape.work)))
            continue
        out.links.append(Link(rel_type, me, other) if outward else Link(rel_type, other, me))
    return out


def _relation(kind: str, description: str | None, catalogue: str) -> tuple[str, bool] | None:
    """Relaton relation type → (relationship type, whether it points from this record)."""
    if kind == "updates":
        if catalogue == "iso":
            # relaton-iso files ISO's "revised by" list under `updates`: the target is the
            # later edition that replaces this one (checked against the obsoletes it lists).
            return "REPLACES", False
        by_description = {"revises": "REVISES", "amends": "AMENDS", "corrects": "CORRECTS"}
        return by_description.get((description or "").lower(), "UPDATES"), True
    return {
        "obsoletes": ("REPLACES", True),
        "obsoletedBy": ("REPLACES", False),
        "replaces": ("REPLACES", True),
        "updatedBy": ("UPDATES", False),
        "amends": ("AMENDS", True),
        "amendedBy": ("AMENDS", False),
        "corrects": ("CORRECTS", True),
        "correctedBy": ("CORRECTS", False),
        "revises": ("REVISES", True),
        "revisedBy": ("REVISES", False),
        "partOf": ("IS_PART_OF", True),
        "hasPart": ("IS_PART_OF", False),
        "adoptedFrom": ("ADOPTED_FROM", True),
        "adoptedAs": ("ADOPTED_FROM", False),
        # ITU lists a series' supplements under each Recommendation: the supplement
        # complements the Recommendation, not the other way round.
        "complementOf": ("COMPLEMENT_OF", False),
        "hasDraft": ("HAS_DRAFT", True),
        "draftOf": ("HAS_DRAFT", False),
        "hasEdition": ("EDITION_OF", False),
        "instanceOf": ("EDITION_OF", True),
        "hasInstance": ("EDITION_OF", False),
    }.get(kind)


def _committee(out: Mapped, designation: str, title: str | None, catalogue: str) -> None:
    label = f"{designation} {title}" if title and title != designation else designation
    props = {
        "designation": designation,
        "prefLabel_en": label,
        "committeeKind": committee_kind(designation, catalogue),
    }
    out.nodes.append(Node("Committee", designation, props, full=False))
    parent = committee_parent(designation, catalogue)
    if parent is not None:
        _committee(out, parent, None, catalogue)
        out.links.append(
            Link("SUB_ORGANIZATION_OF", ("Committee", designation), ("Committee", parent))
        )
        return
    for org in committee_organizations(designation, catalogue):
        zh, en = ORGANIZATIONS[org]
        org_props = {"prefLabel_zh": zh, "prefLabel_en": en, "orgKind": "INTERNATIONAL_SDO"}
        out.nodes.append(Node("Organization", org, org_props, full=False))
        out.links.append(
            Link("SUB_ORGANIZATION_OF", ("Committee", designation), ("Organization", org))
        )


def _ics(out: Mapped, code: str, text: str | None) -> None:
    if not re.fullmatch(ICS_CODE, code):
        raise RecordError("ics", f"{code!r} is not an ICS code (NN, NN.NNN or NN.NNN.NN)")
    scheme = ("ConceptScheme", ICS_SCHEME)
    out.nodes.append(
        Node(
            "ConceptScheme",
            ICS_SCHEME,
            {
                "prefLabel_zh": "国际标准分类法（ICS）",
                "prefLabel_en": "International Classification for Standards (ICS)",
            },
            full=False,
        )
    )
    parts = code.split(".")
    chain = [".".join(parts[: i + 1]) for i in range(len(parts))]
    for i, level in enumerate(chain):
        props = {"notation": level, "conceptKind": "CLASSIFICATION", "prefLabel_en": f"ICS {level}"}
        if level == code and text:
            props["prefLabel_en"] = f"{level} {text}"
        out.nodes.append(Node("Concept", ics_key(level), props, full=level == code and bool(text)))
        me = ("Concept", ics_key(level))
        out.links.append(Link("IN_SCHEME", me, scheme))
        if i == 0:
            out.links.append(Link("TOP_CONCEPT_OF", me, scheme))
        else:
            out.links.append(Link("BROADER", me, ("Concept", ics_key(chain[i - 1]))))


_FLAT_TEXT = re.compile(r"^(?P<name>[a-zA-Z]+)_(?P<lang>zh|en|fr|ru|es|ar)$")


def _validate(props: dict[str, Any]) -> None:
    """Check the edition against the ontology's model (patterns, dates, enums)."""
    data: dict[str, Any] = {"key": "x"}
    for name, value in props.items():
        match = _FLAT_TEXT.match(name)
        if match:
            data.setdefault(match["name"], {})[match["lang"]] = value
        else:
            data[name] = value
    try:
        entity_model("Standard").model_validate(data)
    except ValidationError as exc:  # report the first field at fault
        first = field_problems(exc)[0]
        raise RecordError(first.path, first.message) from exc
