"""The MSKG ontology: the single source of truth for classes, properties and vocabularies.

No I/O happens here; the graph, API, loader and RDF layers derive everything from `ONTOLOGY`.
"""

from __future__ import annotations

from ontology.checks import check_ontology
from ontology.classes import CLASSES, COMMON, RELATION_COMMON
from ontology.model import Ontology
from ontology.relations import RELATIONS
from ontology.vocab import ENUMS

# The label every resource node carries besides its class label.
RESOURCE_LABEL = "Resource"

ONTOLOGY = Ontology(
    classes=CLASSES,
    relations=RELATIONS,
    enums=ENUMS,
    common=COMMON,
    relation_common=RELATION_COMMON,
)
check_ontology(ONTOLOGY)

__all__ = ["ONTOLOGY", "RESOURCE_LABEL", "Ontology"]
