"""The web workspace in headless Chromium: search → entity page, the liaison dashboard, the
mapping table and its CSV, the graph explorer, editing (validation, history, conflict,
proposal and review) and the language switch — all on the seed graph through the real API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import FloatRect, Page, expect

from api.graphql.naming import list_field
from api.web.forms import editable
from api.web.sparql_page import EXAMPLES
from graph.driver import AsyncDriver
from ontology import ONTOLOGY
from tests.browser.conftest import User, attrs, shoot, sign_in, wait_until
from tests.conftest import TLS, ApiProcess, GraphQLClient

RUN = uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def anonymous(api: ApiProcess, seeded_db: AsyncDriver) -> Iterator[GraphQLClient]:
    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30) as http:
        yield GraphQLClient(http)


@pytest.fixture(scope="module")
def as_editor(api: ApiProcess, users: dict[str, User]) -> Iterator[GraphQLClient]:
    headers = {"Authorization": f"Bearer {users['other'].token}"}
    with httpx.Client(verify=TLS, base_url=api.base_url, timeout=30, headers=headers) as http:
        yield GraphQLClient(http)


# -- search and the entity page -------------------------------------------------------------------
async def test_search_pages_through_every_match(page: Page, anonymous: GraphQLClient) -> None:
    query = 'query ($o: Int!) { search(text: "元宇宙", first: 100, offset: $o) { entity { key } } }'
    keys = [
        h["entity"]["key"]
        for offset in (0, 100, 200)
        for h in anonymous.data(query, {"o": offset})["search"]
    ]
    n = len(keys)
    assert 100 < n <= 150  # three pages of 50
    await page.goto("/?lang=en&q=元宇宙")
    await expect(page.locator("#shown")).to_have_text(f"1–50 of {n}")
    facets = [int(c) for c in await page.locator("#facets a[data-type] .count").all_inner_texts()]
    assert sum(facets) == n
    assert await attrs(page, "#hits li", "data-key") == keys[:50]
    await page.click("#next-page")
    await expect(page.locator("#shown")).to_have_text(f"51–100 of {n}")
    assert await attrs(page, "#hits li", "data-key") == keys[50:100]
    assert await page.locator("#hits").get_attribute("start") == "51"
    await page.click("#next-page")
    await expect(page.locator("#shown")).to_have_text(f"101–{n} of {n}")
    assert await attrs(page, "#hits li", "data-key") == keys[100:]
    assert await page.locator("#next-page").count() == 0
    await page.click("#previous-page")
    await expect(page.locator("#shown")).to_have_text(f"51–100 of {n}")
    await page.goto("/?lang=zh&q=元宇宙&page=3")
    await expect(page.locator("#shown")).to_have_text(f"第 101–{n} 条，共 {n} 条")


async def test_search_facets_lead_to_the_entity_page(page: Page, anonymous: GraphQLClient) -> None:
    await page.goto("/?lang=en")
    await page.fill("input[name=q]", "区块链")
    await page.press("input[name=q]", "Enter")
    expected = anonymous.data('{ search(text: "区块链", first: 100) { entity { __typename } } }')[
        "search"
    ]
    by_type: dict[str, int] = {}
    for hit in expected:
        by_type[hit["entity"]["__typename"]] = by_type.get(hit["entity"]["__typename"], 0) + 1
    facets = {
        await link.get_attribute("data-type"): int(await link.locator(".count").inner_text())
        for link in await page.locator("#facets a[data-type]").all()
    }
    assert facets == by_type
    await shoot(page, "search")

    await page.click("#facets a[data-type=Concept]")
    await expect(page).to_have_url(re.compile(r"type=Concept"))
    keys = await attrs(page, "#hits li", "data-key")
    assert keys
    assert keys[0] == "concept-blockchain"
    assert all(k and k.startswith("concept-") for k in keys)

    await page.click("#hits li[data-key=concept-blockchain] a")
    await expect(page.locator("#title")).to_have_text("Blockchain")
    # Relations both ways, grouped by kind: the concept is in a scheme and things are about it.
    outgoing = page.locator("#relations .rel[data-type=IN_SCHEME][data-direction=outgoing]")
    assert await outgoing.count() == 1
    about = page.locator("#relations .rel[data-type=ABOUT][data-direction=incoming] li")
    assert await about.count() >= 1
    assert await page.locator("#sources li a").count() >= 1
    assert await page.locator("#history .revision").count() >= 1
    rdf = await page.locator("#rdf-link").get_attribute("href")
    assert rdf == "/id/concept/concept-blockchain?format=turtle"
    turtle = await page.request.get(rdf)
    assert turtle.ok
    assert "text/turtle" in turtle.headers["content-type"]
    assert "concept-blockchain" in await turtle.text()
    await shoot(page, "entity")


async def test_search_within_one_language(page: Page, anonymous: GraphQLClient) -> None:
    await page.goto("/?q=blockchain&lang=en")
    await page.select_option("#within", "en")
    await page.press("input[name=q]", "Enter")
    await expect(page).to_have_url(re.compile(r"within=en"))
    expected = anonymous.data(
        '{ search(text: "blockchain", lang: EN, first: 50) { entity { key } } }'
    )
    keys = await attrs(page, "#hits li", "data-key")
    assert keys
    assert keys == [hit["entity"]["key"] for hit in expected["search"]]


async def test_a_standards_page_walks_from_the_adopted_edition_to_the_current_one(
    page: Page, seeded_db: AsyncDriver
) -> None:
    """A delegate on a domestic project sees that the edition it adopts was replaced, follows
    the link, and lands on the work's current edition with its stage history."""
    await page.goto("/entity/cn-plan-20210929-t-469?lang=zh")
    adoption = page.locator("#adoptions tr[data-direction=adopts]")
    await expect(adoption).to_have_attribute("data-key", "iso-22739-2020")
    await expect(adoption).to_have_attribute("data-degree", "IDT")
    await adoption.locator("a[data-newer]").click()
    await expect(page.locator("#title")).to_contain_text("ISO 22739:2024")
    current = page.locator("#editions tr.current")
    await expect(current).to_have_count(1)
    await expect(current).to_have_attribute("data-key", "iso-22739-2024")
    await expect(current.locator(".badge")).to_contain_text(["本页", "现行"])
    await expect(page.locator("#stage-history tr[data-key]")).to_have_text(
        [re.compile(r"2024-01\s*60\.60 国际标准已出版")]
    )
    await page.click("#work a")
    adopted = page.locator("#adoptions tr[data-direction=adopted_by]")
    await expect(adopted.locator("a[data-edition]")).to_have_text("ISO 22739:2020")
    await shoot(page, "standard", scroll_to="#standard")


