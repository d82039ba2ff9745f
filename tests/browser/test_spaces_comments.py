"""Comments in Chromium: a signed-in person (not a member) comments on a document, a visitor
without an account reports the comment, the project's coordinator hides it — and it is gone
from the page for everyone, while the project's audit keeps the report and the hiding."""

import uuid

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue
from tests.browser.spaces_people import Elisabeth, close, create_document, form, ok, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

COMMENT = "Could the benches face the evening sun?"
MODERATION = """query($p: UUID!) { projectModeration(projectId: $p) {
  nodes { action reason actorName commentBody commentHidden } } }"""


async def open_and_send(page: Page, summary: str, label: str, reason: str) -> None:
    """Opens a comment's report or hide form, gives the reason and sends it."""
    comment = page.locator("li.comment", has_text=COMMENT)
    await comment.locator("summary", has_text=summary).click()
    await comment.get_by_label(label, exact=True).fill(reason)
    await comment.locator("form").get_by_role("button", name=summary).click()


async def test_a_comment_is_written_reported_and_hidden(
    browser: Browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = Elisabeth(running_suite, f"comments-{uuid.uuid4().hex[:6]}")
    created = create_document(
        running_suite, elisabeth.tokens["core"], elisabeth.project_id, "Benches", "Four benches."
    )
    url = f"/projects/{elisabeth.slug}/documents/{created['id']}"
    writer_token = running_suite.token(f"neighbour-{uuid.uuid4().hex[:6]}", name="Mila Smit")
    ok(
        running_suite,
        "mutation { updateProfile(input: {namePublic: true}) { __typename } }",
        {},
        writer_token,
    )

    # Anyone signed in comments (she is in no group of the project).
    writer = await person(browser, suite_url, "en-GB", writer_token)
    await writer.goto(url)
    await writer.get_by_label(m["comments.yours"], exact=True).fill(COMMENT)
    await writer.get_by_role("button", name=m["comments.add"]).click()
    comment = writer.locator("li.comment", has_text=COMMENT)
    await expect(comment).to_contain_text("Mila Smit")
    await expect(
        writer.get_by_role("heading", name=form("en", "comments.title", "one", 1))
    ).to_be_visible()
    await assert_accessible(writer)

    # A visitor without an account reports it, with a reason.
    visitor = await person(browser, suite_url, "en-GB", None)
    await visitor.goto(url)
    await expect(visitor.locator("li.comment", has_text=COMMENT)).to_be_visible()
    await expect(visitor.get_by_role("link", name=m["comments.signIn"])).to_be_visible()
    await expect(visitor.locator("summary", has_text=m["comments.hide"])).to_have_count(0)
    await open_and_send(visitor, m["comments.report"], m["comments.reportReason"], "Off topic")
    await expect(visitor.get_by_role("status")).to_have_text(m["comments.reported"])
    await assert_accessible(visitor)

    # The coordinator hides it: it is gone from the page.
    coordinator = await person(browser, suite_url, "en-GB", elisabeth.tokens["coordinator"])
    await coordinator.goto(url)
    await open_and_send(
        coordinator, m["comments.hide"], m["comments.hideReason"], "Reported, not about the plan"
    )
    await expect(coordinator.get_by_role("status")).to_have_text(m["document.updated"])
    await expect(coordinator.get_by_text(COMMENT)).to_have_count(0)
    await expect(coordinator.get_by_text(m["comments.none"])).to_be_visible()
    await assert_accessible(coordinator)

    # Gone for everyone; the audit keeps who did what, and why.
    await visitor.reload()
    await expect(visitor.get_by_text(m["comments.none"])).to_be_visible()
    await expect(visitor.get_by_text(COMMENT)).to_have_count(0)
    audit = ok(
        running_suite, MODERATION, {"p": elisabeth.project_id}, elisabeth.tokens["coordinator"]
    )["projectModeration"]["nodes"]
    assert sorted((e["action"], e["reason"], e["commentBody"]) for e in audit) == [
        ("hide", "Reported, not about the plan", COMMENT),
        ("report", "Off topic", COMMENT),
    ]
    assert all(e["commentHidden"] for e in audit)
    await close([writer, visitor, coordinator])
