"""Mapping and gaps for delegates: domestic ↔ international adoptions with degree and stages,
and the gaps both ways, narrowed by concept area, committee, ICS class and stage, a page at a
time; each table streams whole as CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from api.graphql.analysis import MAX_OFFSET
from api.web import operations
from api.web.browse import failed, failed_json
from api.web.gql import GqlResult, execute
from api.web.i18n import STAGE_GROUPS, Lang, request_lang
from api.web.render import class_label, enum_label, page
from api.web.session import signed_in
from graph.accounts import Account
from ontology.classes import KEY_PATTERN
from ontology.vocab import ICS_CODE, STAGE_PREFIX

router = APIRouter(include_in_schema=False)
TABLES = ("mapping", "intl", "domestic")
MAP_PAGE = 50
GAP_PAGE = 50
CSV_PAGE = 100  # rows per GraphQL page while a CSV streams
_KEY = re.compile(KEY_PATTERN)
_ICS = re.compile(ICS_CODE)
_STAGE = re.compile(STAGE_PREFIX)


@dataclass(frozen=True)
class Narrowing:
    """The page's filters as the URL gives them; a malformed value is dropped rather than an
    error page (it came from a hand-edited URL), an unknown key is the API's NOT_FOUND."""

    concept: str = ""
    committee: str = ""
    ics: str = ""
    stage: str = ""
    whole: bool = False  # every catalogue item, not only the relevant ones

    @classmethod
    def from_query(
        cls,
        concept: str = "",
        committee: str = "",
        ics: str = "",
        stage: str = "",
        whole: str = "",
    ) -> Narrowing:
        """The filters of the query string (a FastAPI dependency of both routes)."""
        committee, ics = committee.strip(), ics.strip()
        return cls(
            concept=concept if _KEY.fullmatch(concept) else "",
            committee=committee if _KEY.fullmatch(committee) else "",
            ics=ics if _ICS.fullmatch(ics) else "",
            stage=stage if _STAGE.fullmatch(stage) else "",
            whole=whole == "1",
        )

    def variables(self, lang: Lang) -> dict[str, Any]:
        return {
            "lang": lang.upper(),
            "concept": self.concept or None,
            "committee": self.committee or None,
            "ics": self.ics or None,
            "stage": self.stage or None,
            "scope": "ALL" if self.whole else "RELEVANT",
        }

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (for links to other pages and the CSV)."""
        values = {
            "concept": self.concept,
            "committee": self.committee,
            "ics": self.ics,
            "stage": self.stage,
            "whole": "1" if self.whole else "",
        }
        return {k: v for k, v in values.items() if v}


Filters = Annotated[Narrowing, Depends(Narrowing.from_query)]


@router.get("/mapping", response_class=HTMLResponse)
async def mapping(
    request: Request,
    narrowing: Filters,
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
    intl_after: str = "",
    domestic_after: str = "",
) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    variables = {
        **narrowing.variables(lang),
        "first": MAP_PAGE,
        "offset": offset,
        # One more than a page: whether there is a next page, without counting every gap.
        "gapFirst": GAP_PAGE + 1,
        "intlAfter": intl_after or None,
        "domesticAfter": domestic_after or None,
    }
    result = await execute(request, account, operations.MAPPING, variables)
    if result.errors:
        return failed(request, account, result)
    data = result.data
    gaps = {}
    for table, after in (("intl", intl_after), ("domestic", domestic_after)):
        items = data[table]
        more = len(items) > GAP_PAGE
        gaps[table] = {
            "items": items[:GAP_PAGE],
            "after": after,
            "next": {**narrowing.params(), f"{table}_after": items[GAP_PAGE - 1]["key"]}
            if more
            else None,
        }
    return page(
        request,
        "mapping.html",
        account,
        narrowing=narrowing,
        filters=narrowing.params(),
        concepts=sorted(data["concepts"]["nodes"], key=lambda c: c["label"]),
        stages=[(code, zh if lang == "zh" else en) for code, (zh, en) in STAGE_GROUPS.items()],
        rows=data["map"]["rows"],
        total=data["map"]["total"],
        offset=offset,
        page_size=MAP_PAGE,
        gaps=gaps,
    )


def _stage(item: dict[str, Any]) -> str:
    return item.get("stageCode") or item.get("nativeStage") or ""


MAPPING_HEAD = [
    "domestic_key",
    "domestic_designation",
    "domestic_label",
    "domestic_stage",
    "degree",
    "degree_label",
    "international_key",
    "international_designation",
    "international_label",
    "international_stage",
]
GAP_HEAD = ["key", "class", "designation", "label", "stage"]


def _mapping_line(row: dict[str, Any], lang: Lang) -> list[str]:
    d, i = row["domestic"], row["international"]
    return [
        d["key"],
        d.get("designation") or "",
        d["label"],
        _stage(d),
        row["degree"] or "",
        enum_label("AdoptionDegree", row["degree"], lang),
        i["key"],
        i.get("designation") or "",
        i["label"],
        _stage(i),
    ]


def _gap_line(item: dict[str, Any], lang: Lang) -> list[str]:
    return [
        item["key"],
        class_label(item["__typename"], lang),
        item.get("designation") or "",
        item["label"],
        _stage(item),
    ]


def _lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


async def _pages(
    request: Request, account: Account | None, table: str, variables: dict[str, Any]
) -> AsyncGenerator[GqlResult, None]:
    """Every page of one table: the map by offset, a gap list by key."""
    if table == "mapping":
        for offset in range(0, MAX_OFFSET + 1, CSV_PAGE):
            result = await execute(
                request,
                account,
                operations.ADOPTION_MAP,
                {**variables, "first": CSV_PAGE, "offset": offset},
            )
            yield result
            if result.errors or len(result.data["adoptionMap"]["rows"]) < CSV_PAGE:
                return
        return
    direction = (
        "INTERNATIONAL_WITHOUT_DOMESTIC" if table == "intl" else "DOMESTIC_WITHOUT_INTERNATIONAL"
    )
    after = None
    while True:
        result = await execute(
            request,
            account,
            operations.GAPS,
            {**variables, "direction": direction, "first": CSV_PAGE, "after": after},
        )
        yield result
        if result.errors or len(result.data["gaps"]) < CSV_PAGE:
            return
        after = result.data["gaps"][-1]["key"]


@router.get("/mapping.csv")
async def mapping_csv(
    request: Request,
    narrowing: Filters,
    table: str = "mapping",
) -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    if table not in TABLES:
        return Response(
            f"unknown table {table!r}; use one of {', '.join(TABLES)}\n",
            status_code=400,
            media_type="text/plain; charset=utf-8",
        )
    variables = narrowing.variables(lang)
    pages = _pages(request, account, table, variables)
    # The first page is read before the response starts, so a bad filter or an outage is a
    # proper error status rather than a cut-off download.
    first = await anext(pages)
    if first.errors:
        await pages.aclose()
        return failed_json(first)

    async def lines() -> AsyncIterator[str]:
        # A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
        yield "\ufeff" + _lines([MAPPING_HEAD if table == "mapping" else GAP_HEAD])
        written = 0
        result: GqlResult | None = first
        while result is not None:
            if result.errors:
                # Headers are sent: say so in the file rather than end it silently short.
                yield _lines([[f"# incomplete: {result.errors[0].message}"]])
                return
            if table == "mapping":
                chunk = [_mapping_line(r, lang) for r in result.data["adoptionMap"]["rows"]]
            else:
                chunk = [_gap_line(item, lang) for item in result.data["gaps"]]
            written += len(chunk)
            yield _lines(chunk)
            result = await anext(pages, None)
        if table == "mapping" and written < first.data["adoptionMap"]["total"]:
            # The map pages by offset, which the API bounds; say where the file stops.
            total = first.data["adoptionMap"]["total"]
            yield _lines(
                [[f"# incomplete: {written} of {total} rows; narrow the map to get the rest"]]
            )

    area = "-".join(re.sub(r"[^a-z0-9.-]", "", v) for v in narrowing.params().values())
    name = f"mskg-{table}{'-' + area if area else ''}.csv"
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
