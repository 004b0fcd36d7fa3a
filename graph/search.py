"""Full-text search over zh and en labels (Lucene, CJK analyzer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from graph.compile import Params, projection
from graph.gateway import MapMaker, as_dict, read
from graph.records import Entity, native_tree
from graph.schema import FULLTEXT_INDEX, searchable_fields
from graph.selection import Selection
from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import LANGUAGES

DESIGNATION_FIELD = "designation"
DESIGNATION_BOOST = 4


def lucene_query(text: str) -> str:
    """User text → a Lucene query in which every term must match and nothing is syntax.

    Each word is quoted (so AND/OR/NOT and special characters are plain text); for Han text a
    quoted run is a phrase of the CJK analyzer's bigrams, i.e. the text occurs as a substring.
    """
    terms = []
    for word in text.split():
        escaped = word.replace("\\", "\\\\").replace('"', '\\"')
        terms.append(f'"{escaped}"')
    return " AND ".join(terms)


def fulltext_query(text: str, lang: str | None = None) -> str:
    """The Lucene query for user text: every word must match (in `lang`'s fields and the
    language-neutral ones when given); empty when the text has no words."""
    terms = lucene_query(text)
    if not terms:
        return ""
    # A body's or standard's own designation ("SAC/TC590", "ISO 22739:2024") outranks the
    # labels of the liaisons, statements and editions that mention it.
    boosted = f"{DESIGNATION_FIELD}:({terms})^{DESIGNATION_BOOST}"
    if lang is None:
        return f"({terms}) OR {boosted}"
    return " OR ".join(
        boosted if name == DESIGNATION_FIELD else f"{name}:({terms})" for name in _fields_for(lang)
    )


@dataclass(frozen=True)
class SearchHit:
    entity: Entity
    score: float
    field: str  # the stored property that matched best, e.g. prefLabel_zh
    projected: dict[str, Any] | None = None  # the entity projected as asked (see `selection`)


def _matched_field(entity: Entity, text: str, lang: str | None) -> str:
    needle = text.lower()
    words = [w for w in needle.split() if w]
    fields = _fields_for(lang)
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


def _fields_for(lang: str | None) -> list[str]:
    fields = list(searchable_fields())
    if lang is None:
        return fields
    suffixes = tuple(f"_{code}" for code in LANGUAGES)
    return [f for f in fields if f.endswith(f"_{lang}") or not f.endswith(suffixes)]


@dataclass(frozen=True)
class ProjectedHit:
    """A hit as the caller's selection asked for it, without the matched field."""

    score: float
    projected: dict[str, Any]


def _statement(
    text: str,
    classes: Sequence[str] | None,
    limit: int,
    lang: str | None,
    selection: Selection | None,
    returns: str,
    offset: int = 0,
) -> tuple[str, dict[str, Any]] | None:
    """The full-text statement returning one row: the list of `returns` (with `{projected}`
    filled in) per hit, best first (one record, since the driver's cost is per record)."""
    query = fulltext_query(text, lang)
    if not query:
        return None
    # Class names from the ontology (never the caller's text) as a label expression: Neo4j
    # tests a label token per hit instead of walking each hit's labels against a list.
    labels = "|".join(sorted({ONTOLOGY.cls(name).name for name in classes})) if classes else None
    params = Params()
    params.values.update({"query": query, "limit": limit, "offset": offset})
    projected = projection("node", selection, params) if selection is not None else "null"
    wanted = f" AND node:{labels}" if labels else ""
    statement = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node, score
WHERE node:{RESOURCE_LABEL}{wanted}
WITH node, score ORDER BY score DESC, node.key SKIP $offset LIMIT $limit
RETURN collect({returns.format(projected=projected)}) AS hits
"""
    return statement, params.values


async def search(
    driver: AsyncDriver,
    database: str,
    text: str,
    classes: Sequence[str] | None = None,
    limit: int = 20,
    lang: str | None = None,
    selection: Selection | None = None,
    offset: int = 0,
) -> list[SearchHit]:
    """Entities whose labels, alternative labels or designations match `text`, best first,
    `limit` of them after the first `offset`.

    With `lang`, only that language's texts (and language-neutral designations) are searched.
    """
    built = _statement(
        text,
        classes,
        limit,
        lang,
        selection,
        "[labels(node), properties(node), score, {projected}]",
        offset,
    )
    if built is None:
        return []
    records = await read(driver, database, *built)
    hits = []
    for labels, props, score, item in records[0]["hits"]:
        entity = Entity.from_record(labels, props)
        hits.append(
            SearchHit(
                entity,
                float(score),
                _matched_field(entity, text, lang),
                native_tree(item) if item is not None else None,
            )
        )
    return hits


async def search_projected(
    driver: AsyncDriver,
    database: str,
    text: str,
    classes: Sequence[str] | None,
    limit: int,
    lang: str | None,
    selection: Selection,
    make_map: MapMaker = as_dict,
    offset: int = 0,
) -> list[ProjectedHit]:
    """The hits of `search`, in the same order, carrying only `selection`'s projection (maps
    made by `make_map`): for callers that do not need the matched field (which needs every
    searchable property)."""
    built = _statement(text, classes, limit, lang, selection, "[score, {projected}]", offset)
    if built is None:
        return []
    records = await read(driver, database, *built, make_map=make_map)
    return [ProjectedHit(float(score), item) for score, item in records[0]["hits"]]


@dataclass(frozen=True)
class SearchCounts:
    """How many entities of each class match, counting at most `cap` hits in all."""

    by_class: dict[str, int]
    capped: bool  # more than `cap` entities match: the counts are of the best `cap`


async def search_counts(
    driver: AsyncDriver, database: str, text: str, lang: str | None, cap: int
) -> SearchCounts:
    """The matches of `search` counted per class, best `cap` first (one round trip): what a
    results page needs to say "50 of 97" and offer each class's share."""
    query = fulltext_query(text, lang)
    if not query:
        return SearchCounts({}, False)
    hits = f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node"
    # Hits come best first: the best `cap` are counted, and one more tells whether that was all.
    statement = f"""
CALL () {{
  {hits} WITH node LIMIT $cap WHERE node:{RESOURCE_LABEL}
  WITH [l IN labels(node) WHERE l <> '{RESOURCE_LABEL}'][0] AS cls, count(*) AS n
  RETURN collect([cls, n]) AS counts
}}
CALL () {{ {hits} WITH node SKIP $cap LIMIT 1 RETURN count(*) > 0 AS more }}
RETURN counts, more
"""
    rows = await read(driver, database, statement, {"query": query, "cap": cap})
    counts = {str(cls): int(n) for cls, n in rows[0]["counts"] if cls is not None}
    return SearchCounts(counts, bool(rows[0]["more"]))
