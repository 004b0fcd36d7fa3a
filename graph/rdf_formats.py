"""Streaming RDF serialization: triples in, text chunks out, in every common syntax.

rdflib serializes whole graphs; to keep memory bounded on large graphs, triples are grouped
by subject (the exporter yields each resource's triples together) and each group is serialized
on its own, inside one document frame per format. Every syntax's output stays valid: Turtle and
TriG subject blocks are independent, N-Triples/N-Quads are line based, JSON-LD is an array of
node objects and RDF/XML a sequence of descriptions under one root.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from ontology.namespaces import PREFIXES
from ontology.rdf_mapping import Triple


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    rdflib: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", "turtle"),
        Format("trig", "application/trig", "trig", "trig"),
        Format("ntriples", "application/n-triples", "nt", "nt"),
        # N-Triples lines are valid N-Quads (in the default graph); rdflib's nquads writer needs a
        # dataset, which a streamed chunk is not.
        Format("nquads", "application/n-quads", "nq", "nt"),
        Format("jsonld", "application/ld+json", "jsonld", "json-ld"),
        Format("rdfxml", "application/rdf+xml", "rdf", "xml"),
    )
}
MEDIA_TYPES = {f.media_type: f for f in FORMATS.values()}


def _chunk_graph(triples: list[Triple]) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        graph.add(triple)
    return graph


_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _turtle_term(node: Node) -> str:
    """One term in Turtle. Literals keep their exact lexical form with an explicit datatype:
    rdflib's writer abbreviates xsd:double to `%e` (six digits), which loses precision."""
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and _LOCAL_NAME.match(text[len(namespace) :]):
                return f"{prefix}:{text[len(namespace) :]}"
        return node.n3()
    if isinstance(node, Literal):
        if node.datatype is not None:
            return f"{Literal(str(node)).n3()}^^{_turtle_term(node.datatype)}"
        return node.n3()
    return node.n3()


def _turtle_body(triples: list[Triple]) -> str:
    """Subject blocks (`s p o, o ; p o .`) in the order the triples came, duplicates dropped."""
    blocks: dict[Node, dict[Node, dict[Node, None]]] = {}
    for s, p, o in triples:
        blocks.setdefault(s, {}).setdefault(p, {})[o] = None
    out = []
    for subject, predicates in blocks.items():
        lines = [
            ("a" if predicate == RDF.type else _turtle_term(predicate))
            + " "
            + ", ".join(_turtle_term(o) for o in objects)
            for predicate, objects in predicates.items()
        ]
        out.append(_turtle_term(subject) + " " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(out) + "\n"


def _rdfxml_body(graph: Graph) -> str:
    text = graph.serialize(format="xml")
    start = text.index(">", text.index("<rdf:RDF")) + 1
    end = text.rindex("</rdf:RDF>")
    return text[start:end].strip("\n") + "\n"


def _header(fmt: Format) -> str:
    if fmt.name in ("turtle", "trig"):
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"
    if fmt.name == "rdfxml":
        namespaces = " ".join(f'xmlns:{p}="{ns}"' for p, ns in PREFIXES.items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {namespaces}>\n'
    if fmt.name == "jsonld":
        return "[\n"
    return ""


def _footer(fmt: Format) -> str:
    return {"rdfxml": "</rdf:RDF>\n", "jsonld": "\n]\n"}.get(fmt.name, "")


def _body(fmt: Format, triples: list[Triple], first: bool) -> str:
    if fmt.name in ("turtle", "trig"):
        return _turtle_body(triples)
    graph = _chunk_graph(triples)
    if fmt.name == "rdfxml":
        return _rdfxml_body(graph)
    if fmt.name == "jsonld":
        nodes = json.loads(graph.serialize(format="json-ld"))
        text = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
        return text if first or not text else ",\n" + text
    return graph.serialize(format=fmt.rdflib)


async def serialize(
    triples: AsyncIterator[Triple], fmt: Format, group_size: int = 500
) -> AsyncIterator[str]:
    """Text chunks of one document holding every triple, grouped by subject. Each group is
    serialised in a worker thread: rdflib's writers are CPU-bound, and the event loop that
    awaits this generator keeps serving other requests meanwhile."""
    yield _header(fmt)
    group: list[Triple] = []
    subjects = 0
    current = None
    first = True
    async for triple in triples:
        if triple[0] != current:
            current = triple[0]
            subjects += 1
            if subjects > group_size:
                yield await asyncio.to_thread(_body, fmt, group, first)
                first = False
                group, subjects = [], 1
        group.append(triple)
    if group:
        yield await asyncio.to_thread(_body, fmt, group, first)
    yield _footer(fmt)
