"""The spaces pages in Chromium, against the running suite: the Elisabeth project's core group
writes a plan, a skill member proposes a change, a core member accepts it, and a visitor without
an account reads the history and the diff — axe-clean on every page, in each language.

People and the project are set up through the public GraphQL API; everything the story is about
happens in the browser."""

import re
import uuid

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue, message
from tests.browser.spaces_people import Elisabeth, form, heading_is, ok, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL", "fr": "fr-FR"}
PLAN = "# Elisabeth park\n\nA meadow where the car park was.\n\nBenches along the path."
PROPOSED_LINE = "A pond for the frogs at the low corner."
# The plural category of 2 in each language (Polish: few).
TWO = {"en": "other", "nl": "other", "pl": "few", "fr": "other"}


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_a_plan_is_written_proposed_accepted_and_read(
    browser: Browser, running_suite: RunningSuite, suite_url: str, locale: str
):
    lang = locale.split("-")[0]
    m = catalogue(lang)
    elisabeth = Elisabeth(running_suite, f"{lang}-{uuid.uuid4().hex[:6]}")
    # The project's address is its slug, readable (the id works too: see below).
    project_url = f"/projects/{elisabeth.slug}"
    pages: list[Page] = []

    # The core member writes the plan on the project's page.
    core = await person(browser, suite_url, locale, elisabeth.tokens["core"])
    pages.append(core)
    await core.goto(project_url)
    await heading_is(core, elisabeth.name)
    await assert_accessible(core)
    await core.get_by_label(m["document.titleField"], exact=True).fill("Park plan")
    await core.get_by_label(m["document.kindField"], exact=True).select_option("plan")
    await core.get_by_label(m["editor.body"], exact=True).fill(PLAN)
    await core.get_by_label(m["editor.message"], exact=True).fill("First draft")
    await core.get_by_role("button", name=m["documents.create"]).click()
    await heading_is(core, "Park plan")
    await expect(core.get_by_role("heading", name="Elisabeth park")).to_be_visible()
    document_url = core.url
    assert f"/projects/{elisabeth.slug}/documents/" in document_url
    await assert_accessible(core)

    # A skill member proposes a change from the document's page.
    skill = await person(browser, suite_url, locale, elisabeth.tokens["skill"])
    pages.append(skill)
    await skill.goto(document_url)
    await skill.get_by_role("link", name=m["document.propose"]).click()
    await heading_is(skill, "Park plan")
    await assert_accessible(skill)
    body = skill.get_by_label(m["editor.body"], exact=True)
    await expect(body).to_have_value(PLAN)
    await body.fill(f"{PLAN}\n\n{PROPOSED_LINE}")
    await skill.get_by_label(m["editor.message"], exact=True).fill("A pond")
    await skill.get_by_role("button", name=m["editor.submitProposal"]).click()
    await expect(skill).to_have_url(document_url)
    await expect(
        skill.get_by_role("heading", name=form(lang, "proposal.title", "one", 1))
    ).to_be_visible()

    # A core member accepts it: the proposed text becomes the current one.
    await core.reload()
    await core.get_by_role("button", name=m["proposal.accept"]).click()
    await expect(core.get_by_role("status")).to_have_text(m["document.updated"])
    await expect(core.get_by_text(PROPOSED_LINE)).to_be_visible()
    await assert_accessible(core)

    # A visitor without an account reads the history and the diff.
    visitor = await person(browser, suite_url, locale, None)
    pages.append(visitor)
    await visitor.goto(document_url)
    await expect(visitor.get_by_text(PROPOSED_LINE)).to_be_visible()
    await expect(visitor.get_by_role("link", name=m["document.propose"])).to_have_count(0)
    await visitor.get_by_role("link", name=form(lang, "document.historyLink", TWO[lang], 2)).click()
    await expect(visitor).to_have_url(f"{document_url}/history")
    await expect(visitor).to_have_title(message(lang, "title.format", page="Park plan"))
    await heading_is(visitor, "Park plan")
    entries = visitor.locator("ol.cards > li")
    await expect(entries).to_have_count(2)
    # Newest first: the accepted proposal, by its author, before the first draft.
    await expect(entries.nth(0)).to_contain_text("A pond")
    await expect(entries.nth(1)).to_contain_text("First draft")
    await assert_accessible(visitor)
    await entries.nth(0).get_by_role("link", name=m["history.changes"]).click()
    await expect(visitor).to_have_url(re.compile(re.escape(f"{document_url}/diff?from=")))
    await expect(visitor.get_by_text(form(lang, "diff.added", TWO[lang], 2))).to_be_visible()
    await expect(visitor.locator(".diff ins", has_text=PROPOSED_LINE)).to_be_visible()
    await expect(visitor.locator(".diff del")).to_have_count(0)
    await assert_accessible(visitor)

    for page in pages:
        assert not page.errors, page.errors  # type: ignore[attr-defined]
        await page.context.close()


async def test_a_conflict_shows_both_versions_and_the_merge_is_saved(
    browser: Browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = Elisabeth(running_suite, f"conflict-{uuid.uuid4().hex[:6]}")
    created = ok(
        running_suite,
        "mutation($input: CreateDocumentInput!) { createDocument(input: $input) {"
        " __typename ... on Document { id } ... on UserError { message } } }",
        {"input": {"projectId": elisabeth.project_id, "title": "Budget", "body": "Benches: 4"}},
        elisabeth.tokens["core"],
    )["createDocument"]
    assert created["__typename"] == "Document", created
    # Addressed by the project's id: it works as well as the slug.
    edit_url = f"/projects/{elisabeth.project_id}/documents/{created['id']}/edit"
    first = await person(browser, suite_url, "en-GB", elisabeth.tokens["coordinator"])
    second = await person(browser, suite_url, "en-GB", elisabeth.tokens["core"])
    for page in (first, second):
        await page.goto(edit_url)
        await expect(page.get_by_label(m["editor.body"], exact=True)).to_have_value("Benches: 4")
    # Both start from the same revision; the first save wins.
    await first.get_by_label(m["editor.body"], exact=True).fill("Benches: 6")
    await first.get_by_role("button", name=m["editor.save"]).click()
    await expect(first).to_have_url(re.compile(f"{created['id']}$"))
    body = second.get_by_label(m["editor.body"], exact=True)
    await body.fill("Benches: 4\nBins: 2")
    await second.get_by_role("button", name=m["editor.save"]).click()
    # The second gets both versions side by side; nothing of theirs is lost.
    conflict = second.get_by_role("region", name=m["conflict.title"])
    await expect(conflict).to_contain_text("Benches: 6")
    await expect(conflict).to_contain_text("Bins: 2")
    await expect(second.get_by_role("alert")).to_contain_text(m["conflict.alert"])
    await expect(body).to_have_value("Benches: 4\nBins: 2")
    await assert_accessible(second)
    # They merge and save again, now against the revision that landed.
    await body.fill("Benches: 6\nBins: 2")
    await second.get_by_role("button", name=m["editor.save"]).click()
    await expect(second).to_have_url(re.compile(f"{created['id']}$"))
    await expect(second.get_by_text("Bins: 2")).to_be_visible()
    await expect(
        second.get_by_role("link", name=form("en", "document.historyLink", "other", 3))
    ).to_be_visible()
    for page in (first, second):
        assert not page.errors, page.errors  # type: ignore[attr-defined]
        await page.context.close()
