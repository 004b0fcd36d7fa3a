"""The MSKG ontology: the single source of truth for classes, properties and vocabularies.

No I/O happens here; the graph, API, loader and RDF layers derive everything from it.
"""

from __future__ import annotations

# The label every resource node carries besides its class label.
RESOURCE_LABEL = "Resource"
