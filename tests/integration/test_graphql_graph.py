"""GraphQL graph questions against the seed graph: counts per group, full-text search,
neighbourhoods and shortest paths — expected values computed from the seed files."""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from functools import cache
from itertools import pairwise, product
from typing import Any

import httpx
import pytest

from graph.driver import AsyncDriver, Connection
from graph.search import search_counts
from loaders.seed import SeedData, read_seed
from tests.conftest import TLS, ApiProcess, GraphQLClient


@cache
def seed() -> SeedData:
    return read_seed()


def seed_entities(class_name: str) -> dict[str, dict[str, Any]]:
    return {e.key: e.props for e in seed().entities if e.cls.name == class_name}


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def group_counts(groups: list[dict[str, Any]]) -> dict[tuple[str | None, ...], int]:
    return {tuple(v["value"] for v in g["values"]): g["count"] for g in groups}


# -- aggregations ---------------------------------------------------------------------------------
def test_standard_counts_per_kind_match_the_seed(gql: GraphQLClient) -> None:
    body = gql("{ standardCounts(groupBy: [STANDARD_KIND]) { count values { dimension value } } }")
    assert "errors" not in body
    groups = body["data"]["standardCounts"]
    assert {v["dimension"] for g in groups for v in g["values"]} == {"STANDARD_KIND"}
    expected = Counter(p.get("standardKind") for p in seed_entities("Standard").values())
    assert group_counts(groups) == {(kind,): n for kind, n in expected.items()}
    # The seed has standards of several kinds and some without one (the MPEG-I parts, X3D).
    assert expected["GB_T"] > 1
    assert expected[None] > 1
    assert sum(g["count"] for g in groups) == len(seed_entities("Standard"))
    counts = [g["count"] for g in groups]
    assert counts == sorted(counts, reverse=True)  # largest group first
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_counts_grouped_by_a_relationship_carry_labels(gql: GraphQLClient) -> None:
    groups = gql.data(
        "{ standardCounts(groupBy: [DEVELOPED_BY]) { count values { dimension value label { zh en } } } }"
    )["standardCounts"]
    developers: dict[str, set[str | None]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "DEVELOPED_BY" and r.start in seed_entities("Standard"):
            developers[r.start].add(r.end)
    expected: Counter[str | None] = Counter()
    for key in seed_entities("Standard"):
        for body in developers.get(key) or {None}:
            expected[body] += 1
    assert group_counts(groups) == {(k,): n for k, n in expected.items()}
    by_value = {g["values"][0]["value"]: g for g in groups}
    # ISO/IEC 18039 is a joint SC 24 / SC 29 title: it counts for both.
    assert {"iso-iec-jtc1-sc24", "iso-iec-jtc1-sc29"} <= developers["iso-iec-18039"]
    assert by_value["etsi-isg-arf"]["count"] > 1
    assert by_value["sac-tc590"]["values"][0]["label"] == {
        "zh": "全国区块链和分布式记账技术标准化技术委员会",
        "en": "National Blockchain and Distributed Ledger Technology Standardization Technical Committee",
    }
    assert by_value[None]["values"][0]["label"] is None


def test_counts_by_two_dimensions_with_a_filter(gql: GraphQLClient) -> None:
    groups = gql.data(
        """{
          standardCounts(groupBy: [DEVELOPED_BY, STAGE_CODE], where: {standardKind: {eq: GB_T}}) {
            count values { dimension value label { en } }
          }
        }"""
    )["standardCounts"]
    assert group_counts(groups) == {
        ("sac-tc242", None): 2,
        ("sac-tc28", "60.60"): 1,
        ("sac-tc28-sc24", None): 1,
        ("sac-tc590", "60.60"): 1,
    }
    for group in groups:
        assert [v["dimension"] for v in group["values"]] == ["DEVELOPED_BY", "STAGE_CODE"]
        assert group["values"][1]["label"] is None  # property values have no label


def test_committee_counts_by_status_and_by_subject(gql: GraphQLClient) -> None:
    data = gql.data(
        """{
          byStatus: committeeCounts(groupBy: [STATUS]) { count values { value } }
          bySubject: committeeCounts(groupBy: [SUBJECTS], where: {subjects: {exists: true}}) {
            count values { value label { zh } }
          }
        }"""
    )
    committees = seed_entities("Committee")
    assert group_counts(data["byStatus"]) == {
        (s,): n for s, n in Counter(p.get("status") for p in committees.values()).items()
    }
    subjects = Counter(
        r.end for r in seed().relations if r.type == "ABOUT" and r.start in committees
    )
    assert group_counts(data["bySubject"]) == {(c,): n for c, n in subjects.items()}
    assert subjects["concept-metaverse"] > 1  # a subject shared by several committees


def test_counts_need_a_dimension(gql: GraphQLClient) -> None:
    body = gql("{ standardCounts(groupBy: []) { count } }")
    assert codes(body) == ["BAD_USER_INPUT"]


# -- search ---------------------------------------------------------------------------------------
SEARCH = """
query Search($text: String!, $types: [EntityType!], $lang: Lang, $first: Int! = 20) {
  search(text: $text, types: $types, lang: $lang, first: $first) {
    score field matchedText entity { __typename key label }
  }
}
"""


def hits(gql: GraphQLClient, **variables: object) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = gql.data(SEARCH, variables)["search"]
    return result


def test_search_chinese_finds_the_blockchain_committee(gql: GraphQLClient) -> None:
    found = hits(gql, text="区块链", types=["Committee"])
    by_key = {h["entity"]["key"]: h for h in found}
    assert set(by_key) == {"sac-tc590", "iso-tc307", "ieee-cs-bdl-sc"}
    hit = by_key["sac-tc590"]
    assert hit["entity"]["__typename"] == "Committee"
    assert hit["field"] == "prefLabel_zh"
    assert hit["matchedText"] == "全国区块链和分布式记账技术标准化技术委员会"
    scores = [h["score"] for h in found]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_search_english_finds_the_blockchain_committee(gql: GraphQLClient) -> None:
    found = hits(gql, text="blockchain", types=["Committee"])
    by_key = {h["entity"]["key"]: h for h in found}
    assert set(by_key) == {"sac-tc590", "iso-tc307", "ieee-cs-bdl-sc"}
    assert by_key["sac-tc590"]["field"] == "prefLabel_en"
    assert by_key["sac-tc590"]["matchedText"] == (
        "National Blockchain and Distributed Ledger Technology Standardization Technical Committee"
    )


def test_search_without_types_spans_classes(gql: GraphQLClient) -> None:
    found = hits(gql, text="区块链", first=50)
    typenames = {h["entity"]["__typename"] for h in found}
    assert {"Committee", "Concept", "Standard", "WorkItem", "Source"} <= typenames
    keys = {h["entity"]["key"] for h in found}
    assert {"concept-blockchain", "iso-22739", "cn-plan-20210929-t-469", "gb-t-42752-2023"} <= keys


def test_search_with_several_types_keeps_exactly_those_classes(gql: GraphQLClient) -> None:
    # The classes become a label expression (`node:Committee|Standard`): the hits of two
    # classes are those of the unrestricted search of those classes, in the same order.
    everything = hits(gql, text="区块链", first=100)
    assert len(everything) < 100  # nothing cut off by the page
    wanted = {"Committee", "Standard"}
    both = hits(gql, text="区块链", types=sorted(wanted), first=100)
    assert {h["entity"]["__typename"] for h in both} == wanted
    assert both == [h for h in everything if h["entity"]["__typename"] in wanted]


def test_search_lang_restricts_to_that_language(gql: GraphQLClient) -> None:
    zh = hits(gql, text="区块链", lang="ZH", first=50)
    assert zh
    assert all(h["field"].endswith("_zh") for h in zh)
    assert "sac-tc590" in {h["entity"]["key"] for h in zh}
    assert hits(gql, text="blockchain", lang="ZH") == []
    en = hits(gql, text="blockchain", lang="EN", types=["Committee"])
    assert {h["entity"]["key"] for h in en} == {"sac-tc590", "iso-tc307", "ieee-cs-bdl-sc"}
    assert all(h["field"].endswith("_en") for h in en)


def test_search_matches_designations_and_alternative_labels(gql: GraphQLClient) -> None:
    found = hits(gql, text="SAC/TC590")
    assert found[0]["entity"]["key"] == "sac-tc590"
    assert found[0]["field"] == "altLabel_en"
    assert found[0]["matchedText"] == "SAC/TC590, TC590"
    mpeg = hits(gql, text="MPEG-V", types=["Standard"])
    assert mpeg[0]["entity"]["key"] == "iso-iec-23005"


def test_search_first_limits_hits(gql: GraphQLClient) -> None:
    assert len(hits(gql, text="metaverse", first=3)) == 3


@pytest.mark.parametrize(
    "text",
    [
        "SAC/TC590",
        "ISO/IEC 23090-14:2025",
        "C/LT",
        "(区块链)",
        '"unbalanced',
        "a* b? c~ [x TO y] {z} ^2 \\ : ! + - && ||",
    ],
)
def test_search_treats_special_characters_as_text(gql: GraphQLClient, text: str) -> None:
    body = gql(SEARCH, {"text": text})
    assert "errors" not in body, body["errors"]
    assert isinstance(body["data"]["search"], list)


@pytest.mark.parametrize("text", ["blockchain AND ledger", "VR OR AR", "NOT", "区块链 AND"])
def test_search_treats_lucene_operator_words_as_text(gql: GraphQLClient, text: str) -> None:
    body = gql(SEARCH, {"text": text})
    assert "errors" not in body, body["errors"]
    assert isinstance(body["data"]["search"], list)


def test_search_boolean_words_are_plain_words(gql: GraphQLClient) -> None:
    # Every word must match; "and" is just a word of the committee's English name.
    found = hits(gql, text="distributed AND ledger", types=["Committee"])
    assert "sac-tc590" in {h["entity"]["key"] for h in found}


@pytest.mark.parametrize("text", ["", "   "])
def test_search_empty_text_is_bad_user_input(gql: GraphQLClient, text: str) -> None:
    body = gql(SEARCH, {"text": text})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "text"
    assert body["extensions"]["cypherRoundTrips"] == 0


# -- neighbourhoods -------------------------------------------------------------------------------
def adjacency(
    skip: frozenset[str] | set[str] = frozenset(), avoid: frozenset[str] | set[str] = frozenset()
) -> dict[str, set[str]]:
    """Who is next to whom in the seed, over relationship types not in `skip`; an entity of a
    class in `avoid` is an end of its relationships but joins nothing (a path cannot pass it)."""
    classes = {e.key: e.cls.name for e in seed().entities}
    adj: dict[str, set[str]] = defaultdict(set)
    for r in seed().relations:
        if r.type in skip:
            continue
        if classes[r.start] not in avoid:
            adj[r.start].add(r.end)
        if classes[r.end] not in avoid:
            adj[r.end].add(r.start)
    return adj


NEIGHBORHOOD = """
query Around($key: String!, $depth: Int!) {
  neighborhood(key: $key, depth: $depth) {
    truncated
    nodes { __typename key label }
    edges { type label { zh en } fromKey toKey sources properties { name value } }
  }
}
"""


def test_neighborhood_depth_one(gql: GraphQLClient) -> None:
    body = gql(NEIGHBORHOOD, {"key": "sac-tc590", "depth": 1})
    assert "errors" not in body
    assert body["extensions"]["cypherRoundTrips"] == 1
    around = body["data"]["neighborhood"]
    assert around["truncated"] is False
    nodes = {n["key"]: n for n in around["nodes"]}
    expected_keys = adjacency()["sac-tc590"] | {"sac-tc590"}
    assert set(nodes) == expected_keys
    assert {"sac", "cesi", "iso-tc307", "concept-blockchain", "gb-t-42752-2023"} <= set(nodes)
    assert nodes["cesi"]["__typename"] == "Organization"
    assert nodes["iso-tc307"]["__typename"] == "Committee"
    assert nodes["concept-blockchain"]["label"] == "Blockchain"
    # Every seed relationship among these entities, and nothing else.
    expected_edges = {
        (r.type, r.start, r.end)
        for r in seed().relations
        if r.start in expected_keys and r.end in expected_keys
    }
    edges = {(e["type"], e["fromKey"], e["toKey"]): e for e in around["edges"]}
    assert set(edges) == expected_edges
    assert len(edges) == len(around["edges"])
    assert ("ABOUT", "iso-tc307", "concept-blockchain") in edges  # among neighbours
    counterpart = edges[("DOMESTIC_COUNTERPART_OF", "sac-tc590", "iso-tc307")]
    assert counterpart["label"] == {"zh": "国内技术对口", "en": "Domestic counterpart of"}
    assert counterpart["sources"] == ["src-renrendoc-iso-22739-idt"]
    assert {"name": "evidence", "value": "ADOPTION_PRACTICE"} in counterpart["properties"]
    secretariat = edges[("SECRETARIAT", "sac-tc590", "cesi")]
    assert secretariat["label"]["en"] == "Secretariat held by"


def test_neighborhood_depth_two_contains_depth_one(gql: GraphQLClient) -> None:
    one = gql.data(NEIGHBORHOOD, {"key": "sac-tc590", "depth": 1})["neighborhood"]
    two = gql.data(NEIGHBORHOOD, {"key": "sac-tc590", "depth": 2})["neighborhood"]
    adj = adjacency()
    level1 = adj["sac-tc590"] | {"sac-tc590"}
    level2 = set().union(*(adj[k] for k in level1)) | level1
    assert two["truncated"] is False
    assert {n["key"] for n in two["nodes"]} == level2
    assert {n["key"] for n in one["nodes"]} <= {n["key"] for n in two["nodes"]}
    assert "iso-22739" in {n["key"] for n in two["nodes"]}  # via 20210929-T-469


@pytest.mark.parametrize("depth", [0, 4])
def test_neighborhood_depth_out_of_range(gql: GraphQLClient, depth: int) -> None:
    body = gql(NEIGHBORHOOD, {"key": "sac-tc590", "depth": depth})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "depth"
    assert body["extensions"]["cypherRoundTrips"] == 0


def test_neighborhood_of_unknown_key_is_not_found(gql: GraphQLClient) -> None:
    body = gql(NEIGHBORHOOD, {"key": "no-such-entity", "depth": 1})
    assert codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["key"] == "no-such-entity"
    assert body["data"] == {"neighborhood": None}


# -- paths ----------------------------------------------------------------------------------------
def shortest_paths(start: str, end: str, adj: dict[str, set[str]] | None = None) -> list[list[str]]:
    adj = adj if adj is not None else adjacency()
    dist = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there in adj[here]:
            if there not in dist:
                dist[there] = dist[here] + 1
                queue.append(there)
    found: list[list[str]] = []
    if end not in dist:
        return found

    def back(path: list[str]) -> None:
        if path[-1] == start:
            found.append(path[::-1])
            return
        for prev in adj[path[-1]]:
            if dist.get(prev) == dist[path[-1]] - 1:
                back([*path, prev])

    back([end])
    return found


PATHS = """
query Paths($from: String!, $to: String!, $maxHops: Int!) {
  paths(from: $from, to: $to, maxHops: $maxHops) {
    length
    nodes { __typename key label }
    edges { type fromKey toKey }
  }
}
"""


def test_shortest_paths_between_two_committees(gql: GraphQLClient) -> None:
    body = gql(PATHS, {"from": "sac-tc590", "to": "iso-tmb", "maxHops": 4})
    assert "errors" not in body
    assert body["extensions"]["cypherRoundTrips"] == 1
    found = body["data"]["paths"]
    assert found
    relations = {(r.type, r.start, r.end) for r in seed().relations}
    for path in found:
        keys = [n["key"] for n in path["nodes"]]
        assert keys[0] == "sac-tc590"
        assert keys[-1] == "iso-tmb"
        assert path["length"] == len(path["edges"]) == len(keys) - 1 == 3
        for i, edge in enumerate(path["edges"]):
            # consecutive entities are joined by the listed relationship, in either direction
            assert {edge["fromKey"], edge["toKey"]} == {keys[i], keys[i + 1]}
            assert (edge["type"], edge["fromKey"], edge["toKey"]) in relations
    expected = shortest_paths("sac-tc590", "iso-tmb")
    # Two bodies joined by two relationships (ISO/TC 307 is under ISO, and ISO approved it) give
    # two paths through the same entities: every shortest path is one per choice of edges.
    joining: dict[frozenset[str], list[str]] = {}
    for rel_type, start, end in relations:
        joining.setdefault(frozenset((start, end)), []).append(rel_type)
    expected_paths = sorted(
        (tuple(keys), types)
        for keys in expected
        for types in product(*(joining[frozenset(pair)] for pair in pairwise(keys)))
    )
    assert (
        sorted(
            (tuple(n["key"] for n in p["nodes"]), tuple(e["type"] for e in p["edges"]))
            for p in found
        )
        == expected_paths
    )
    assert ["sac-tc590", "iso-tc307", "iso", "iso-tmb"] in expected
    assert ["sac-tc590", "cesi", "iso-iec-jseg15", "iso-tmb"] in expected


def test_paths_beyond_max_hops_are_empty(gql: GraphQLClient) -> None:
    assert gql.data(PATHS, {"from": "sac-tc590", "to": "iso-tmb", "maxHops": 2}) == {"paths": []}


def test_paths_max_hops_out_of_range(gql: GraphQLClient) -> None:
    body = gql(PATHS, {"from": "sac-tc590", "to": "iso-tmb", "maxHops": 7})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["extensions"]["cypherRoundTrips"] == 0


@pytest.mark.parametrize(
    ("text", "types", "lang"),
    [("区块链", None, None), ("blockchain", ["Committee"], "EN"), ("SAC/TC590", None, None)],
)
def test_search_without_the_matched_field_finds_the_same_hits(
    gql: GraphQLClient, text: str, types: list[str] | None, lang: str | None
) -> None:
    variables = {"text": text, "types": types, "lang": lang, "first": 50}
    lean = """query S($text: String!, $types: [EntityType!], $lang: Lang, $first: Int!) {
      search(text: $text, types: $types, lang: $lang, first: $first) {
        score entity { __typename key label }
      }
    }"""
    full = """query S($text: String!, $types: [EntityType!], $lang: Lang, $first: Int!) {
      search(text: $text, types: $types, lang: $lang, first: $first) {
        score field entity { __typename key label }
      }
    }"""
    by_fragment = """query S($text: String!, $types: [EntityType!], $lang: Lang, $first: Int!) {
      search(text: $text, types: $types, lang: $lang, first: $first) { ...Hit }
    }
    fragment Hit on SearchHit { score field matchedText entity { __typename key label } }"""
    lean_body = gql(lean, variables)
    assert "errors" not in lean_body, lean_body["errors"]
    assert lean_body["extensions"]["cypherRoundTrips"] == 1
    lean_hits = lean_body["data"]["search"]
    assert lean_hits
    full_hits = gql.data(full, variables)["search"]
    assert lean_hits == [{k: v for k, v in h.items() if k != "field"} for h in full_hits]
    assert all(h["field"] for h in full_hits)
    fragment_hits = gql.data(by_fragment, variables)["search"]
    assert [(h["field"], h["entity"]) for h in fragment_hits] == [
        (h["field"], h["entity"]) for h in full_hits
    ]
    assert all(h["matchedText"] for h in fragment_hits)


def test_search_pages_and_counts_every_match(gql: GraphQLClient) -> None:
    text = "元宇宙"
    counts = gql.data(
        "query ($t: String!) { searchCounts(text: $t) { total capped byType { type count } } }",
        {"t": text},
    )["searchCounts"]
    assert counts["capped"] is False
    # More than one page of 100, and a class count for every class of hit.
    assert counts["total"] > 100
    everything = [
        hit
        for offset in (0, 100)
        for hit in gql.data(
            """query ($t: String!, $o: Int!) {
              search(text: $t, first: 100, offset: $o) { entity { __typename key } } }""",
            {"t": text, "o": offset},
        )["search"]
    ]
    assert len(everything) == counts["total"]
    assert len({h["entity"]["key"] for h in everything}) == len(everything)
    by_type = Counter(h["entity"]["__typename"] for h in everything)
    assert {c["type"]: c["count"] for c in counts["byType"]} == dict(by_type)
    assert [c["count"] for c in counts["byType"]] == sorted(by_type.values(), reverse=True)

    paged = """query ($t: String!, $o: Int!) {
      search(text: $t, first: 20, offset: $o) { entity { key } } }"""
    pages = [
        [h["entity"]["key"] for h in gql.data(paged, {"t": text, "o": offset})["search"]]
        for offset in range(0, counts["total"] + 20, 20)
    ]
    assert pages[-1] == []  # past the end: nothing, not an error
    assert [k for page in pages for k in page] == [h["entity"]["key"] for h in everything]

    # One class's pages, and the bound on how deep a search pages.
    committees = hits(gql, text=text, types=["Committee"], first=100)
    assert len(committees) == by_type["Committee"]
    assert [h["entity"]["key"] for h in committees] == [
        h["entity"]["key"] for h in everything if h["entity"]["__typename"] == "Committee"
    ]
    too_deep = gql(paged, {"t": text, "o": 10_001})
    assert too_deep["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "`offset` must be between 0 and 10000" in too_deep["errors"][0]["message"]


async def test_search_counts_stop_at_the_cap(
    seeded_db: AsyncDriver, neo4j_connection: Connection
) -> None:
    db = neo4j_connection.database
    full = await search_counts(seeded_db, db, "元宇宙", None, 10_000)
    capped = await search_counts(seeded_db, db, "元宇宙", None, 5)
    assert capped.capped is True
    assert full.capped is False
    assert sum(capped.by_class.values()) == 5
    assert all(capped.by_class[c] <= full.by_class[c] for c in capped.by_class)
    exact = await search_counts(seeded_db, db, "元宇宙", None, sum(full.by_class.values()))
    assert exact.capped is False
    assert exact.by_class == full.by_class


def test_a_subcommittees_liaisons_roll_up_its_working_groups(
    gql: GraphQLClient, api: ApiProcess
) -> None:
    top = "iso-iec-jtc1-sc24"
    relations = seed().relations
    beneath, grew = {top}, True
    while grew:
        more = {r.start for r in relations if r.type == "SUB_ORGANIZATION_OF" and r.end in beneath}
        grew = not more <= beneath
        beneath |= more
    expected = {
        r.start for r in relations if r.type in ("LIAISON_OF", "LIAISON_WITH") and r.end in beneath
    }
    own = {r.start for r in relations if r.type in ("LIAISON_OF", "LIAISON_WITH") and r.end == top}
    assert len(expected - own) >= 5  # WG 8's liaisons among them
    found = gql.data(
        "query ($k: String!) { liaisonsWithin(committee: $k) { key holder { key } } }", {"k": top}
    )["liaisonsWithin"]
    keys = [liaison["key"] for liaison in found]
    assert keys == sorted(expected)
    assert "liaison-sc24-wg8-ogc" in keys

    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as client:
        page = client.get(f"/liaisons/{top}", params={"lang": "en"}).text
        assert f"({len(expected - own)} more)" in page
        rolled = client.get(f"/liaisons/{top}", params={"lang": "en", "rollup": "1"}).text
    rows = rolled.split('id="liaison-list"')[1].split("</table>")[0]
    assert set(re.findall(r'<tr data-key="([^"]+)"', rows)) == expected
    assert "Show only its own liaisons" in rolled


FILTERED = """
query Filtered($key: String!, $skip: [RelationType!], $only: [RelationType!],
               $types: [EntityType!], $avoid: [EntityType!]) {
  neighborhood(key: $key, depth: 1, skipRelationTypes: $skip, relationTypes: $only,
               types: $types, avoidTypes: $avoid) {
    nodes { __typename key } edges { type fromKey toKey }
  }
}"""


def test_neighborhood_filters_relationship_kinds_and_classes(gql: GraphQLClient) -> None:
    classes = {e.key: e.cls.name for e in seed().entities}
    start = "sac-tc590"
    around = gql.data(FILTERED, {"key": start, "skip": ["ABOUT"], "avoid": ["Concept"]})
    around = around["neighborhood"]
    near = {k for k in adjacency(skip={"ABOUT"})[start] if classes[k] != "Concept"} | {start}
    assert {n["key"] for n in around["nodes"]} == near
    assert "concept-blockchain" in adjacency()[start]  # what the filter left out
    assert not {e["type"] for e in around["edges"]} & {"ABOUT"}

    only = gql.data(
        FILTERED,
        {"key": start, "only": ["SECRETARIAT", "SUB_ORGANIZATION_OF"], "types": ["Organization"]},
    )["neighborhood"]
    kinds = {r.type for r in seed().relations} - {"SECRETARIAT", "SUB_ORGANIZATION_OF"}
    orgs = {k for k in adjacency(skip=kinds)[start] if classes[k] == "Organization"} | {start}
    assert {n["key"] for n in only["nodes"]} == orgs
    assert {"cesi", "sac"} <= orgs
    assert {e["type"] for e in only["edges"]} <= {"SECRETARIAT", "SUB_ORGANIZATION_OF"}


def test_shortest_paths_can_avoid_topic_concepts(gql: GraphQLClient) -> None:
    query = """query ($avoid: [EntityType!]) {
      paths(from: "sac-tc590", to: "ieee-cts-msc", maxHops: 6, avoidTypes: $avoid) {
        nodes { __typename key } } }"""
    every = gql.data(query, {"avoid": None})["paths"]
    assert any(n["__typename"] == "Concept" for p in every for n in p["nodes"])
    found = gql.data(query, {"avoid": ["Concept"]})["paths"]
    expected = shortest_paths("sac-tc590", "ieee-cts-msc", adjacency(avoid={"Concept"}))
    assert expected
    assert len(expected[0]) > len(every[0]["nodes"])  # the detour is longer
    assert {tuple(n["key"] for n in p["nodes"]) for p in found} == {tuple(k) for k in expected}
    assert all(n["__typename"] != "Concept" for p in found for n in p["nodes"])


def test_counts_filtered_on_a_related_key_count_each_entity_once(gql: GraphQLClient) -> None:
    """Counts whose filter names a related entity's key start from that entity (as lists do);
    an entity related to two of the keys is still one entity."""
    bodies = {"iso-iec-jtc1-sc24", "iso-iec-jtc1-sc29"}
    developed = {r.start for r in seed().relations if r.type == "DEVELOPED_BY" and r.end in bodies}
    standards = seed_entities("Standard")
    expected = Counter(standards[k].get("stageCode") for k in developed if k in standards)
    assert "iso-iec-18039" in developed  # developed by both: counted once
    body = gql(
        "query ($keys: [String!]!) { standardCounts(groupBy: [STAGE_CODE], "
        "where: {developedBy: {some: {key: {in: $keys}}}}) { count values { value } } }",
        {"keys": sorted(bodies)},
    )
    assert "errors" not in body
    found = {g["values"][0]["value"]: g["count"] for g in body["data"]["standardCounts"]}
    assert found == dict(expected)
    kind = gql(
        "{ standardCounts(groupBy: [STAGE_CODE], where: {developedBy: {some: {key: "
        '{eq: "iso-iec-jtc1-sc29"}}}, standardKind: {eq: IS}}) { count values { value } } }'
    )["data"]["standardCounts"]
    sc29 = {r.start for r in seed().relations if r.type == "DEVELOPED_BY" and r.end == "iso-iec-jtc1-sc29"}  # fmt: skip
    expected_is = Counter(
        standards[k].get("stageCode")
        for k in sc29
        if k in standards and standards[k].get("standardKind") == "IS"
    )
    assert {g["values"][0]["value"]: g["count"] for g in kind} == dict(expected_is)


def test_history_caps_the_changes_of_each_revision_and_counts_them_all(gql: GraphQLClient) -> None:
    query = """query ($cap: Int) { history(key: "sac-tc590", first: 5, changesPerRevision: $cap) {
      seq changeCount changes { kind key fromKey toKey } } }"""
    whole = gql.data(query, {"cap": None})["history"]
    capped = gql.data(query, {"cap": 2})["history"]
    assert [r["seq"] for r in capped] == [r["seq"] for r in whole]
    busy = next(r for r in whole if len(r["changes"]) > 2)  # the seed revision: many changes
    kept = next(r for r in capped if r["seq"] == busy["seq"])
    assert kept["changeCount"] == busy["changeCount"] == len(busy["changes"])
    assert kept["changes"] == busy["changes"][:2]
    assert all(r["changeCount"] == len(r["changes"]) for r in whole)
    bad = gql(query, {"cap": -1})
    assert bad["errors"][0]["extensions"]["argument"] == "changesPerRevision"


def test_the_entity_page_shows_the_first_changes_of_a_big_revision(
    http: httpx.Client, gql: GraphQLClient
) -> None:
    # Forty-odd entities are about the metaverse, all written by the seed's one revision.
    query = '{ history(key: "concept-metaverse", first: 5) { seq changeCount } }'
    revisions = gql.data(query)["history"]
    busy = next(r for r in revisions if r["changeCount"] > 20)
    page = http.get("/entity/concept-metaverse", params={"lang": "en"}).text
    article = page.split(f'data-seq="{busy["seq"]}"')[1].split("</article>")[0]
    assert f"… and {busy['changeCount'] - 20} more changes" in article
