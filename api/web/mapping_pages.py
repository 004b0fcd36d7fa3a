"""Mapping and gaps for delegates: domestic ↔ international adoptions with degree and stages,
the gaps both ways, optionally within a concept area, as a page and as CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.web import operations
from api.web.browse import failed, failed_json
from api.web.gql import GqlResult, execute
from api.web.i18n import Lang, request_lang
from api.web.render import class_label, enum_label, page
from api.web.session import signed_in
from graph.accounts import Account

router = APIRouter(include_in_schema=False)
TABLES = ("mapping", "intl", "domestic")


def _area(concepts: list[dict[str, Any]], key: str) -> set[str] | None:
    """The concept and everything narrower (None: no filter)."""
    if not key:
        return None
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        found.add(node["key"])
        for child in node.get("narrower") or []:
            walk(child)

    for concept in concepts:
        if concept["key"] == key:
            walk(concept)
    return found or {key}


def _rows(data: dict[str, Any], area: set[str] | None) -> list[dict[str, Any]]:
    rows = []
    for domestic in (*data["workItems"]["nodes"], *data["standards"]["nodes"]):
        for edge in domestic["adoptsEdges"]:
            intl = edge["node"]
            about = {s["key"] for s in (*domestic["subjects"], *(intl.get("subjects") or []))}
            if area is not None and not about & area:
                continue
            rows.append({"domestic": domestic, "international": intl, "degree": edge["degree"]})
    rows.sort(key=lambda r: r["domestic"].get("designation") or r["domestic"]["key"])
    return rows


async def _load(
    request: Request, account: Account | None, concept: str
) -> tuple[GqlResult, list[dict[str, Any]], list[dict[str, Any]]]:
    lang = request_lang(request)
    areas = await execute(request, account, operations.CONCEPT_AREAS, {"lang": lang.upper()})
    if areas.errors:
        return areas, [], []
    concepts = areas.data["concepts"]["nodes"]
    result = await execute(
        request, account, operations.MAPPING, {"lang": lang.upper(), "concept": concept or None}
    )
    if result.errors:
        return result, [], concepts
    return result, _rows(result.data, _area(concepts, concept)), concepts


@router.get("/mapping", response_class=HTMLResponse)
async def mapping(request: Request, concept: str = "") -> Response:
    account = await signed_in(request)
    result, rows, concepts = await _load(request, account, concept)
    if result.errors:
        return failed(request, account, result)
    return page(
        request,
        "mapping.html",
        account,
        concept=concept,
        concepts=sorted(concepts, key=lambda c: c["label"]),
        rows=rows,
        intl=result.data["intl"],
        domestic=result.data["domestic"],
    )


def _csv_rows(
    table: str, result: GqlResult, rows: list[dict[str, Any]], lang: Lang
) -> list[list[str]]:
    if table == "mapping":
        head = [
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
        out = [head]
        for row in rows:
            d, i = row["domestic"], row["international"]
            out.append(
                [
                    d["key"],
                    d.get("designation") or "",
                    d["label"],
                    d.get("stageCode") or d.get("nativeStage") or "",
                    row["degree"] or "",
                    enum_label("AdoptionDegree", row["degree"], lang),
                    i["key"],
                    i.get("designation") or "",
                    i["label"],
                    i.get("stageCode") or i.get("nativeStage") or "",
                ]
            )
        return out
    out = [["key", "class", "designation", "label", "stage"]]
    for item in result.data[table]:
        out.append(
            [
                item["key"],
                class_label(item["__typename"], lang),
                item.get("designation") or "",
                item["label"],
                item.get("stageCode") or "",
            ]
        )
    return out


@router.get("/mapping.csv")
async def mapping_csv(request: Request, concept: str = "", table: str = "mapping") -> Response:
    account = await signed_in(request)
    lang = request_lang(request)
    if table not in TABLES:
        return Response(
            f"unknown table {table!r}; use one of {', '.join(TABLES)}\n",
            status_code=400,
            media_type="text/plain; charset=utf-8",
        )
    result, rows, _ = await _load(request, account, concept)
    if result.errors:
        return failed_json(result)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_csv_rows(table, result, rows, lang))
    area = re.sub(r"[^a-z0-9.-]", "", concept)  # the key goes into a header: keep it plain
    name = f"mskg-{table}{'-' + area if area else ''}.csv"
    return Response(
        # A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