async def test_unknown_entity_is_a_clear_404(page: Page) -> None:
    response = await page.goto("/entity/no-such-thing?lang=en")
    assert response is not None
    assert response.status == 404
    await expect(page.locator("h1")).to_have_text("No such entity")


# -- liaison dashboard ----------------------------------------------------------------------------
CREATE_STATEMENT = """
mutation S($input: LiaisonStatementInput!) { createLiaisonStatement(input: $input) { applied } }"""
CREATE_PERSON = "mutation P($input: PersonInput!) { createPerson(input: $input) { applied } }"
CREATE_LIAISON = "mutation L($input: LiaisonInput!) { createLiaison(input: $input) { applied } }"


def _statement(key: str, deadline: dt.date, title: str) -> dict[str, Any]:
    return {
        "key": key,
        "prefLabel": {"zh": f"联络函 {title}", "en": f"LS {title}"},
        "direction": "INCOMING",
        "state": "RECEIVED",
        "purpose": "FOR_ACTION",
        "replyStatus": "AWAITING",
        "deadline": deadline.isoformat(),
        "links": {"from": [{"key": "sac-tc28"}], "to": [{"key": "iso-iec-jtc1-sc24"}]},
    }


@pytest.fixture(scope="module")
def register(as_editor: GraphQLClient) -> dict[str, str]:
    """Three statements awaiting SC 24's action (created in the order future, old, recent) and
    a liaison whose contact has an e-mail address."""
    today = dt.date.today()
    keys = {
        "future": f"ls-web-{RUN}-future",
        "old": f"ls-web-{RUN}-old",
        "recent": f"ls-web-{RUN}-recent",
    }
    deadlines = {
        "future": today + dt.timedelta(days=400),
        "old": dt.date(2020, 1, 10),
        "recent": today - dt.timedelta(days=20),
    }
    for name in ("future", "old", "recent"):
        variables = {"input": _statement(keys[name], deadlines[name], name)}
        assert as_editor.data(CREATE_STATEMENT, variables)["createLiaisonStatement"]["applied"]
    person = f"person-web-{RUN}"
    as_editor.data(
        CREATE_PERSON,
        {"input": {"key": person, "prefLabel": {"en": "Wang Fang"}, "email": "wang@example.org"}},
    )
    keys["liaison"] = f"liaison-web-{RUN}"
    as_editor.data(
        CREATE_LIAISON,
        {
            "input": {
                "key": keys["liaison"],
                "category": "INTERNAL",
                "liaisonStatus": "ACTIVE",
                "prefLabel": {"en": "SC 24 – SAC/TC28 liaison"},
                "links": {
                    "holder": [{"key": "iso-iec-jtc1-sc24"}],
                    "partner": [{"key": "sac-tc28"}],
                    "contacts": [{"key": person, "properties": {"side": "OWN"}}],
                },
            }
        },
    )
    return keys


