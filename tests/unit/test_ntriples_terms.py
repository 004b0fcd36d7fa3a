"""Whole-graph N-Triples and N-Quads are written as text (`NTRIPLES` terms) instead of through
pyoxigraph's term objects and writer: the bytes must be the ones pyoxigraph writes, for every
record the seed holds and for the awkward values it does not."""

from __future__ import annotations

import io
from typing import Any

import pyoxigraph as ox
import pytest

from graph.change_record import EntityChange, LinkChange
from graph.changes import store_changes
from graph.rdf_export import ExportBatch, agent_triples, batch_triples
from loaders.seed import read_seed
from ontology import ONTOLOGY
from ontology.rdf_terms import NTRIPLES, OXIGRAPH

BASE = "https://w3id.org/mskg/"
META = {
    "version": 3,
    "createdAt": "2026-01-02T03:04:05.123456000Z",
    "updatedAt": "2026-02-03T04:05:06Z",
    "createdBy": "seed",
    "updatedBy": "李 editor/1",
}


def _seed_batches() -> list[ExportBatch]:
    seed = read_seed()
    classes = {e.key: e.cls.name for e in seed.entities}
    batches: list[ExportBatch] = []
    for cls in ONTOLOGY.classes:
        rows = [e.row(BASE) for e in seed.entities if e.cls is cls]
        records = [{"p": {**r.props, "key": r.key, "iri": r.iri, **META}} for r in rows]
        if records:
            batches.append(ExportBatch("entity", records, cls=cls))
    for rel in ONTOLOGY.relations:
        links: list[dict[str, Any]] = [
            {
                "ak": r.start,
                "al": classes[r.start],
                "bk": r.end,
                "bl": classes[r.end],
                "p": {**r.props, **META},
            }
            for r in seed.relations
            if r.type == rel.type
        ]
        if links:
            batches.append(ExportBatch("relation", links, rel=rel))
    return batches


def _both(batches: list[ExportBatch], reveal: bool) -> tuple[bytes, bytes]:
    agents_text: set[str] = set()
    text = "".join(
        line for b in batches for line in batch_triples(BASE, b, reveal, NTRIPLES, agents_text)
    )
    text += "".join(agent_triples(BASE, agents_text, NTRIPLES))
    agents_ox: set[str] = set()
    triples: list[Any] = [
        t for b in batches for t in batch_triples(BASE, b, reveal, OXIGRAPH, agents_ox)
    ]
    triples += agent_triples(BASE, agents_ox, OXIGRAPH)
    out = io.BytesIO()
    ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    assert agents_text == agents_ox
    return text.encode(), out.getvalue()


@pytest.mark.parametrize("reveal", [True, False])
def test_the_seed_as_text_is_byte_for_byte_what_pyoxigraph_writes(reveal: bool) -> None:
    text, written = _both(_seed_batches(), reveal)
    assert text == written
    assert text.count(b"\n") > 5000  # every entity and relationship of the seed, not a few


def test_awkward_values_are_spelled_as_pyoxigraph_spells_them() -> None:
    awkward = "".join(chr(c) for c in range(0x20)) + '"quoted" \\back\\slash\x7f\u2028元宇宙😀'
    committee = ONTOLOGY.cls("Committee")
    record = {
        "key": "odd key/with spaces",  # not a valid IRI as it is: percent-encoded
        "prefLabel_zh": awkward,
        "prefLabel_en": "tab\tnew\nline",
        **META,
        "updatedBy": 'agent "with" quotes',
    }
    statement = ONTOLOGY.cls("LiaisonStatement")
    changes = store_changes(
        [
            EntityChange(
                "create", statement.name, "ls-1", None, {"state": "posted", "title_en": awkward}, 1
            ),
            EntityChange("create", committee.name, "c-1", None, {"prefLabel_en": "x"}, 1),
            LinkChange("link", "IN_RESPONSE_TO", "ls-2", "ls-1", None, {}),
        ]
    )
    revision = {
        "id": "rev-1",
        "seq": 7,
        "at": "2026-03-04T05:06:07Z",
        "actor": "editor one",
        "comment": awkward,
        "sources": ["src-a"],
        "changes": changes,
        "approvedBy": "admin",
    }
    batches = [
        ExportBatch("entity", [{"p": record}], cls=committee),
        ExportBatch("revision", [{"p": revision}]),
    ]
    for reveal in (True, False):
        text, written = _both(batches, reveal)
        assert text == written
        assert b"\\u0000\\u0001" in text
        assert b"\\b\\t\\n\\u000B\\f\\r" in text
        assert b"odd%20key" in text  # the subject IRI, percent-encoded like pyoxigraph does it
