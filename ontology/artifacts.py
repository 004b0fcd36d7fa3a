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
| `mskg.ttl` | OWL 2 classes and properties, SKOS schemes of the vocabularies, zh/en labels |
| `shapes.ttl` | SHACL shapes the RDF export and import must satisfy |
| `context.jsonld` | JSON-LD context for compact JSON |

## How `mskg.ttl` is built

- **Own classes.** Every MSKG class is `mskg:<Class>` (`mskg:Committee`), declared
  `rdfs:subClassOf` the standard class it specialises (`org:OrganizationalUnit`); labels and
  definitions are on the own class. The data types each node with both, so queries written
  against SKOS, ORG or DCTERMS keep working; the shapes target the own class; an import accepts
  nodes typed with either.
- **Other vocabularies' terms are not annotated.** A term of SKOS, ORG, DCTERMS, FOAF, vCard,
  PROV-O or schema.org appears only in a declaration of its kind (`owl:Class`,
  `owl:ObjectProperty`, `owl:DatatypeProperty`, `owl:AnnotationProperty`), the kind its owner
  gives it (`ontology/external.py`); no labels, domains or ranges are added to it. Where MSKG's
  use would not fit that kind it has its own property (`mskg:scope`, not `org:purpose`, which
  takes concepts); a check fails on any other such misuse. `org:role` keeps its values as
  concepts that are also `org:Role`s (in ORG a role is a `skos:Concept`).
- **IRIs where the vocabulary wants resources.** `vcard:hasEmail` and `vcard:hasTelephone` are
  object properties: a stored `a@b.org` is `<mailto:a@b.org>`, `+86 10 1234` is
  `<tel:+86-10-1234>` (RFC 3966 writes no spaces); `foaf:homepage`, `foaf:page` and
  `schema:url` values are IRIs too. Contact details are still only in signed-in readers' views.
- **Datatypes a reasoner accepts.** OWL 2's datatype map has no `xsd:date`, `xsd:gYear` or
  `xsd:gYearMonth`, and a reasoner (HermiT) rejects an ontology that uses them. Date-valued
  properties therefore have the range `rdfs:Literal`; the data keeps its exact datatypes, which
  the SHACL shapes check. `make test` runs HermiT (through owlready2) on this file, and on it
  together with the seed's export.
"""


def artifacts() -> dict[str, str]:
    """Every generated file's text by name, as `mskg ontology generate` writes it."""
    return {
        "mskg.ttl": ontology_graph().serialize(format="turtle"),
        "shapes.ttl": shapes_graph().serialize(format="turtle"),
        "context.jsonld": json.dumps(jsonld_context(), ensure_ascii=False, indent=2) + "\n",
        "README.md": README,
    }
