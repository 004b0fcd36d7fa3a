"""A standard's page as delegates read it: the work with all its editions (the current one
marked), the drafts of its next edition, the stage history, what it replaces, revises, amends
or corrects and what does so to it, and adoptions both ways — for a work, the adoptions of each
of its editions.

The selection is an inline fragment of the entity page's one query, so the page stays one
GraphQL operation; this module turns the answer into rows."""

from __future__ import annotations

from typing import Any

from api.web.i18n import Lang, stage_group
from api.web.render import enum_label, relation_label
from ontology import ONTOLOGY
from ontology.vocab import stage_value

EDITIONS_SHOWN = 100  # a work with more editions links to the paged list of all of them

_FRAGMENTS = {
    "Standard": "... on Standard { designation issued stageCode inForce withdrawn }",
    "WorkItem": "... on WorkItem { designation stageCode }",
}


def _doc_of(classes: tuple[str, ...] = ("Standard", "WorkItem")) -> str:
    """A document at the far end; a field typed as one class takes only that class's fragment
    (GraphQL refuses a spread the field's type can never match)."""
    kept = [_FRAGMENTS[c] for c in classes if c in _FRAGMENTS]
    return " ".join(["__typename key label(lang: $lang)", *kept])


_DOC = _doc_of()
# What replaced an adopted edition: the domestic standard may be following an old one.
_NEWER = "... on Standard { replacedBy(first: 3) { key ... on Standard { designation } } }"
_EDITION = f"""key label(lang: $lang) designation issued edition stageCode inForce withdrawn
  replacedBy(first: 1) {{ key }}
  adoptedByEdges(first: 50) {{ degree node {{ {_DOC} }} }}"""
_EDITION_ORDER = "[{field: ISSUED, direction: DESC}, {field: KEY}]"

# (field, relationship type, direction as the relation groups name it)
LINEAGE = (
    ("replaces", "REPLACES", "outgoing"),
    ("replacedBy", "REPLACES", "incoming"),
    ("revises", "REVISES", "outgoing"),
    ("revisedBy", "REVISES", "incoming"),
    ("amends", "AMENDS", "outgoing"),
    ("amendedBy", "AMENDS", "incoming"),
    ("corrects", "CORRECTS", "outgoing"),
    ("correctedBy", "CORRECTS", "incoming"),
    ("updates", "UPDATES", "outgoing"),
    ("updatedByDocuments", "UPDATES", "incoming"),
    ("adoptedFrom", "ADOPTED_FROM", "outgoing"),
    ("adoptions", "ADOPTED_FROM", "incoming"),
)

_HISTORY = """stageHistory(orderBy: [{field: REACHED}, {field: STAGE_CODE}], first: 100) {
    key stageCode nativeStage reached sources { key label(lang: $lang) url }
  }"""


def _has(cls: str, rel_type: str, direction: str) -> bool:
    rel = ONTOLOGY.relation(rel_type)
    return cls in (rel.domain if direction == "outgoing" else rel.range)


def _far(rel_type: str, direction: str) -> tuple[str, ...]:
    rel = ONTOLOGY.relation(rel_type)
    return rel.range if direction == "outgoing" else rel.domain


def _common(cls: str) -> str:
    """What a standard and a work item share: stage history, lineage, adoptions."""
    lineage = " ".join(
        f"{field}(first: 50) {{ {_doc_of(_far(rel_type, direction))} }}"
        for field, rel_type, direction in LINEAGE
        if _has(cls, rel_type, direction)
    )
    return f"""{_HISTORY} {lineage}
  adoptsEdges(first: 50) {{ degree node {{ {_DOC} {_NEWER} }} }}
  adoptedByEdges(first: 100) {{ degree node {{ {_DOC} }} }}"""


SELECTION = f"""
... on Standard {{
  level
  work: editionOf {{
    key label(lang: $lang) designation
    editions(orderBy: {_EDITION_ORDER}, first: {EDITIONS_SHOWN}) {{ {_EDITION} }}
    drafts(orderBy: [{{field: KEY}}], first: 20) {{ {_doc_of(("Standard",))} }}
  }}
  editions(orderBy: {_EDITION_ORDER}, first: {EDITIONS_SHOWN}) {{ {_EDITION} }}
  drafts(orderBy: [{{field: KEY}}], first: 20) {{ {_doc_of(("Standard",))} }}
  draftOf(first: 1) {{ key label(lang: $lang) designation }}
  {_common("Standard")}
}}
... on WorkItem {{ {_common("WorkItem")} }}"""