async def test_liaison_dashboard_lists_overdue_first(
    page: Page, register: dict[str, str], anonymous: GraphQLClient, users: dict[str, User]
) -> None:
    await page.goto("/liaisons?lang=en")
    await page.select_option("#body", "iso-iec-jtc1-sc24")
    await page.click("#body-picker button")
    await expect(page).to_have_url(re.compile(r"/liaisons/iso-iec-jtc1-sc24\?lang=en"))

    shown = await attrs(page, "#awaiting tr[data-key]", "data-key")
    ours = [k for k in shown if k and k.startswith(f"ls-web-{RUN}")]
    assert ours == [register["old"], register["recent"], register["future"]]
    api_order = anonymous.data('{ awaitingAction(committee: "iso-iec-jtc1-sc24") { key } }')
    assert shown == [s["key"] for s in api_order["awaitingAction"]]
    for name, overdue in (("old", True), ("recent", True), ("future", False)):
        row = page.locator(f"#awaiting tr[data-key='{register[name]}']")
        assert ("overdue" in (await row.get_attribute("class") or "")) is overdue
        assert (await row.locator(".badge.danger").count() == 1) is overdue
    inbox = await attrs(page, "#inbox tr[data-key]", "data-key")
    assert {register[n] for n in ("old", "recent", "future")} <= set(inbox)

    # Anonymous readers see the contact but not the address; a signed-in user sees it.
    liaison = page.locator(f"#liaison-list tr[data-key='{register['liaison']}']")
    await expect(liaison.locator(".contacts")).to_contain_text("Wang Fang")
    assert "wang@example.org" not in await liaison.inner_text()
    await page.select_option("#with", "sac-tc28")
    await page.click("#with + button")
    exchanged = await attrs(page, "#exchanges tr[data-key]", "data-key")
    assert register["old"] in exchanged
    await shoot(page, "liaisons", full_page=True)

    await sign_in(page, users["editor"])
    await page.goto("/liaisons/iso-iec-jtc1-sc24?lang=en")
    liaison = page.locator(f"#liaison-list tr[data-key='{register['liaison']}']")
    await expect(liaison.locator(".contacts")).to_contain_text("wang@example.org")


# -- mapping and gaps -----------------------------------------------------------------------------
async def test_mapping_table_gaps_and_csv(page: Page, anonymous: GraphQLClient) -> None:
    await page.goto("/mapping?lang=en")
    pairs = await _pairs(page)
    assert ("cn-plan-20210929-t-469", "iso-22739-2020") in pairs
    assert ("gb-t-44021-4-2024", "iec-62087-4-2015") in pairs
    await expect(
        page.locator("#mapping-table tr[data-domestic='cn-plan-20210929-t-469']")
    ).to_contain_text("IDT")
    await shoot(page, "mapping")

    async with page.expect_download() as download_info:
        await page.click("#csv-mapping")
    download = await download_info.value
    path = await download.path()
    assert path is not None
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert {(r["domestic_key"], r["international_key"]) for r in table} == pairs
    assert {r["degree"] for r in table} == {"IDT"}

    # Within a concept area (基础标准 and what is narrower: 术语 is): the table keeps what is
    # about the area, the gaps are the API's `gaps(concept:)`.
    area = "concept-foundational-standards"
    await page.select_option("#concept", area)
    await page.click("#area-filter button")
    await expect(page).to_have_url(re.compile(f"concept={area}"))
    assert await _pairs(page) == {("cn-plan-20210929-t-469", "iso-22739-2020")}
    gaps = anonymous.data(
        "query($c: String!) { gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, concept: $c) { key } }",
        {"c": area},
    )["gaps"]
    shown = await attrs(page, "#gaps-intl li[data-key]", "data-key")
    assert shown
    assert shown == [g["key"] for g in gaps]
    gap_csv = await page.request.get(await page.locator("#csv-intl").get_attribute("href") or "")
    assert gap_csv.ok
    assert gap_csv.headers["content-type"].startswith("text/csv")
    body = (await gap_csv.text()).lstrip("\ufeff")
    keys = [r["key"] for r in csv.DictReader(io.StringIO(body))]
    assert keys == shown


