"""Reading pages: search, the entity page (properties, relations both ways, sources, history
with diffs) and the graph explorer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.graphql.errors import QUERY_TIMEOUT, SERVICE_UNAVAILABLE, graph_error
from api.graphql.queries import SEARCH_DEPTH
from api.web import operations, standard_view
from api.web.gql import GqlError, GqlResult, execute
from api.web.i18n import Lang, request_lang, word
from api.web.render import class_label, enum_label, page, relation_colour, relation_label
from api.web.session import signed_in
from graph.accounts import Account
from graph.errors import GraphUnavailableError, QueryTimeoutError
from ontology import ONTOLOGY
from ontology.model import ClassDef, Datatype, PropertyDef

router = APIRouter(include_in_schema=False)
RELATED_INLINE = 20


def _status(result: GqlResult) -> tuple[int, GqlError, dict[str, str]]:
    """503 with Retry-After when Neo4j is down, 504 when the query ran out of time, else 400;
    and the error that decided it."""
    if unavailable := result.error(SERVICE_UNAVAILABLE):
        return 503, unavailable, {"Retry-After": str(unavailable.extensions.get("retryAfter", 1))}
    if timed_out := result.error(QUERY_TIMEOUT):
        return 504, timed_out, {}
    return 400, result.errors[0], {}


def failed(request: Request, account: Account | None, result: GqlResult) -> HTMLResponse:
    """A page explaining that the API refused or could not answer (e.g. Neo4j is down)."""
    status, _, headers = _status(result)
    response = page(request, "error.html", account, status_code=status, errors=result.errors)
    response.headers.update(headers)
    return response


def failed_json(result: GqlResult) -> JSONResponse:
    """The same failure for a data download (CSV): a JSON error, as the API's routes answer."""
    status, error, headers = _status(result)
    extra = {k: error.extensions[k] for k in ("hint", "retryAfter") if k in error.extensions}
    body: dict[str, Any] = {"detail": {"code": error.code, "message": error.message, **extra}}
    return JSONResponse(body, status_code=status, headers=headers)


def unavailable_page(request: Request, exc: GraphUnavailableError | QueryTimeoutError) -> Response:
    """The error page for a graph failure raised outside GraphQL (e.g. reading the signed-in
    account); nobody can be shown as signed in, since that needs the graph."""
    error = graph_error(exc)
    assert error is not None
    extensions = dict(error.extensions or {})
    gql_error = GqlError(message=error.message, code=str(extensions["code"]), extensions=extensions)
    return failed(request, None, GqlResult(data={}, errors=[gql_error]))


@router.get("/", response_class=HTMLResponse)
async def search(request: Request, q: str = "", within: str = "") -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    chosen = [t for t in request.query_params.getlist("type") if t in _class_names()]
    size = operations.SEARCH_PAGE
    # Pages reach as deep as search pages (its `offset` bound); a number past it shows the last,
    # and one that is no number the first.
    last_page = SEARCH_DEPTH // size
    asked = request.query_params.get("page", "1")
    page_no = min(max(int(asked), 1), last_page) if asked.isdigit() and len(asked) < 7 else 1
    hits: list[dict[str, Any]] = []
    facets: list[tuple[str, int]] = []
    total, capped = 0, False
    if q.strip():
        result = await execute(
            request,
            account,
            operations.SEARCH,
            {
                "text": q,
                "types": chosen or None,
                # `within` limits the match to one language's texts; labels follow the page's.
                "lang": within.upper() if within in ("zh", "en") else None,
                "label": lang.upper(),
                "offset": (page_no - 1) * size,
            },
        )
        if result.errors:
            return failed(request, account, result)
        hits = result.data["hits"]
        counts = result.data["counts"]
        facets = [(c["type"], c["count"]) for c in counts["byType"]]
        total = sum(n for name, n in facets if not chosen or name in chosen)
        capped = counts["capped"]
    return page(
        request,
        "search.html",
        account,
        q=q,
        within=within if within in ("zh", "en") else "",
        chosen=chosen,
        hits=hits,
        facets=facets,
        total=total,
        capped=capped,
        first_shown=(page_no - 1) * size + 1,
        page_no=page_no,
        has_next=page_no < last_page and (page_no * size < total or capped),
    )


# Every syntax the entity's IRI and the whole-graph export answer in (graph.rdf_formats).
RDF_NAMES = (
    ("turtle", "Turtle"),
    ("trig", "TriG"),
    ("ntriples", "N-Triples"),
    ("nquads", "N-Quads"),
    ("jsonld", "JSON-LD"),
    ("rdfxml", "RDF/XML"),
)


def _class_names() -> set[str]:
    return {c.name for c in ONTOLOGY.classes}


