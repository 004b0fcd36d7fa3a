"""Every entity at the other end of one relationship type, a page at a time.

The entity page shows a capped neighbourhood; a committee of a loaded catalogue develops
thousands of editions, so each relation group links here to page through all of them. The
list is the other class's GraphQL list filtered on this entity (`standards(where: {developedBy:
{some: {key: {eq: …}}}})`), so paging, counting and access rules are the API's own.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.naming import list_field
from api.web.browse import failed
from api.web.gql import execute
from api.web.i18n import request_lang
from api.web.render import class_label, page, relation_label
from api.web.session import signed_in
from ontology import ONTOLOGY
from ontology.model import ClassDef, RelationDef

router = APIRouter(include_in_schema=False)

DIRECTIONS = ("outgoing", "incoming")


def related_query(cls: ClassDef) -> str:
    """One page of `cls` entities filtered by `$where`, with the entity the page is about."""
    return f"""
query Related($key: String!, $where: {cls.name}Where!, $first: Int!, $after: String, $lang: Lang!) {{
  entity(key: $key) {{ __typename key label(lang: $lang) }}
  page: {list_field(cls)}(where: $where, first: $first, after: $after) {{
    totalCount
    nodes {{ __typename key label(lang: $lang) }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""


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
    variables = {
        "key": key,
        "where": {field: {"some": {"key": {"eq": key}}}},
        "first": first,
        "after": after or None,
        "lang": lang.upper(),
    }
    result = await execute(request, account, related_query(chosen), variables)
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
    )
