"""The person's own page in Chromium: the profile is saved and shown again, the export downloads
one JSON file holding spaces' and commons' parts, and erasure — only once confirmed — signs the
person out and takes their name from a document's history, which stays whole."""

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue
from tests.browser.spaces_people import Elisabeth, close, create_document, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser


async def test_profile_export_and_erasure(
    browser: Browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    tag = uuid.uuid4().hex[:6]
    elisabeth = Elisabeth(running_suite, f"me-{tag}")
    name = f"Joost van Dam {tag}"
    email = f"joost-{tag}@example.org"
    created = create_document(
        running_suite, elisabeth.tokens["core"], elisabeth.project_id, "Paths", "Gravel paths."
    )
    history = f"/projects/{elisabeth.slug}/documents/{created['id']}/history"

    # The profile: a new display name and contact data, kept after a reload.
    me = await person(browser, suite_url, "en-GB", elisabeth.tokens["core"], accept_downloads=True)
    await me.goto("/me")
    await me.get_by_label(m["me.displayName"], exact=True).fill(name)
    await me.get_by_label(m["me.email"], exact=True).fill(email)
    await expect(me.get_by_label(m["me.namePublic"])).to_be_checked()
    await me.get_by_role("button", name=m["me.save"]).click()
    await expect(me.get_by_role("status")).to_have_text(m["me.saved"])
    await assert_accessible(me)
    await me.reload()
    await expect(me.get_by_label(m["me.displayName"], exact=True)).to_have_value(name)
    await expect(me.get_by_label(m["me.email"], exact=True)).to_have_value(email)

    # The visitor sees the name beside the revision.
    visitor = await person(browser, suite_url, "en-GB", None)
    await visitor.goto(history)
    await expect(visitor.locator("ol.cards > li")).to_have_count(1)
    await expect(visitor.locator("ol.cards > li")).to_contain_text(name)

    # The export: one JSON file, with spaces' part (the profile, the revision) and commons'.
    async with me.expect_download() as downloading:
        await me.get_by_role("button", name=m["me.exportButton"]).click()
    download = await downloading.value
    assert download.suggested_filename.endswith(".json")
    saved = Path(await download.path())
    exported = json.loads(await asyncio.to_thread(saved.read_text, encoding="utf-8"))
    assert {"spaces", "commons"} <= set(exported)
    assert isinstance(exported["commons"], dict)
    spaces_part = json.dumps(exported["spaces"])
    assert name in spaces_part and email in spaces_part and created["current"]["id"] in spaces_part
    await expect(me.get_by_role("status").filter(has_text=m["me.exported"])).to_be_visible()

    # Erasure asks for the confirmation word first: a wrong one erases nothing.
    confirm = me.get_by_label(m["me.eraseConfirm"], exact=True)
    await confirm.fill("erase it")
    await me.get_by_role("button", name=m["me.eraseButton"]).click()
    await expect(me.get_by_role("alert")).to_contain_text(m["me.eraseMismatch"])
    await expect(confirm).to_be_focused()
    await visitor.reload()
    await expect(visitor.locator("ol.cards > li")).to_contain_text(name)

    await confirm.fill("ERASE")
    await me.get_by_role("button", name=m["me.eraseButton"]).click()
    await expect(me.get_by_role("status").filter(has_text=m["me.erased"])).to_be_visible()
    # Signed out: the token is gone and the header offers to sign in again.
    assert await me.evaluate("() => sessionStorage.getItem('meent.token')") is None
    await expect(
        me.get_by_role("navigation").get_by_role("link", name=m["nav.signIn"])
    ).to_be_visible()
    await assert_accessible(me)

    # The history is whole, without the name.
    await visitor.reload()
    entries = visitor.locator("ol.cards > li")
    await expect(entries).to_have_count(1)
    await expect(entries).not_to_contain_text(name)
    await expect(visitor.get_by_role("main")).not_to_contain_text(name)
    await assert_accessible(visitor)
    await close([me, visitor])
