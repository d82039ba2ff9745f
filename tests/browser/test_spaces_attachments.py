"""Attachments in Chromium: a core member uploads a file in the editor and saves; the document's
page lists it with a download link that hands a visitor the same bytes. The next save keeps
the file untouched; unticking it leaves it out of the revision after that."""

import asyncio
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue, message
from tests.browser.spaces_people import Elisabeth, close, create_document, form, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

FILE = {"name": "bench plan.txt", "mimeType": "text/plain", "buffer": b"Benches: 6\nBins: 2\n"}


async def save(page: Page, note: str) -> None:
    m = catalogue("en")
    await page.get_by_label(m["editor.message"], exact=True).fill(note)
    await page.get_by_role("button", name=m["editor.save"]).click()
    await expect(page.get_by_role("link", name=m["document.edit"])).to_be_visible()


async def test_a_file_uploaded_in_the_editor_is_listed_and_downloads(
    browser: Browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = Elisabeth(running_suite, f"files-{uuid.uuid4().hex[:6]}")
    created = create_document(
        running_suite, elisabeth.tokens["core"], elisabeth.project_id, "Benches", "Four benches."
    )
    url = f"/projects/{elisabeth.slug}/documents/{created['id']}"

    core = await person(browser, suite_url, "en-GB", elisabeth.tokens["core"])
    await core.goto(url)
    await expect(core.get_by_text(m["attachments.none"])).to_be_visible()
    await core.get_by_role("link", name=m["document.edit"]).click()
    await core.get_by_label(m["attachments.file"], exact=True).set_input_files(FILE)
    await core.get_by_role("button", name=m["attachments.upload"]).click()
    await expect(core.get_by_role("status")).to_have_text(
        message("en", "attachments.uploaded", filename=FILE["name"])
    )
    await expect(core.get_by_label(FILE["name"], exact=True)).to_be_checked()
    await assert_accessible(core)
    await save(core, "The bench plan as a file")

    # The document's page lists it; a visitor downloads the very bytes.
    files = core.get_by_role("region", name=form("en", "attachments.title", "one", 1))
    await expect(files.get_by_role("link", name=FILE["name"])).to_be_visible()
    await assert_accessible(core)
    visitor = await person(browser, suite_url, "en-GB", None, accept_downloads=True)
    await visitor.goto(url)
    async with visitor.expect_download() as downloading:
        await visitor.get_by_role("link", name=FILE["name"]).click()
    download = await downloading.value
    assert download.suggested_filename == FILE["name"]
    saved = Path(await download.path())
    assert await asyncio.to_thread(saved.read_bytes) == FILE["buffer"]
    assert visitor.url.endswith(url)  # a download, not a page
    await assert_accessible(visitor)

    # A save that leaves the files alone keeps them; one with the file unticked drops it.
    await core.get_by_role("link", name=m["document.edit"]).click()
    await expect(core.get_by_label(FILE["name"], exact=True)).to_be_checked()
    await core.get_by_label(m["editor.body"], exact=True).fill("Six benches.")
    await save(core, "Six")
    await expect(core.get_by_role("link", name=FILE["name"])).to_be_visible()
    await core.get_by_role("link", name=m["document.edit"]).click()
    await core.get_by_label(FILE["name"], exact=True).uncheck()
    await save(core, "Without the file")
    await expect(core.get_by_text(m["attachments.none"])).to_be_visible()
    await expect(
        core.get_by_role("link", name=form("en", "document.historyLink", "other", 4))
    ).to_be_visible()
    await close([core, visitor])