async def test_mapping_narrows_by_committee_and_stage_and_pages_the_gaps(
    page: Page, anonymous: GraphQLClient
) -> None:
    """A delegate types a committee and picks a stage; the map keeps the rows with a side in
    it, the gap lists what the API's `gaps` gives for the same filters; then, over the whole
    catalogues, the international gaps page 50 at a time."""
    await page.goto("/mapping?lang=en")
    await page.fill("#committee", "sac-tc590")
    await page.click("#area-filter button")
    await expect(page).to_have_url(re.compile(r"committee=sac-tc590"))
    assert await _pairs(page) == {("cn-plan-20210929-t-469", "iso-22739-2020")}
    await expect(page.locator("#map-total")).to_have_text("1")
    await page.fill("#committee", "")
    await page.select_option("#stage", "60")
    await page.check("#whole")
    await page.click("#area-filter button")
    await expect(page).to_have_url(re.compile(r"stage=60.*whole=1"))
    expected = anonymous.data(
        '{ gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, stage: "60", scope: ALL, first: 50) { key } }'
    )["gaps"]
    shown = await attrs(page, "#gaps-intl li[data-key]", "data-key")
    assert shown
    assert shown == [g["key"] for g in expected]

    await page.select_option("#stage", "")
    await page.click("#area-filter button")
    first_page = await attrs(page, "#gaps-intl li[data-key]", "data-key")
    assert len(first_page) == 50
    await page.click("#intl-next")
    await expect(page).to_have_url(re.compile(r"intl_after="))
    second_page = await attrs(page, "#gaps-intl li[data-key]", "data-key")
    assert second_page
    assert min(k or "" for k in second_page) > max(k or "" for k in first_page)
    await expect(page.locator("#intl-first")).to_be_visible()


async def _pairs(page: Page) -> set[tuple[str | None, str | None]]:
    rows = await page.locator("#mapping-table tr[data-domestic]").all()
    return {
        (await r.get_attribute("data-domestic"), await r.get_attribute("data-international"))
        for r in rows
    }


# -- graph explorer -------------------------------------------------------------------------------
NEIGHBORHOOD = (
    "query($k: String!) { neighborhood(key: $k) { nodes { key } edges { fromKey toKey type } } }"
)


async def _graph_ids(page: Page) -> set[str]:
    await wait_until(page, "window.mskgGraph && window.mskgGraph.ready")
    ids: list[str] = await page.evaluate("window.mskgGraph.cy.nodes().map(n => n.id())")
    return set(ids)


async def test_graph_explorer_draws_and_expands_a_neighbourhood(
    page: Page, anonymous: GraphQLClient
) -> None:
    await page.goto("/graph?key=sac-tc590&lang=en")
    first = anonymous.data(NEIGHBORHOOD, {"k": "sac-tc590"})["neighborhood"]
    assert await _graph_ids(page) == {n["key"] for n in first["nodes"]}
    edge_count = await page.evaluate("window.mskgGraph.cy.edges().length")
    assert edge_count == len({(e["fromKey"], e["type"], e["toKey"]) for e in first["edges"]})
    present = set(await attrs(page, "#legend li.present", "data-type"))
    assert present == {e["type"] for e in first["edges"]}

    # A real click on a neighbour adds its neighbourhood.
    neighbour = next(n["key"] for n in first["nodes"] if n["key"] != "sac-tc590")
    await page.wait_for_timeout(300)  # the layout settles
    box = await page.locator("#cy").bounding_box()
    assert box is not None
    pos = await page.evaluate(
        f"window.mskgGraph.cy.getElementById({neighbour!r}).renderedPosition()"
    )
    await page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    second = anonymous.data(NEIGHBORHOOD, {"k": neighbour})["neighborhood"]
    expected = {n["key"] for n in first["nodes"]} | {n["key"] for n in second["nodes"]}
    await wait_until(page, f"window.mskgGraph.cy.nodes().length === {len(expected)}")
    assert await _graph_ids(page) == expected
    await shoot(page, "graph")


