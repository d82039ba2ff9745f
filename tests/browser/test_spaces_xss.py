"""XSS payloads a writer can put into a document — in its Markdown body (a script, an image with
an error handler, a javascript: link), in its title, in a comment and in an uploaded file's
name — stay inert in Chromium on the document's page, its history, a diff and search.

The probe: each payload, if it ran, would open a dialog and set `window.__xss`. The pages are
opened with the Content-Security-Policy bypassed, so what is tested is the client's own handling
(text as text, API HTML through an allow-list), not only the policy that would block inline code
anyway. A control on each page — the same kind of handler put in with innerHTML — does set the
flag, so a payload that ran would be seen."""

import uuid

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.spaces_people import (
    Elisabeth,
    close,
    create_document,
    ok,
    person,
    save_revision,
    upload,
)
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser


def payload(where: str) -> str:
    return f"window.__xss = (window.__xss || []).concat('{where}'); alert('{where}')"


TITLE = f'Plan <img src=x onerror="{payload("title")}"> <script>{payload("title-script")}</script>'
FILENAME = "<img src=x onerror=window.__xss=['file']>.txt"
WORD = "zanzibarpark"
FIRST = f"# Plan\n\nThe {WORD} meadow.\n"
SECOND = (
    f"# Plan\n\nThe {WORD} meadow <script>{payload('script')}</script>.\n\n"
    f'<img src=x onerror="{payload("img")}">\n\n'
    f"[x](javascript:{payload('link')})\n\n"
    f'<a href="javascript:{payload("raw-link")}">y</a>\n'
)
MESSAGE = f'{WORD} <img src=x onerror="{payload("message")}">'
COMMENT = f'<img src=x onerror="{payload("comment")}"><script>{payload("comment-script")}</script>'
CONTROL = (
    "() => { document.body.insertAdjacentHTML('beforeend',"
    ' \'<img id="xss-control" src="x" onerror="window.__xss = [\\\'control\\\']">\'); }'
)


@pytest.fixture
def booby_trapped(running_suite: RunningSuite) -> dict[str, str]:
    """A document with every payload: two revisions (so a diff shows the second's), a comment
    and a file whose name is markup."""
    elisabeth = Elisabeth(running_suite, f"xss-{uuid.uuid4().hex[:6]}")
    core = elisabeth.tokens["core"]
    created = create_document(
        running_suite, core, elisabeth.project_id, TITLE, FIRST, message=MESSAGE
    )
    file_id = upload(running_suite, core, elisabeth.project_id, FILENAME, b"just text\n")
    second = save_revision(
        running_suite,
        core,
        created["id"],
        created["current"]["id"],
        SECOND,
        attachmentIds=[file_id],
        message=MESSAGE,
    )
    added = ok(
        running_suite,
        "mutation($d: UUID!, $b: String!) { addComment(documentId: $d, body: $b) { __typename } }",
        {"d": created["id"], "b": COMMENT},
        elisabeth.tokens["skill"],
    )["addComment"]
    assert added["__typename"] == "Comment", added
    base = f"/projects/{elisabeth.slug}/documents/{created['id']}"
    return {
        "document": base,
        "history": f"{base}/history",
        "diff": f"{base}/diff?from={created['current']['id']}&to={second}",
        "search": f"/search?q={WORD}",
    }


async def assert_inert(page: Page, dialogs: list[str]) -> None:
    """Nothing ran; no element from the payloads carries code; then the control does run."""
    await page.wait_for_timeout(300)  # an image's error event fires soon after it is added
    assert dialogs == []
    assert await page.evaluate("() => window.__xss ?? null") is None
    main = page.locator("main")
    assert await main.locator("script, img, iframe, object, embed, svg").count() == 0
    handlers = await main.evaluate(
        "m => [...m.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))"
        ".map(a => a.name + '=' + a.value)"
    )
    assert handlers == []
    await page.evaluate(CONTROL)
    await page.wait_for_function("() => window.__xss !== undefined")
    assert await page.evaluate("() => window.__xss") == ["control"]
    await page.evaluate(
        "() => { delete window.__xss; document.getElementById('xss-control').remove(); }"
    )
    assert dialogs == []  # the control sets the flag only


def search_titles(running_suite: RunningSuite) -> list[str]:
    found = running_suite.graphql("query($q: String!) { search(q: $q) { title } }", {"q": WORD})
    return [hit["title"] for hit in found.json()["data"]["search"]]


async def test_payloads_in_a_document_are_inert_on_every_page(
    browser: Browser, running_suite: RunningSuite, suite_url: str, booby_trapped: dict[str, str]
):
    # Search finds the document by its current text (and its title is the payload).
    assert search_titles(running_suite) == [TITLE]
    visitor = await person(browser, suite_url, "en-GB", None, bypass_csp=True)
    dialogs: list[str] = []

    async def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    visitor.on("dialog", dismiss)
    main = visitor.get_by_role("main")
    await visitor.goto(booby_trapped["document"])
    # The title, the comment and the file's name are shown as the text they are.
    await expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(main.get_by_text(COMMENT)).to_be_visible()
    await expect(main.get_by_role("link", name=FILENAME)).to_be_visible()
    await expect(main.locator(".prose")).to_contain_text(WORD)
    # Whatever links the body kept lead nowhere harmful: each is followed.
    links = main.locator(".prose a")
    for index in range(await links.count()):
        await links.nth(index).click()
    await assert_inert(visitor, dialogs)
    await assert_accessible(visitor)

    await visitor.goto(booby_trapped["history"])
    await expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(main.locator("ol.cards > li")).to_have_count(2)
    await expect(main.locator("ol.cards > li").get_by_text(MESSAGE, exact=True)).to_have_count(2)
    await assert_inert(visitor, dialogs)
    await assert_accessible(visitor)

    await visitor.goto(booby_trapped["diff"])
    await expect(main.locator(".diff ins").first).to_be_visible()
    await expect(main.locator("div.diff")).to_contain_text("<script>")  # the text, not an element
    await assert_inert(visitor, dialogs)
    await assert_accessible(visitor)

    await visitor.goto(booby_trapped["search"])
    await expect(main.get_by_role("link", name=TITLE)).to_be_visible()
    await expect(main.locator(".snippet mark").first).to_have_text(WORD)
    await assert_inert(visitor, dialogs)
    await assert_accessible(visitor)
    await close([visitor])
