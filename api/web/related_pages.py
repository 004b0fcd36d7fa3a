"""Every entity at the other end of one relationship type, a page at a time.

The entity page shows a capped neighbourhood; a committee of a loaded catalogue develops
thousands of editions, so each relation group links here to page through all of them. The
list is the other class's GraphQL list filtered on this entity (`standards(where: {developedBy:
{some: {key: {eq: …}}}})`), so paging, counting and access rules are the API's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.naming import list_field, single_field, upper_snake
from api.web.browse import failed
from api.web.gql import execute
from api.web.i18n import request_lang, stage_group
from api.web.render import class_label, page, relation_label
from api.web.session import signed_in
from ontology import ONTOLOGY
from ontology.model import ClassDef, RelationDef
from ontology.vocab import STAGE_PREFIX

router = APIRouter(include_in_schema=False)

DIRECTIONS = ("outgoing", "incoming")


@dataclass(frozen=True)
class Facets:
    """What a long list of one class can be narrowed and ordered by: its stage, its kind and
    its year, where the class has them (standards, work items; committees have a kind)."""

    stage: str | None
    kind: str | None
    year: str | None
    designation: bool

    @classmethod
    def of(cls, klass: ClassDef) -> Facets:
        props = {p.name: p for p in ONTOLOGY.class_properties(klass)}
        kinds = [
            name
            for name in klass.facets
            if name in props and props[name].enum is not None and name != "stageCode"
        ]
        year = next((n for n in ("issued", "approved") if n in props), None)
        return cls(
            stage="stageCode" if "stageCode" in props else None,
            kind=kinds[0] if kinds else None,
            year=year,
            designation="designation" in props,
        )

    def fields(self) -> list[str]:
        return [f for f in (self.stage, self.kind, self.year) if f] + (
            ["designation"] if self.designation else []
        )

    def sorts(self) -> dict[str, list[dict[str, str]]]:
        """The orders offered, by name (`?sort=`): the first is the default."""
        out: dict[str, list[dict[str, str]]] = {}
        if self.designation:
            out["designation"] = [{"field": "DESIGNATION"}, {"field": "KEY"}]
        if self.year:
            out["newest"] = [
                {"field": upper_snake(self.year), "direction": "DESC"},
                {"field": "KEY"},
            ]
        out["key"] = [{"field": "KEY"}]
        return out


def related_query(cls: ClassDef, facets: Facets | None = None) -> str:
    """One page of `cls` entities filtered by `$where` and ordered by `$orderBy`, with the
    entity the page is about, and the counts by stage and kind of the unfiltered list
    (`$base`)."""
    facets = facets or Facets(None, None, None, False)
    shown = " ".join(facets.fields())
    counts_field = f"{single_field(cls)}Counts"
    counts = "".join(
        f" {alias}: {counts_field}(groupBy: [{upper_snake(prop)}], where: $base) "
        "{ count values { value } }"
        for alias, prop in (("byStage", facets.stage), ("byKind", facets.kind))
        if prop
    )
    base = f", $base: {cls.name}Where!" if counts else ""
    return f"""
query Related($key: String!, $where: {cls.name}Where!{base}, $orderBy: [{cls.name}Order!],
              $first: Int!, $after: String, $lang: Lang!) {{
  entity(key: $key) {{ __typename key label(lang: $lang) }}
  page: {list_field(cls)}(where: $where, orderBy: $orderBy, first: $first, after: $after) {{
    totalCount
    nodes {{ __typename key label(lang: $lang) {"... on " + cls.name + " { " + shown + " }" if shown else ""} }}
    pageInfo {{ hasNextPage endCursor }}
  }}{counts}
}}"""


def _stage_groups(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Counts by harmonized stage (the code's first two digits: 60 published, 95 withdrawn …)."""
    groups: dict[str, int] = {}
    for row in rows:
        code = row["values"][0]["value"]
        stage = str(code)[:2] if code else ""
        groups[stage] = groups.get(stage, 0) + row["count"]
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def far_classes(rel: RelationDef, direction: str) -> tuple[ClassDef, ...]:
    """The classes that can stand at the other end, seen from this entity."""
    names = rel.range if direction == "outgoing" else rel.domain
    return tuple(ONTOLOGY.cls(name) for name in names)