async def test_graph_explorer_filters_relationship_kinds_and_concepts(
    page: Page, anonymous: GraphQLClient
) -> None:
    await page.goto("/graph?key=sac-tc590&lang=en")
    assert "concept-blockchain" in await _graph_ids(page)
    await page.check("#hide-concepts")
    await page.uncheck("#legend input.rel-filter[value=SECRETARIAT]")
    await page.click("#apply-filters")
    await expect(page).to_have_url(re.compile(r"skip=SECRETARIAT.*hide=Concept"))
    expected = anonymous.data(
        """{ neighborhood(key: "sac-tc590", skipRelationTypes: [SECRETARIAT], avoidTypes: [Concept]) {
             nodes { key } edges { type } } }"""
    )["neighborhood"]
    assert await _graph_ids(page) == {n["key"] for n in expected["nodes"]}
    assert "concept-blockchain" not in await _graph_ids(page)
    types: list[str] = await page.evaluate("window.mskgGraph.cy.edges().map(e => e.data('type'))")
    assert "SECRETARIAT" not in types
    assert len(types) == len(expected["edges"])
    # The forms carry the filters on: the next picture is filtered too.
    kept = await attrs(page, "#path-form input[type=hidden][name=skip]", "value")
    assert kept == ["SECRETARIAT"]
    assert not await page.locator("#legend input.rel-filter[value=SECRETARIAT]").is_checked()


async def test_graph_explorer_draws_the_shortest_connection(
    page: Page, anonymous: GraphQLClient
) -> None:
    await page.goto("/graph?source=sac-tc590&target=iso-iec-jseg15&lang=en")
    paths = anonymous.data(
        '{ paths(from: "sac-tc590", to: "iso-iec-jseg15", maxHops: 6) { nodes { key } } }'
    )["paths"]
    assert paths
    assert await _graph_ids(page) == {n["key"] for p in paths for n in p["nodes"]}
    focus: list[str] = await page.evaluate("window.mskgGraph.cy.nodes('.focus').map(n => n.id())")
    assert set(focus) == {"sac-tc590", "iso-iec-jseg15"}
    await shoot(page, "graph-path")


async def _label_shots(page: Page, labels: dict[str, str], font: str | None = None) -> list[bytes]:
    """Screenshots of cytoscape's own drawing of each label, alone on a node of the explorer
    (the node's style as the explorer sets it, or `font` when given)."""
    shots = []
    for n, (key, text) in enumerate(labels.items()):
        await page.evaluate(
            """([key, text, n, font]) => {
                const cy = window.mskgGraph.cy;
                const node = cy.add({ data: { id: key, label: text }, position: { x: 0, y: 0 } });
                if (font) node.style("font-family", font);
                node.style({ "font-size": 28, "text-max-width": 400 });
                node.renderedPosition({ x: 80 + 90 * n, y: 40 });
                return window.mskgGlyphs = window.mskgGraph.loadGlyphs(text);
            }""",
            [key, text, n, font],
        )
        await page.evaluate("window.mskgGlyphs")
        await page.wait_for_timeout(200)  # cytoscape draws on its next frame
        box = await page.evaluate(
            f"window.mskgGraph.cy.getElementById({key!r}).renderedBoundingBox({{includeLabels: true, includeNodes: false}})"
        )
        origin = await page.locator("#cy").bounding_box()
        assert origin is not None
        clip = FloatRect(
            x=origin["x"] + box["x1"], y=origin["y"] + box["y1"], width=box["w"], height=box["h"]
        )
        shots.append(await page.screenshot(clip=clip))
    return shots


