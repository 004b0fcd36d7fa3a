"""The three user-group operations the benchmark sends, and how it picks their variables.

Variables are read from the graph being measured (not hard-coded), so the same operations run at
seed size and at full scale: the committees that hold liaisons, the concepts with most subjects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

Variables = list[dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    name: str
    query: str
    variables: Callable[[httpx.AsyncClient], Awaitable[Variables]]


async def _data(http: httpx.AsyncClient, query: str) -> dict[str, Any]:
    body = (await http.post("/graphql", json={"query": query})).json()
    if body.get("errors"):
        raise SystemExit(f"could not pick variables: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


async def _committees(http: httpx.AsyncClient) -> Variables:
    data = await _data(http, "{ liaisons(first: 100) { nodes { holder { key } } } }")
    keys = sorted({n["holder"]["key"] for n in data["liaisons"]["nodes"] if n["holder"]})
    return [{"committee": key} for key in keys]


async def _none(http: httpx.AsyncClient) -> Variables:
    return [{}]


async def _concepts(http: httpx.AsyncClient) -> Variables:
    data = await _data(http, "{ concepts(first: 100) { nodes { key } } }")
    return [{"concept": n["key"]} for n in data["concepts"]["nodes"]]


LIAISON = """
query LiaisonView($committee: String!) {
  committee(key: $committee) {
    key
    label(lang: ZH)
    liaisons {
      key category liaisonStatus
      partner { key label }
      contactsEdges { side node { key label } }
      lastExchange { key issued }
      nextDeadline
      statementCount
    }
  }
  awaitingAction(committee: $committee, first: 20) { key deadline overdue prefLabel { zh en } }
  inbox(committee: $committee, first: 20) { key issued purpose from { key } }
}
"""

MAPPING = """
query MappingAndGaps {
  mapping: standards(where: { adopts: { exists: true } }, first: 50) {
    nodes {
      key designation stageCode label(lang: ZH)
      adoptsEdges { degree node { key ... on Standard { designation stageCode standardKind } } }
    }
  }
  internationalWithoutDomestic: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, first: 50) {
    key label ... on Standard { designation }
  }
  domesticWithoutInternational: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, first: 50) {
    key label(lang: ZH) ... on Standard { designation }
  }
}
"""

CONCEPT = """
query ConceptAndAggregation($concept: String!) {
  concept(key: $concept) {
    key label(lang: ZH)
    broader { key label }
    narrower { key label }
    subjectOf(first: 20) { __typename key label }
  }
  standardCounts(groupBy: [STANDARD_KIND, STAGE_CODE]) { count values { value } }
  committeeCounts(groupBy: [COMMITTEE_KIND]) { count values { value } }
}
"""

QUERIES: tuple[Operation, ...] = (
    Operation("liaison view", LIAISON, _committees),
    Operation("mapping + gaps", MAPPING, _none),
    Operation("concept + aggregation", CONCEPT, _concepts),
)
