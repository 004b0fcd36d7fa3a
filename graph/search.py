"""Full-text search over zh and en labels (Lucene, CJK analyzer)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import AsyncDriver

from graph.records import Entity
from graph.schema import FULLTEXT_INDEX, searchable_fields
from ontology import ONTOLOGY, RESOURCE_LABEL

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def lucene_query(text: str) -> str:
    """User text → a Lucene query in which every term must match and nothing is syntax.

    Han runs become phrase queries (the CJK analyzer's bigrams must be adjacent, i.e. the text
    occurs as a substring); other words are escaped terms.
    """
    terms = []
    for word in text.split():
        escaped = _LUCENE_SPECIAL.sub(r"\\\1", word)
        terms.append(f'"{escaped}"' if _HAN.search(word) else escaped)
    return " AND ".join(terms)


@dataclass(frozen=True)
class SearchHit:
    entity: Entity
    score: float
    field: str  # the stored property that matched best, e.g. prefLabel_zh


def _matched_field(entity: Entity, text: str) -> str:
    needle = text.lower()
    words = [w for w in needle.split() if w]
    fields = searchable_fields()
    for name in fields:  # a field containing the whole text wins
        values = entity.props.get(name)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and needle in value.lower():
                return name
    for name in fields:  # else the first field containing any word
        values = entity.props.get(name)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and any(w in value.lower() for w in words):
                return name
    return "prefLabel_en" if entity.props.get("prefLabel_en") else "prefLabel_zh"


async def search(
    driver: AsyncDriver,
    database: str,
    text: str,
    classes: Sequence[str] | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Entities whose labels, alternative labels or designations match `text`, best first."""
    query = lucene_query(text)
    if not query:
        return []
    labels = [ONTOLOGY.cls(name).name for name in classes] if classes else None
    records, _, _ = await driver.execute_query(
        f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node, score
WHERE node:{RESOURCE_LABEL} AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
RETURN labels(node) AS l, properties(node) AS p, score
ORDER BY score DESC, node.key
LIMIT $limit
""",
        parameters_={"query": query, "labels": labels, "limit": limit},
        database_=database,
        routing_="r",
    )
    hits = []
    for record in records:
        entity = Entity.from_record(record["l"], record["p"])
        hits.append(SearchHit(entity, float(record["score"]), _matched_field(entity, text)))
    return hits