async def test_graph_explorer_draws_chinese_labels_in_the_bundled_font(
    page: Page, seeded_db: AsyncDriver
) -> None:
    await page.goto("/graph?key=sac-tc590&lang=zh")
    await wait_until(page, "window.mskgGraph && window.mskgGraph.ready")
    family = await page.evaluate("window.mskgGraph.cy.nodes()[0].style('font-family')")
    assert "Noto Sans SC" in family
    # Without a font that has them, Chinese characters are drawn as one and the same box: two
    # different characters drawn alike mean the canvas shows no Chinese.
    hans = await _label_shots(page, {"glyph-a": "联", "glyph-b": "络"})
    assert hans[0] != hans[1]
    # The same check fails for a font without Chinese on this machine (no system CJK fonts):
    # it can tell boxes from glyphs.
    boxes = await _label_shots(page, {"box-a": "联", "box-b": "络"}, font="monospace")
    if await page.evaluate("!document.fonts.check('28px monospace', '联')"):
        assert boxes[0] == boxes[1]


# -- editing --------------------------------------------------------------------------------------
async def test_edit_shows_the_api_validation_message_then_saves_into_history(
    page: Page, users: dict[str, User]
) -> None:
    await page.goto("/entity/iso-22739?lang=en")
    assert await page.locator("#edit-link").count() == 0  # anonymous readers get no edit link
    await sign_in(page, users["editor"])
    await page.goto("/entity/iso-22739?lang=en")
    await page.click("#edit-link")
    # The form is derived from the ontology: every Standard property, vocabularies as choices.
    for name in ("prefLabel", "designation", "stageCode", "standardKind", "issued", "edition"):
        assert await page.locator(f".field[data-field={name}]").count() == 1
    kinds = await page.locator("select[name=standardKind] option").count()
    assert kinds > 3

    await page.fill("input[name=stageCode]", "sixty")
    await page.fill("input[name=edition]", "2")
    await page.click("#save")
    field = page.locator(".field[data-field=stageCode]")
    await expect(field.locator(".field-error")).to_be_visible()
    assert "invalid" in (await field.get_attribute("class") or "")
    await expect(page.locator("input[name=edition]")).to_have_value("2")  # the user's input is kept
    await shoot(page, "edit-invalid", scroll_to=".field[data-field=designation]")

    await page.fill("input[name=stageCode]", "60.60")
    await page.fill("input[name=comment]", "stage from the ISO catalogue")
    await page.fill("input[name=source_url]", "https://www.iso.org/standard/73771.html")
    await page.click("#save")
    await expect(page.locator("#notice")).to_contain_text("Saved as revision")
    await expect(page.locator("#properties tr[data-property=stageCode]")).to_contain_text("60.60")
    latest = page.locator("#history .revision").first
    await expect(latest.locator(".actor")).to_have_text(users["editor"].name)
    await expect(latest.locator(".comment")).to_have_text("stage from the ISO catalogue")
    await expect(latest.locator("tr[data-field=stageCode] .ins")).to_have_text("60.60")
    await expect(latest.locator("tr[data-field=edition] .ins")).to_have_text("2")
    await shoot(page, "history", scroll_to="#history")


async def test_every_class_has_an_entity_page_and_an_edit_form(
    page: Page, users: dict[str, User], anonymous: GraphQLClient
) -> None:
    fields = " ".join(f"{list_field(c)}(first: 1) {{ nodes {{ key }} }}" for c in ONTOLOGY.classes)
    found = anonymous.data(f"{{ {fields} }}")
    await sign_in(page, users["editor"])
    for cls in ONTOLOGY.classes:
        nodes = found[list_field(cls)]["nodes"]
        assert nodes, f"the seed has no {cls.name}"
        key = nodes[0]["key"]
        shown = await page.request.get(f"/entity/{key}?lang=zh")
        assert shown.status == 200, (cls.name, await shown.text())
        form = await page.request.get(f"/entity/{key}/edit?lang=en")
        assert form.status == 200, (cls.name, await form.text())
        text = await form.text()
        assert text.count('<div class="field ') == len(editable(cls)), cls.name


UPDATE = """
mutation U($key: String!, $v: Int!, $patch: StandardPatch!) {
  updateStandard(key: $key, expectedVersion: $v, patch: $patch, comment: "catalogue check") {
    applied
  }
}"""


