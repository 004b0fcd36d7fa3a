"""Browser fixtures: Debian's Chromium (headless) driven by Playwright against the real API
process and the real Neo4j, with every request that leaves the machine blocked and recorded,
so a page that would need a CDN fails its test."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    async_playwright,
)

from graph.accounts import Role, create_account
from graph.driver import AsyncDriver, Connection
from tests.conftest import ROOT, ApiProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_INSTALLED = CHROMIUM.exists()
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


REFLOW = """async () => {
  const text = document.body.innerText;
  await Promise.all(["400", "700"].map((w) => document.fonts.load(`${w} 16px "Noto Sans SC"`, text)));
  await document.fonts.ready;
  document.body.style.display = "none";
  void document.body.offsetHeight;
  document.body.style.display = "";
  await new Promise((resolve) => setTimeout(resolve, 150));
}"""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    token: str


@pytest.fixture(scope="module")
async def users(seeded_db: AsyncDriver, neo4j_connection: Connection) -> dict[str, User]:
    """An editor, a second editor and a contributor, created after the module's seed load."""
    prefix = f"web-{uuid.uuid4().hex[:6]}"
    out = {}
    roles: tuple[tuple[str, Role], ...] = (
        ("editor", "editor"),
        ("other", "editor"),
        ("contributor", "contributor"),
    )
    for name, role in roles:
        account = f"{prefix}-{name}@example.org"
        _, token = await create_account(seeded_db, neo4j_connection.database, account, role)
        out[name] = User(account, role, token)
    return out


# Playwright's async API, because the tests share pytest-asyncio's session loop (the sync API
# runs a loop of its own, which cannot nest in it).
@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    if not CHROMIUM_INSTALLED:
        pytest.fail("/usr/bin/chromium is missing: run `make browser` (apt-get install chromium)")
    async with async_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    try:
        yield browser
    finally:
        await browser.close()


@dataclass
class Offline:
    """Requests to anywhere but the API under test, aborted and kept for the assertion."""

    base_url: str
    blocked: list[str] = field(default_factory=list)

    async def route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.base_url) or urlparse(url).scheme in ("data", "blob"):
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort()


@pytest.fixture
def offline(api: ApiProcess) -> Offline:
    return Offline(api.base_url)


@pytest.fixture
async def context(
    browser: Browser, api: ApiProcess, offline: Offline
) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(
        base_url=api.base_url,
        viewport={"width": 1280, "height": 860},
        locale="en-US",
        accept_downloads=True,
    )
    ctx.set_default_timeout(15_000)
    await ctx.route("**/*", offline.route)
    # The pages run under the API's Content-Security-Policy: anything it blocks is a defect.
    violations: list[str] = []
    ctx.on(
        "console",
        lambda message: (
            violations.append(message.text[:300])
            if "Content Security Policy" in message.text
            else None
        ),
    )
    # Nothing a page asks for (its icon included) may be missing; a page itself may be a 404.
    missing: list[str] = []
    ctx.on(
        "response",
        lambda response: (
            missing.append(response.url)
            if response.status == 404 and not response.request.is_navigation_request()
            else None
        ),
    )
    try:
        yield ctx
    finally:
        await ctx.close()
    assert offline.blocked == [], f"pages tried to load from outside: {offline.blocked}"
    assert violations == [], f"the Content-Security-Policy blocked: {violations}"
    assert missing == [], f"pages asked for what is not there: {missing}"


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def sign_in(page: Page, user: User, lang: str = "en") -> None:
    """Through the sign-in form, as a person would."""
    await page.goto(f"/signin?lang={lang}")
    await page.fill("#token", user.token)
    await page.click("form.narrow button[type=submit]")
    await page.wait_for_selector(".who .account")


async def wait_until(page: Page, expression: str, seconds: float = 15.0) -> None:
    """Poll a JavaScript expression until it is truthy. Playwright's wait_for_function would
    `eval` it inside the page, which the pages' Content-Security-Policy rightly forbids;
    `page.evaluate` runs through the DevTools protocol instead."""
    deadline = time.monotonic() + seconds
    while not await page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds:g}s: {expression}")
        await asyncio.sleep(0.05)


async def attrs(page: Page, selector: str, name: str) -> list[str | None]:
    return [await item.get_attribute(name) for item in await page.locator(selector).all()]


async def shoot(
    page: Page, name: str, full_page: bool = False, scroll_to: str | None = None
) -> None:
    """The README's screenshots are these, taken by the tests on the seed graph."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Headless Chromium keeps text drawn before its unicode-range font slice arrived as tofu;
    # a reflow once the slices are in redraws it (twice: the reflow may request more slices).
    for _ in range(2):
        await page.evaluate(REFLOW)
        await wait_until(page, "document.fonts.status === 'loaded'")
    if scroll_to is not None:
        await page.locator(scroll_to).evaluate("element => element.scrollIntoView()")
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