def _property_rows(cls: ClassDef, entity: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    rows = []
    for prop in operations.shown_properties(cls):
        value = entity.get(prop.name)
        if value in (None, [], {}) or (isinstance(value, dict) and not any(value.values())):
            continue
        rows.append(
            {
                "label": prop.labels.zh if lang == "zh" else prop.labels.en,
                "name": prop.name,
                **_shown_value(prop, value, lang),
            }
        )
    return rows


def _shown_value(prop: PropertyDef, value: Any, lang: Lang) -> dict[str, Any]:
    if prop.datatype is Datatype.TEXT:
        return {"kind": "text", "value": value}
    if prop.datatype is Datatype.ENUM and prop.enum is not None:
        return {"kind": "plain", "value": f"{enum_label(prop.enum, value, lang)} ({value})"}
    if prop.datatype is Datatype.URI:
        return {"kind": "links", "value": value if isinstance(value, list) else [value]}
    if isinstance(value, list):
        return {"kind": "plain", "value": "; ".join(str(v) for v in value)}
    return {"kind": "plain", "value": str(value)}


def _relation_groups(key: str, subgraph: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    """Edges touching `key`, grouped by relationship type and direction."""
    nodes = {n["key"]: n for n in subgraph["nodes"]}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in subgraph["edges"]:
        if key not in (edge["fromKey"], edge["toKey"]):
            continue
        direction = "outgoing" if edge["fromKey"] == key else "incoming"
        other = edge["toKey"] if direction == "outgoing" else edge["fromKey"]
        group = groups.setdefault(
            (edge["type"], direction),
            {
                "type": edge["type"],
                "label": relation_label(edge["type"], lang),
                "direction": direction,
                "colour": relation_colour(edge["type"]),
                "items": [],
            },
        )
        node = nodes.get(other, {"key": other, "label": other, "__typename": ""})
        group["items"].append(
            {
                "key": other,
                "label": node["label"],
                "class": class_label(node["__typename"], lang),
                "properties": edge["properties"],
            }
        )
    for group in groups.values():
        group["items"].sort(key=lambda item: item["label"])
    return sorted(groups.values(), key=lambda g: (g["direction"] != "outgoing", g["label"]))


def _field_label(stored: str, lang: Lang) -> str:
    """A stored property name as people read it: `prefLabel_zh` → "Preferred label (zh)"."""
    name, _, code = stored.rpartition("_")
    if not name or code not in ("zh", "en"):
        name, code = stored, ""
    for cls in ONTOLOGY.classes:
        for prop in ONTOLOGY.class_properties(cls):
            if prop.name == name:
                label = prop.labels.zh if lang == "zh" else prop.labels.en
                return f"{label} ({code})" if code else label
    return stored


def _change_rows(change: dict[str, Any], lang: Lang) -> list[tuple[str, str, Any, Any]]:
    """(stored name, label, before, after) for each field an entity change touched."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    names = sorted(set(before) | set(after))
    return [
        (n, _field_label(n, lang), before.get(n), after.get(n))
        for n in names
        if before.get(n) != after.get(n)
    ]


def _touching(key: str, revision: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes of a revision that concern this entity (a seed load or an import touches
    hundreds of others in the same revision)."""
    return [
        change
        for change in revision["changes"]
        if key in (change.get("key"), change.get("fromKey"), change.get("toKey"))
    ]


def _notice(request: Request, lang: Lang) -> str:
    """The outcome of the edit that redirected here."""
    params = request.query_params
    notice = params.get("notice", "")
    if notice == "saved":
        return word("saved", lang).format(seq=params.get("seq", ""))
    if notice == "proposed":
        return word("proposed", lang).format(id=params.get("proposal", ""))
    if notice == "unchanged":
        return word("unchanged", lang)
    return ""


@router.get("/entity/{key}", response_class=HTMLResponse)
async def entity(
    request: Request, key: str, revisions_shown: str = Query("", alias="history")
) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    revisions = operations.HISTORY_ALL if revisions_shown == "all" else operations.HISTORY_REVISIONS
    result = await execute(
        request,
        account,
        operations.entity_query(),
        {"key": key, "lang": lang.upper(), "revisions": revisions},
    )
    if result.error("NOT_FOUND") or (not result.errors and result.data["entity"] is None):
        return page(request, "not_found.html", account, status_code=404, key=key)
    if result.errors:
        return failed(request, account, result)
    found = result.data["entity"]
    cls = ONTOLOGY.cls(found["__typename"])
    history = [
        {**rev, "diffs": [(change, _change_rows(change, lang)) for change in _touching(key, rev)]}
        for rev in result.data["history"]
    ]
    return page(
        request,
        "entity.html",
        account,
        notice=_notice(request, lang),
        entity=found,
        cls=cls,
        rdf_href=f"/id/{cls.slug}/{key}?format=turtle",
        rdf_forms=[(label, f"/id/{cls.slug}/{key}?format={name}") for name, label in RDF_NAMES],
        properties=_property_rows(cls, found, lang),
        groups=_relation_groups(key, result.data["neighborhood"], lang),
        truncated=result.data["neighborhood"]["truncated"],
        history=history,
        more_history=revisions < operations.HISTORY_ALL and len(history) == revisions,
        # A long group links to its own page, where it can be sorted, narrowed and counted.
        related_inline=RELATED_INLINE,
        standard=standard_view.standard_view(found, lang),
    )


@router.get("/graph", response_class=HTMLResponse)
async def graph(
    request: Request, key: str = "", source: str = "", target: str = "", depth: int = 1
) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    legend = [
        {"type": r.type, "label": relation_label(r.type, lang), "colour": relation_colour(r.type)}
        for r in ONTOLOGY.relations
    ]
    # Filters (bookmarkable): relationship kinds left out, and classes never passed through.
    relation_types = {r.type for r in ONTOLOGY.relations}
    skip = [t for t in dict.fromkeys(request.query_params.getlist("skip")) if t in relation_types]
    avoid = [c for c in dict.fromkeys(request.query_params.getlist("hide")) if c in _class_names()]
    config = {
        "key": key.strip(),
        "source": source.strip(),
        "target": target.strip(),
        "depth": max(1, min(depth, 2)),
        "skip": skip,
        "avoid": avoid,
        "lang": lang.upper(),
        "colours": {item["type"]: item["colour"] for item in legend},
        "labels": {item["type"]: item["label"] for item in legend},
        "classes": {c.name: class_label(c.name, lang) for c in ONTOLOGY.classes},
    }
    return page(
        request,
        "graph.html",
        account,
        key=config["key"],
        source=config["source"],
        target=config["target"],
        depth=config["depth"],
        legend=legend,
        config=config,
        skip=skip,
        avoid=avoid,
    )
