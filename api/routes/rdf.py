"""RDF over HTTP: the whole graph streamed, Linked Data for every entity IRI (content
negotiation, with an HTML page for browsers), the ontology and the SHACL shapes."""

from __future__ import annotations

import contextlib
import html

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from rdflib import Graph, Literal, URIRef

from api.auth import current_account
from api.deps import StateDep
from api.negotiation import ranked
from api.streams import EndsVisibly, primed
from graph.accounts import sees_contact_details
from graph.rdf_export import blocking_batches, describe
from graph.rdf_formats import FORMATS, MEDIA_TYPES, Format, serialize_export
from ontology import ONTOLOGY
from ontology.artifacts import GENERATED_DIR
from ontology.namespaces import PREFIXES

router = APIRouter(tags=["rdf"])
FORMAT_NAMES = ", ".join(FORMATS)


def _by_name(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise HTTPException(
            400,
            detail={
                "code": "BAD_REQUEST",
                "message": f"unknown format {name!r}; use one of {FORMAT_NAMES}",
            },
        ) from None


def _negotiate(request: Request, explicit: str | None, html_ok: bool) -> Format | None:
    """The format asked for by `?format=` or the Accept header; None means HTML."""
    if explicit:
        return _by_name(explicit)
    for media in ranked(request.headers.get("accept", "")):
        if media in MEDIA_TYPES:
            return MEDIA_TYPES[media]
        if media in ("text/html", "application/xhtml+xml") and html_ok:
            return None
        if media == "application/json":
            return FORMATS["jsonld"]
    return FORMATS["turtle"]


@router.get(
    "/rdf/export",
    summary="The whole graph as RDF, streamed",
    responses={200: {"content": {f.media_type: {} for f in FORMATS.values()}}},
)
async def export(request: Request, state: StateDep, format: str | None = None) -> StreamingResponse:
    # `?format=` wins; else the Accept header (Turtle when it names no RDF syntax).
    fmt = _negotiate(request, format, html_ok=False) or FORMATS["turtle"]
    # Contact details only for signed-in readers, as in GraphQL.
    reveal = sees_contact_details(await current_account(request))
    # The first Neo4j read happens before the status line: an outage now is a 503.
    body = await primed(
        serialize_export(
            lambda: blocking_batches(state.driver, state.connection),
            fmt,
            state.base_iri,
            reveal,
        )
    )

    return EndsVisibly(
        body,
        lambda error: error_marker(fmt, error),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="mskg.{fmt.extension}"'},
    )


def error_marker(fmt: Format, error: Exception) -> str:
    """The last thing an export that failed part-way writes (see api/streams.py)."""
    text = " ".join(f"ERROR: the export is incomplete: {error}".split())
    if fmt.name == "rdfxml":
        return f"\n<!-- {text.replace('--', '- -')} -->\n"
    return f"\n# {text}\n"


def _graph_response(graph: Graph, fmt: Format) -> Response:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return Response(
        graph.serialize(format=fmt.rdflib), media_type=fmt.media_type, headers={"Vary": "Accept"}
    )


@router.get(
    "/id/{slug}/{key}",
    summary="An entity as Linked Data (RDF by Accept header or ?format=, HTML for browsers)",
)
async def entity(
    slug: str, key: str, request: Request, state: StateDep, format: str | None = None
) -> Response:
    try:
        cls = ONTOLOGY.class_by_slug(slug)
    except KeyError:
        raise HTTPException(
            404,
            detail={
                "code": "NOT_FOUND",
                "message": f"no class {slug!r}; IRIs look like /id/<class>/<key> with class one of "
                + ", ".join(c.slug for c in ONTOLOGY.classes),
            },
        ) from None
    reveal = sees_contact_details(await current_account(request))
    triples = await describe(state.driver, state.connection.database, state.base_iri, key, reveal)
    iri = URIRef(f"{state.base_iri}id/{cls.slug}/{key}")
    if triples is None or not any(t[0] == iri for t in triples):
        raise HTTPException(
            404, detail={"code": "NOT_FOUND", "message": f"no {cls.name} with key {key!r}"}
        )
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    fmt = _negotiate(request, format, html_ok=True)
    if fmt is None:
        return HTMLResponse(
            _html_page(graph, iri, cls.labels.en, cls.labels.zh, key), headers={"Vary": "Accept"}
        )
    return _graph_response(graph, fmt)


def _term(graph: Graph, node: object) -> str:
    if isinstance(node, Literal):
        lang = f' <span class="lang">@{node.language}</span>' if node.language else ""
        return f"{html.escape(str(node))}{lang}"
    text = str(node)
    qname = text
    with contextlib.suppress(ValueError, KeyError):  # not every IRI has a prefixed form
        qname = graph.namespace_manager.normalizeUri(text)
    local = "/id/" in text and text.split("/id/", 1)[1]
    href = f"/id/{local}" if local else text
    return f'<a href="{html.escape(href)}">{html.escape(qname)}</a>'


def _html_page(graph: Graph, iri: URIRef, class_en: str, class_zh: str, key: str) -> str:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    labels = [o for p, o in graph.predicate_objects(iri) if str(p).endswith(("prefLabel", "title"))]
    title = " / ".join(html.escape(str(label)) for label in labels) or html.escape(key)
    own = sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1])))
    rows = "\n".join(
        f"<tr><th>{_term(graph, p)}</th><td>{_term(graph, o)}</td></tr>" for p, o in own
    )
    incoming = sorted((s, p) for s, p in graph.subject_predicates(iri) if s != iri)
    back = "\n".join(
        f"<tr><td>{_term(graph, s)}</td><th>{_term(graph, p)}</th></tr>" for s, p in incoming
    )
    links = " · ".join(f'<a href="?format={name}">{name}</a>' for name in FORMATS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — MSKG</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}}
th{{font-weight:600;width:16rem}}.lang{{color:#777;font-size:.8em}}code{{background:#f4f4f4;padding:.1rem .3rem}}</style></head>
<body><p>{html.escape(class_en)} · {html.escape(class_zh)}</p><h1>{title}</h1>
<p><code>{html.escape(str(iri))}</code></p><p>RDF: {links}</p>
<h2>Statements</h2><table>{rows}</table>
<h2>Referenced by</h2><table>{back or "<tr><td>—</td></tr>"}</table></body></html>"""


def _static_graph(name: str, request: Request, format: str | None) -> Response:
    fmt = _negotiate(request, format, html_ok=False) or FORMATS["turtle"]
    if fmt.name == "turtle":
        return Response(
            (GENERATED_DIR / name).read_text(encoding="utf-8"),
            media_type=fmt.media_type,
            headers={"Vary": "Accept"},
        )
    return _graph_response(Graph().parse(GENERATED_DIR / name, format="turtle"), fmt)


@router.get("/ontology", summary="The MSKG ontology (OWL/RDFS + SKOS), Turtle by default")
async def ontology(request: Request, format: str | None = None) -> Response:
    return _static_graph("mskg.ttl", request, format)


@router.get("/shapes", summary="The SHACL shapes, Turtle by default")
async def shapes(request: Request, format: str | None = None) -> Response:
    return _static_graph("shapes.ttl", request, format)