@router.get("/entity/{key}/related/{rel_type}/{direction}", response_class=HTMLResponse)
async def related(
    request: Request,
    key: str,
    rel_type: str,
    direction: str,
    cls: str = "",
    after: str = "",
    first: int = Query(default=50, ge=1, le=100),
    stage: str = "",
    kind: str = "",
    year: str = "",
    sort: str = "",
) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    rel = next((r for r in ONTOLOGY.relations if r.type == rel_type), None)
    if rel is None or direction not in DIRECTIONS:
        return page(request, "not_found.html", account, status_code=404, key=key)
    classes = far_classes(rel, direction)
    chosen = next((c for c in classes if c.name == cls), classes[0])
    # From the far side, this entity is reached by the relation's own field (incoming) or
    # by its inverse (outgoing).
    field = rel.inverse_field if direction == "outgoing" else rel.field
    facets = Facets.of(chosen)
    base: dict[str, Any] = {field: {"some": {"key": {"eq": key}}}}
    # Narrowing: kept only when the class has the property and the value is well-formed (a
    # bad value in a hand-edited URL is ignored rather than an error page).
    where = dict(base)
    chosen_stage = chosen_kind = chosen_year = ""
    if facets.stage and re.fullmatch(STAGE_PREFIX, stage):
        chosen_stage, where[facets.stage] = stage, {"startsWith": stage}
    if facets.kind and kind in _kind_values(chosen, facets.kind):
        chosen_kind, where[facets.kind] = kind, {"eq": kind}
    if facets.year and re.fullmatch(r"\d{4}", year):
        chosen_year, where[facets.year] = year, {"startsWith": year}
    sorts = facets.sorts()
    chosen_sort = sort if sort in sorts else next(iter(sorts))
    variables: dict[str, Any] = {
        "key": key,
        "where": where,
        "orderBy": sorts[chosen_sort],
        "first": first,
        "after": after or None,
        "lang": lang.upper(),
    }
    if facets.stage or facets.kind:
        variables["base"] = base
    result = await execute(request, account, related_query(chosen, facets), variables)
    if not result.errors and result.data["entity"] is None:
        return page(request, "not_found.html", account, status_code=404, key=key)
    if result.errors:
        return failed(request, account, result)
    found = result.data["page"]
    return page(
        request,
        "related.html",
        account,
        entity=result.data["entity"],
        relation=relation_label(rel.type, lang),
        rel_type=rel.type,
        direction=direction,
        tabs=[(c.name, class_label(c.name, lang)) for c in classes],
        chosen=chosen.name,
        total=found["totalCount"],
        items=found["nodes"],
        next_cursor=found["pageInfo"]["endCursor"] if found["pageInfo"]["hasNextPage"] else None,
        first=first,
        paged=bool(after),
        facets=facets,
        by_stage=[
            (code, stage_group(code, lang), n)
            for code, n in _stage_groups(result.data.get("byStage") or [])
        ],
        by_kind=[
            (row["values"][0]["value"] or "", row["count"])
            for row in result.data.get("byKind") or []
        ],
        kind_enum=_kind_enum(chosen, facets.kind),
        narrowed={"stage": chosen_stage, "kind": chosen_kind, "year": chosen_year},
        sort=chosen_sort,
        sorts=list(sorts),
    )


def _kind_enum(cls: ClassDef, kind: str | None) -> str:
    if kind is None:
        return ""
    vocabulary = next(p for p in ONTOLOGY.class_properties(cls) if p.name == kind).enum
    return vocabulary or ""


def _kind_values(cls: ClassDef, kind: str | None) -> set[str]:
    name = _kind_enum(cls, kind)
    return {v.name for v in ONTOLOGY.enum(name).values} if name else set()
