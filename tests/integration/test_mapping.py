"""The delegates' map and gap lists narrowed by committee and stage, paged, through GraphQL and
the mapping page and its streamed CSV; expectations are worked out from the seed files."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from functools import cache
from typing import Any

import httpx

from graph.driver import AsyncDriver
from loaders.seed import SeedData, read_seed
from ontology.vocab import DOMESTIC_PROJECT_KINDS, DOMESTIC_STANDARD_KINDS
from tests.conftest import GraphQLClient


@cache
def seed() -> SeedData:
    return read_seed()


def props() -> dict[str, dict[str, Any]]:
    return {e.key: {**e.props, "class": e.cls.name} for e in seed().entities}


def below(body: str) -> set[str]:
    """The body and every body under it (SUB_ORGANIZATION_OF, any depth)."""
    children: dict[str, set[str]] = defaultdict(set)
    for r in seed().relations:
        if r.type == "SUB_ORGANIZATION_OF":
            children[r.end].add(r.start)
    found, todo = {body}, [body]
    while todo:
        for child in children[todo.pop()] - found:
            found.add(child)
            todo.append(child)
    return found


def developed_by(bodies: set[str]) -> set[str]:
    return {r.start for r in seed().relations if r.type == "DEVELOPED_BY" and r.end in bodies}


def domestic(key: str) -> bool:
    p = props()[key]
    return p.get("standardKind") in DOMESTIC_STANDARD_KINDS or (
        p.get("projectKind") in DOMESTIC_PROJECT_KINDS
    )


ADOPTIONS = [(r.start, r.end) for r in seed().relations if r.type == "ADOPTS"]

MAP = """query ($committee: String, $stage: String, $first: Int!, $offset: Int!) {
  adoptionMap(committee: $committee, stage: $stage, first: $first, offset: $offset) {
    total rows { degree domestic { key } international { key } } } }"""
GAPS = """query ($committee: String, $stage: String, $after: String, $first: Int!) {
  gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, committee: $committee, stage: $stage,
       scope: ALL, first: $first, after: $after) { key } }"""


def map_rows(gql: GraphQLClient, **narrowing: Any) -> tuple[int, list[tuple[str, str]]]:
    found = gql.data(
        MAP, {"committee": None, "stage": None, "first": 100, "offset": 0, **narrowing}
    )
    page = found["adoptionMap"]
    return page["total"], [(r["domestic"]["key"], r["international"]["key"]) for r in page["rows"]]


def test_the_map_has_every_adoption_in_domestic_designation_order(
    gql: GraphQLClient, seeded_db: AsyncDriver
) -> None:
    total, rows = map_rows(gql)
    assert total == len(ADOPTIONS)
    assert sorted(rows) == sorted(ADOPTIONS)
    names = [props()[d].get("designation") or d for d, _ in rows]
    assert names == sorted(names)
    # A page further on: the same total, the next row.
    second = gql.data(MAP, {"committee": None, "stage": None, "first": 1, "offset": 1})
    assert second["adoptionMap"]["total"] == total
    assert [r["domestic"]["key"] for r in second["adoptionMap"]["rows"]] == [rows[1][0]]


def test_the_map_keeps_a_row_when_either_side_is_the_committees(
    gql: GraphQLClient, seeded_db: AsyncDriver
) -> None:
    for body in ("sac-tc590", "iso-tc307", "sac"):
        items = developed_by(below(body))
        expected = [(d, i) for d, i in ADOPTIONS if d in items or i in items]
        assert expected, body
        assert sorted(map_rows(gql, committee=body)[1]) == sorted(expected), body
    withdrawn = [
        (d, i)
        for d, i in ADOPTIONS
        if any(str(props()[k].get("stageCode") or "").startswith("95") for k in (d, i))
    ]
    assert withdrawn
    assert map_rows(gql, stage="95")[1] == withdrawn


def all_gaps(gql: GraphQLClient, **narrowing: Any) -> list[str]:
    """Every international gap, page by page (3 at a time) following the last key."""
    keys: list[str] = []
    after = None
    while True:
        page = gql.data(
            GAPS, {"committee": None, "stage": None, "after": after, "first": 3, **narrowing}
        )["gaps"]
        keys += [g["key"] for g in page]
        if len(page) < 3:
            return keys
        after = page[-1]["key"]


def test_gap_pages_follow_the_key_and_narrow_by_committee_and_stage(
    gql: GraphQLClient, seeded_db: AsyncDriver
) -> None:
    everything = gql.data(GAPS, {"committee": None, "stage": None, "after": None, "first": 100})
    keys = [g["key"] for g in everything["gaps"]]
    assert len(keys) < 100  # the seed's whole list fits one page: the pages must add up to it
    assert all_gaps(gql) == keys
    assert keys == sorted(keys)
    assert not any(domestic(k) for k in keys)

    jtc1 = developed_by(below("iso-iec-jtc1"))
    by_jtc1 = all_gaps(gql, committee="iso-iec-jtc1")
    assert by_jtc1
    assert by_jtc1 == [k for k in keys if k in jtc1]
    published = [k for k in keys if str(props()[k].get("stageCode") or "").startswith("60")]
    assert published
    assert all_gaps(gql, stage="60") == published
    assert all_gaps(gql, committee="iso-iec-jtc1", stage="60.60") == [
        k for k in published if k in jtc1 and props()[k]["stageCode"] == "60.60"
    ]


def test_bad_narrowings_are_named(gql: GraphQLClient, seeded_db: AsyncDriver) -> None:
    unknown = gql(GAPS, {"committee": "no-such-body", "stage": None, "after": None, "first": 5})
    assert unknown["errors"][0]["extensions"] == {
        "code": "NOT_FOUND",
        "argument": "committee",
        "key": "no-such-body",
    }
    stage = gql(MAP, {"committee": None, "stage": "6", "first": 5, "offset": 0})
    assert stage["errors"][0]["extensions"]["argument"] == "stage"
    ics = gql('{ gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, ics: "35-240") { key } }')
    assert ics["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "ics"}
    deep = gql(MAP, {"committee": None, "stage": None, "first": 5, "offset": 10_001})
    assert deep["errors"][0]["extensions"]["argument"] == "offset"


def _gap_keys(html: str, table: str) -> list[str]:
    listing = html.split(f'id="gaps-{table}"')[1].split("</ul>")[0]
    return re.findall(r'<li data-key="([^"]+)"', listing)


def test_the_page_pages_through_the_gaps_and_the_csv_streams_them_all(
    http: httpx.Client, gql: GraphQLClient, seeded_db: AsyncDriver
) -> None:
    keys = all_gaps(gql)
    assert len(keys) > 50  # more than a page
    first = http.get("/mapping", params={"lang": "en", "whole": "1"})
    assert first.status_code == 200
    assert _gap_keys(first.text, "intl") == keys[:50]
    next_link = re.search(r'<a href="([^"]+)" id="intl-next">', first.text)
    assert next_link is not None
    second = http.get(next_link.group(1).replace("&amp;", "&"))
    assert _gap_keys(second.text, "intl") == keys[50:100]
    assert 'id="intl-first"' in second.text

    streamed = http.get("/mapping.csv", params={"table": "intl", "whole": "1"})
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("text/csv")
    assert "content-length" not in streamed.headers  # streamed, not built whole
    table = list(csv.DictReader(io.StringIO(streamed.text.lstrip("\ufeff"))))
    assert [r["key"] for r in table] == keys

    sac = http.get("/mapping", params={"lang": "en", "committee": "sac-tc590"})
    assert re.findall(r'data-domestic="([^"]+)"', sac.text) == [
        d for d, i in ADOPTIONS if d in developed_by(below("sac-tc590"))
    ]
    assert 'value="sac-tc590"' in sac.text
    csv_link = re.search(r'href="(/mapping\.csv\?[^"]+)" download', sac.text)
    assert csv_link is not None
    assert "committee=sac-tc590" in csv_link.group(1)
    bad = http.get("/mapping.csv", params={"table": "mapping", "committee": "no-such-body"})
    assert bad.status_code in (400, 404)
    assert bad.json()["detail"]["code"] == "NOT_FOUND"
