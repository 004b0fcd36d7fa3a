"""A standard's page: the work with its editions (the current one marked), stage history,
lineage and adoptions both ways, read from the seed through the page's one GraphQL query."""

from __future__ import annotations

import re

import httpx

from graph.driver import AsyncDriver


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<(table|dl|ul) class="[^"]*" id="{element_id}">(.*?)</\1>', html, re.S)
    if found is None:
        found = re.search(rf'<(table|dl|ul) id="{element_id}">(.*?)</\1>', html, re.S)
    assert found is not None, f"no #{element_id} on the page"
    return found.group(2)


def rows(html: str, element_id: str) -> list[dict[str, str]]:
    """Each row's data- attributes, in page order."""
    return [
        dict(re.findall(r'data-([a-z]+)="([^"]*)"', attrs))
        for attrs in re.findall(r"<tr (data-[^>]*)>", section(html, element_id))
    ]


def test_an_editions_page_shows_its_work_stage_history_lineage_and_adoptions(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    page = http.get("/entity/iso-22739-2020", params={"lang": "en"})
    assert page.status_code == 200
    html = page.text
    assert 'id="work">Work: <a href="/entity/iso-22739?lang=en">' in html
    editions = section(html, "editions")
    assert [r["key"] for r in rows(html, "editions")] == ["iso-22739-2024", "iso-22739-2020"]
    # The 2024 edition is current (published, nothing replaces it); the 2020 one was withdrawn.
    current = re.findall(r'<tr data-key="([^"]+)" class="current">', editions)
    assert current == ["iso-22739-2024"]
    assert '<b>ISO 22739:2020</b> <span class="badge">this page</span>' in editions
    assert "95.99 Withdrawal of International Standard" in editions
    assert [r["key"] for r in rows(html, "stage-history")] == ["iso-22739-2020-stage-60.60"]
    assert "2020-07</td><td>60.60 International Standard published" in html
    lineage = section(html, "lineage")
    assert 'data-type="REPLACES" data-direction="incoming"' in lineage
    assert 'href="/entity/iso-22739-2024?lang=en">ISO 22739:2024</a>' in lineage
    assert rows(html, "adoptions") == [
        {"direction": "adopted_by", "key": "cn-plan-20210929-t-469", "degree": "IDT"}
    ]


def test_a_works_page_lists_every_edition_and_who_adopted_which(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    html = http.get("/entity/iso-22739", params={"lang": "zh"}).text
    assert [r["key"] for r in rows(html, "editions")] == ["iso-22739-2024", "iso-22739-2020"]
    assert "本页" not in section(html, "editions")  # a work is none of its editions
    assert '<span class="badge ok" data-current="1">现行</span>' in section(html, "editions")
    adoptions = section(html, "adoptions")
    assert rows(html, "adoptions") == [
        {"direction": "adopted_by", "key": "cn-plan-20210929-t-469", "degree": "IDT"}
    ]
    assert 'data-edition="iso-22739-2020">ISO 22739:2020</a>' in adoptions
    assert "被采用" in adoptions


def test_a_domestic_project_sees_that_the_edition_it_adopts_was_replaced(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    html = http.get("/entity/cn-plan-20210929-t-469", params={"lang": "en"}).text
    assert rows(html, "adoptions") == [
        {"direction": "adopts", "key": "iso-22739-2020", "degree": "IDT"}
    ]
    assert 'data-newer="iso-22739-2024">ISO 22739:2024</a>' in section(html, "adoptions")
    assert 'id="editions"' not in html


def test_a_projects_stage_history_keeps_the_bodys_own_stage_name(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    html = http.get("/entity/ieee-p7016-1", params={"lang": "en"}).text
    history = section(html, "stage-history")
    assert "2023-03-30</td><td>10.99 New project approved</td><td>PAR approved</td>" in history


def test_an_entity_that_is_not_a_document_has_no_standard_section(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    html = http.get("/entity/sac-tc590", params={"lang": "en"}).text
    assert 'id="standard"' not in html


def test_a_long_relation_group_links_to_its_sortable_page(
    http: httpx.Client, seeded_db: AsyncDriver
) -> None:
    from loaders.seed import read_seed

    seed = read_seed()
    classes = {e.key: e.cls.name for e in seed.entities}
    about = [r.start for r in seed.relations if r.type == "ABOUT" and r.end == "concept-metaverse"]
    assert len(about) > 20
    html = http.get("/entity/concept-metaverse", params={"lang": "en"}).text
    link = re.search(r'<a class="related-all" href="(/entity/concept-metaverse/related/ABOUT/incoming[^"]*)"', html)  # fmt: skip
    assert link is not None
    listing = http.get(link.group(1).replace("&amp;", "&")).text
    standards = sum(1 for k in about if classes[k] == "Standard")
    assert f"{standards} in all" in listing
    # A short group stays on the entity page alone.
    sg4 = http.get("/entity/tc28-sg4", params={"lang": "en"}).text
    assert "related-all" not in sg4