async def test_a_conflicting_edit_shows_the_other_change(
    page: Page, users: dict[str, User], as_editor: GraphQLClient
) -> None:
    key = "gb-t-46483-2025"
    await sign_in(page, users["editor"])
    await page.goto(f"/entity/{key}/edit?lang=en")
    version = int(await page.locator("input[name=version]").input_value())

    # Someone else saves first.
    as_editor.data(UPDATE, {"key": key, "v": version, "patch": {"nativeStage": "Published"}})

    await page.fill("input[name=stageCode]", "60.60")
    await page.fill("input[name=nativeStage]", "现行")
    await page.click("#save")
    conflict = page.locator("#conflict")
    await expect(conflict).to_contain_text(
        f"now version {version + 1}; you edited version {version}"
    )
    await expect(conflict.locator(".their-revision")).to_contain_text(users["other"].name)
    await expect(conflict.locator(".their-revision")).to_contain_text("catalogue check")
    row = conflict.locator("tr[data-field=nativeStage]")
    await expect(row.locator(".theirs")).to_have_text("Published")
    await expect(row.locator(".mine")).to_have_text("现行")
    await shoot(page, "conflict")

    await page.click("#save")  # "save my values over theirs", now against the current version
    await expect(page.locator("#notice")).to_contain_text("Saved as revision")
    await expect(page.locator("#properties tr[data-property=nativeStage]")).to_contain_text("现行")


async def test_a_contributor_proposes_and_an_editor_approves(
    page: Page, users: dict[str, User], anonymous: GraphQLClient
) -> None:
    key = "iec-62087-4-2015"
    await sign_in(page, users["contributor"])
    await page.goto(f"/entity/{key}/edit?lang=en")
    await page.fill("textarea[name='note.en']", f"Checked against the IEC webstore ({RUN}).")
    await page.click("#save")
    await expect(page.locator("#notice")).to_contain_text("submitted for an editor's review")
    note = anonymous.data(f'{{ entity(key: "{key}") {{ note {{ en }} }} }}')["entity"]["note"]
    assert note is None or RUN not in (note["en"] or "")

    await page.context.clear_cookies()
    await sign_in(page, users["editor"])
    await page.goto("/proposals?lang=en")
    proposal = page.locator(".proposal", has_text=RUN)
    await expect(proposal).to_contain_text(users["contributor"].name)
    # Only what the proposal would change: the note in English, not the languages left empty.
    shown = await proposal.locator("[data-prop]").evaluate_all(
        "els => els.map(e => e.dataset.prop)"
    )
    assert shown == ["note_en"]
    await shoot(page, "proposals")
    await proposal.locator("button.approve").click()
    await expect(page.locator("#notice")).to_contain_text("approved as revision")
    note = anonymous.data(f'{{ entity(key: "{key}") {{ note {{ en }} }} }}')["entity"]["note"]
    assert RUN in note["en"]


async def test_writes_need_the_csrf_token(page: Page, users: dict[str, User]) -> None:
    await sign_in(page, users["editor"])
    response = await page.request.post(
        "/entity/iso-22739/edit?lang=en", form={"version": "1", "stageCode": "10.00"}
    )
    assert response.status == 403
    assert "security check failed" in await response.text()


async def test_a_wrong_token_is_refused_at_sign_in(page: Page) -> None:
    await page.goto("/signin?lang=en")
    await page.fill("#token", "mskg_nobody_wrong")
    await page.click("form.narrow button[type=submit]")
    await expect(page.locator(".alert.error")).to_contain_text("not valid or was revoked")
    cookies = {c.get("name"): c for c in await page.context.cookies()}
    assert "mskg_token" not in cookies


async def test_signed_in_cookie_is_httponly_and_strict(page: Page, users: dict[str, User]) -> None:
    await sign_in(page, users["editor"])
    cookie = next(c for c in await page.context.cookies() if c.get("name") == "mskg_token")
    assert cookie.get("httpOnly")
    assert cookie.get("sameSite") == "Strict"
    assert "mskg_token" not in await page.evaluate("document.cookie")