def is_current(edition: dict[str, Any]) -> bool:
    """Current as the publisher lists it (`inForce`); where the catalogue does not say, an
    edition that is published (stage 60) or confirmed (90), not withdrawn and not replaced."""
    if edition.get("inForce") is not None:
        return bool(edition["inForce"])
    stage = edition.get("stageCode") or ""
    return (
        stage[:2] in ("60", "90") and not edition.get("withdrawn") and not edition.get("replacedBy")
    )


def stage_text(code: str | None, lang: Lang) -> str:
    """`60.60 International Standard published`, or the stage group when the code is not one of
    the harmonized codes."""
    if not code:
        return ""
    value = stage_value(code)
    if value is None:
        return f"{code} {stage_group(code, lang)}"
    return f"{code} {value.labels.zh if lang == 'zh' else value.labels.en}"


def _doc(node: dict[str, Any], lang: Lang) -> dict[str, Any]:
    return {
        "key": node["key"],
        "label": node["label"],
        "designation": node.get("designation") or "",
        "stage": stage_text(node.get("stageCode"), lang),
    }


def _edition_row(edition: dict[str, Any], here: str, lang: Lang) -> dict[str, Any]:
    return {
        **_doc(edition, lang),
        "issued": edition.get("issued") or "",
        "edition": edition.get("edition"),
        "withdrawn": edition.get("withdrawn") or "",
        "current": is_current(edition),
        "here": edition["key"] == here,
    }


def standard_view(found: dict[str, Any], lang: Lang) -> dict[str, Any] | None:
    """The rows of the page's work, editions, stage history, lineage and adoptions; None for
    an entity that is neither a standard nor a work item."""
    if found["__typename"] not in ("Standard", "WorkItem"):
        return None
    here = found["key"]
    work = found.get("work")
    editions = (work or {}).get("editions") or found.get("editions") or []
    drafts = (work or {}).get("drafts") or found.get("drafts") or []
    adoptions = [
        {
            "direction": "adopts",
            "degree": edge["degree"],
            "degree_label": enum_label("AdoptionDegree", edge["degree"], lang),
            "other": _doc(edge["node"], lang),
            "edition": None,
            "newer": [
                {"key": n["key"], "designation": n.get("designation") or n["key"]}
                for n in edge["node"].get("replacedBy") or []
            ],
        }
        for edge in found.get("adoptsEdges") or []
    ]
    adopted_here = [(here, edge) for edge in found.get("adoptedByEdges") or []]
    # A work's page, and an edition's, also show who adopted the other editions of the work.
    adopted_here += [
        (e["key"], edge)
        for e in editions
        if e["key"] != here
        for edge in e.get("adoptedByEdges") or []
    ]
    designations = {e["key"]: e.get("designation") or e["key"] for e in editions}
    adoptions += [
        {
            "direction": "adopted_by",
            "degree": edge["degree"],
            "degree_label": enum_label("AdoptionDegree", edge["degree"], lang),
            "other": _doc(edge["node"], lang),
            "edition": None if key == here else {"key": key, "designation": designations[key]},
            "newer": [],
        }
        for key, edge in adopted_here
    ]
    lineage = [
        {
            "type": rel_type,
            "direction": direction,
            "label": relation_label(rel_type, lang),
            "items": [_doc(node, lang) for node in found.get(field) or []],
        }
        for field, rel_type, direction in LINEAGE
        if found.get(field)
    ]
    history = [
        {
            "key": event["key"],
            "stage": stage_text(event["stageCode"], lang),
            "native": event.get("nativeStage") or "",
            "reached": event["reached"],
            "sources": event["sources"],
        }
        for event in found.get("stageHistory") or []
    ]
    view = {
        "work": None if work is None else {k: work[k] for k in ("key", "label", "designation")},
        "is_work": found.get("level") == "WORK",
        "editions": [_edition_row(e, here, lang) for e in editions],
        "more_editions": len(editions) >= EDITIONS_SHOWN,
        "drafts": [_doc(d, lang) for d in drafts],
        "draft_of": (found.get("draftOf") or [None])[0],
        "history": history,
        "lineage": lineage,
        "adoptions": adoptions,
    }
    shown = ("work", "editions", "drafts", "draft_of", "history", "lineage", "adoptions")
    return view if any(view[name] for name in shown) else None
