"""The derived artifacts published from the declaration, as file name → text.

`mskg ontology generate` writes them into `ontology/generated/`; a test regenerates them and
fails when the committed files differ (as RDF graphs, or as JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

from ontology.context import jsonld_context
from ontology.owl import ontology_graph
from ontology.shacl import shapes_graph

GENERATED_DIR = Path(__file__).with_name("generated")

README = """# Generated files — do not edit

Everything here is derived from the ontology declaration (`ontology/classes.py`,
`ontology/relations.py`, `ontology/vocab.py`). Change those, then run

    .venv/bin/mskg ontology generate

`make test` fails when these files drift from the declaration.

| file | what |
|---|---|
| `mskg.ttl` | OWL/RDFS classes and properties, SKOS schemes of the vocabularies, zh/en labels |
| `shapes.ttl` | SHACL shapes the RDF export and import must satisfy |
| `context.jsonld` | JSON-LD context for compact JSON |
"""


def artifacts() -> dict[str, str]:
    """Every generated file's text by name, as `mskg ontology generate` writes it."""
    return {
        "mskg.ttl": ontology_graph().serialize(format="turtle"),
        "shapes.ttl": shapes_graph().serialize(format="turtle"),
        "context.jsonld": json.dumps(jsonld_context(), ensure_ascii=False, indent=2) + "\n",
        "README.md": README,
    }