# -- languages ------------------------------------------------------------------------------------
async def test_switching_between_chinese_and_english(page: Page, seeded_db: AsyncDriver) -> None:
    await page.goto("/entity/sac-tc28?lang=en")
    await expect(page.locator("h2").first).to_have_text("Properties")
    await expect(page.locator("#title")).to_have_text(
        "National Information Technology Standardization Technical Committee"
    )
    await page.click("#lang-switch")
    await expect(page).to_have_url(re.compile(r"/entity/sac-tc28\?lang=zh"))
    await expect(page.locator("#title")).to_have_text("全国信息技术标准化技术委员会")
    await expect(page.locator("h2").first).to_have_text("属性")
    assert await page.locator("html").get_attribute("lang") == "zh-Hans"
    # Links keep the language, and the cookie remembers it for URLs without one.
    hrefs = [h or "" for h in await attrs(page, "header nav a", "href")]
    assert all("lang=zh" in h for h in hrefs if h.startswith("/") and h != "/graphql")
    await page.goto("/mapping")
    await expect(page.locator("h1")).to_have_text("国内外对应")
    await shoot(page, "mapping-zh")
    await page.click("#lang-switch")
    await expect(page.locator("h1")).to_have_text("Mapping & gaps")


async def test_graphiql_shows_chinese_results_in_the_bundled_font(
    page: Page, anonymous: GraphQLClient
) -> None:
    await page.goto("/graphql")
    await expect(page.locator(".graphiql-container .graphiql-editors")).to_be_visible()
    # Two characters set in the results' own font, inside the results pane: identical pictures
    # would be the empty boxes of a missing font.
    shots = []
    for text in ("联", "络"):
        await page.evaluate(
            """(text) => {
                const pane = document.querySelector(".graphiql-container .result-window")
                    || document.querySelector(".graphiql-container");
                let probe = document.getElementById("cjk-probe");
                if (!probe) {
                    probe = document.createElement("span");
                    probe.id = "cjk-probe";
                    probe.style.cssText = "font-family: var(--font-family-mono); font-size: 40px; "
                        + "position: fixed; left: 10px; top: 10px; z-index: 9999; background: #fff; color: #000";
                    pane.appendChild(probe);
                }
                probe.textContent = text;
                return document.fonts.load("40px 'Noto Sans SC'", text);
            }""",
            text,
        )
        await page.evaluate("document.fonts.ready")
        shots.append(await page.locator("#cjk-probe").screenshot())
    assert shots[0] != shots[1]
    family = await page.evaluate(
        "getComputedStyle(document.querySelector('.graphiql-container')).getPropertyValue('--font-family-mono')"
    )
    assert "Noto Sans SC" in family


async def test_graphiql_is_served_without_a_cdn(page: Page) -> None:
    await page.goto("/graphql")
    await expect(page.locator(".graphiql-container .graphiql-editors")).to_be_visible()
    scripts = [s or "" for s in await attrs(page, "script[src]", "src")]
    assert scripts
    assert all(s.startswith("/static/vendor/") for s in scripts)


def _sparql_rows(api: ApiProcess, query: str) -> list[dict[str, Any]]:
    """The answer of the API's /sparql, once the store has the seed (it loads it after start)."""
    for _ in range(60):
        response = httpx.post(
            f"{api.base_url}/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
            verify=TLS,
        )
        if response.status_code == 200:
            rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
            if rows:
                return rows
        time.sleep(1)
    raise AssertionError(f"/sparql gave no rows: {response.status_code} {response.text[:300]}")


async def test_the_sparql_page_runs_its_examples(
    page: Page, api: ApiProcess, seeded_db: AsyncDriver
) -> None:
    liaisons = _sparql_rows(api, EXAMPLES[0].query)
    awaiting = _sparql_rows(api, EXAMPLES[1].query)
    await page.goto("/sparql?lang=zh")
    await expect(page.locator("#examples button.example").first).to_have_text(EXAMPLES[0].zh)
    await page.goto("/sparql?lang=en")
    assert await page.locator("#examples button.example").count() == len(EXAMPLES)
    await page.click("#examples button.example[data-index='0']")
    rows = page.locator("#yasgui .yasr table tbody tr")
    await expect(rows).to_have_count(len(liaisons), timeout=30_000)
    shown = await page.locator("#yasgui .yasr table").inner_text()
    assert liaisons[0]["partnerLabel"]["value"] in shown
    await shoot(page, "sparql")

    await page.click("#examples button.example[data-index='1']")
    await expect(rows).to_have_count(len(awaiting), timeout=30_000)
    assert "CitiVerse" in await page.locator("#yasgui .yasr table").inner_text()
