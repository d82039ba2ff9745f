"""Browser fixtures: Debian's Chromium driven by Playwright's async API, on the session's
event loop (the project runs pytest-asyncio in auto mode; the sync API cannot run there).

`suite_url` (tests/conftest.py) is the base URL of a running gateway serving the web client."""

from pathlib import Path

import pytest
from playwright.async_api import async_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Never `playwright install` (it downloads a browser build): the distribution's Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make setup does it)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
async def browser(chromium):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
def locale() -> str:
    """The browser's language (navigator.languages, Accept-Language); tests parametrize it."""
    return "en-GB"


@pytest.fixture
async def page(browser, suite_url, locale):
    """A fresh browser context per test: no storage, cookies or language choice carried over.
    Relative URLs resolve against the suite; uncaught page errors fail the test."""
    context = await browser.new_context(locale=locale, base_url=suite_url)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    await context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
