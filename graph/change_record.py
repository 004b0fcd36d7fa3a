"""The change records of the revision log: what one step of a revision did.

Every writer (change sets, imports, catalogue imports) records its steps as these; every reader
(replay, revert, the GraphQL revision types, the live feed, the SPARQL store's sync, the RDF
export of revisions) reads them. In Neo4j and in exported RDF a revision keeps them as a JSON
array of objects, in the shape `to_json` writes and `from_json` reads:

    {"kind": "entity", "op": "create" | "update" | "delete", "class", "key", "before", "after",
     "version"[, "relationships" (delete only)]}
    {"kind": "link", "op": "link" | "unlink", "type", "start", "end", "before", "after"}
    {"kind": "comment", "op": "comment", "class", "key", "text"}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal


@dataclass(frozen=True)
class RemovedLink:
    """A relationship deleted together with its entity (a detach delete), to restore on revert."""

    type: str
    start: str
    end: str
    props: dict[str, Any]


@dataclass(frozen=True)
class EntityChange:
    """An entity created, updated or deleted: the changed fields before and after."""

    kind: ClassVar[Literal["entity"]] = "entity"
    op: Literal["create", "update", "delete"]
    class_name: str
    key: str
    before: dict[str, Any] | None  # None when created; every stored field when deleted
    after: dict[str, Any] | None  # None when deleted; every field when created
    version: int  # the entity's version after the change (before it, for a delete)
    relationships: tuple[RemovedLink, ...] = ()  # delete: the relationships removed with it

    @property
    def keys(self) -> set[str]:
        """The entities the change touched (a delete also touched every removed neighbour)."""
        return {self.key} | {k for r in self.relationships for k in (r.start, r.end)}


@dataclass(frozen=True)
class LinkChange:
    """A relationship created, changed or removed."""

    kind: ClassVar[Literal["link"]] = "link"
    class_name: ClassVar[None] = None
    op: Literal["link", "unlink"]
    type: str
    start: str
    end: str
    before: dict[str, Any] | None  # None when the link created the relationship
    after: dict[str, Any] | None  # None when unlinked

    @property
    def keys(self) -> set[str]:
        """The entities at both ends."""
        return {self.start, self.end}


@dataclass(frozen=True)
class CommentChange:
    """A remark on an entity (a liaison statement's discussion); it changes no data."""

    kind: ClassVar[Literal["comment"]] = "comment"
    op: ClassVar[Literal["comment"]] = "comment"
    class_name: str
    key: str
    text: str

    @property
    def keys(self) -> set[str]:
        """The entity remarked on."""
        return {self.key}


Change = EntityChange | LinkChange | CommentChange


def to_json(change: Change) -> dict[str, Any]:
    """The stored (and exported) JSON object of a change."""
    if isinstance(change, LinkChange):
        return {
            "kind": "link",
            "op": change.op,
            "type": change.type,
            "start": change.start,
            "end": change.end,
            "before": change.before,
            "after": change.after,
        }
    if isinstance(change, CommentChange):
        return {
            "kind": "comment",
            "op": "comment",
            "class": change.class_name,
            "key": change.key,
            "text": change.text,
        }
    out: dict[str, Any] = {
        "kind": "entity",
        "op": change.op,
        "class": change.class_name,
        "key": change.key,
        "before": change.before,
        "after": change.after,
        "version": change.version,
    }
    if change.op == "delete":
        out["relationships"] = [
            {"type": r.type, "start": r.start, "end": r.end, "props": r.props}
            for r in change.relationships
        ]
    return out


def from_json(data: Mapping[str, Any]) -> Change:
    """A change from its stored JSON object; ValueError names what is missing or unknown."""
    try:
        match data["kind"]:
            case "entity":
                return EntityChange(
                    op=data["op"],
                    class_name=data["class"],
                    key=data["key"],
                    before=data["before"],
                    after=data["after"],
                    version=int(data["version"]),
                    relationships=tuple(
                        RemovedLink(r["type"], r["start"], r["end"], dict(r["props"]))
                        for r in data.get("relationships") or ()
                    ),
                )
            case "link":
                return LinkChange(
                    op=data["op"],
                    type=data["type"],
                    start=data["start"],
                    end=data["end"],
                    before=data["before"],
                    after=data["after"],
                )
            case "comment":
                return CommentChange(class_name=data["class"], key=data["key"], text=data["text"])
            case kind:
                raise ValueError(f"unknown kind of change {kind!r}")
    except KeyError as exc:
        raise ValueError(f"a {data.get('kind')} change without {exc}") from None
