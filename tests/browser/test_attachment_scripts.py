"""A scripted SVG attachment, opened through the gateway in Chromium, never runs: downloads
carry `Content-Security-Policy: sandbox`, `Content-Disposition: attachment` and nosniff.

The probe: the SVG's script and its onload handler each post a message to the page that holds
them (a sandboxed frame can still post one, so a script that ran would be seen). A control frame
with the same script, not served by us, does post: the probe would catch a script that ran."""

import uuid

import pytest
from playwright.async_api import Page

pytestmark = pytest.mark.browser

PROBE = "top.postMessage('{what}', '*'); window.parent.document.title = 'pwned'"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
    f"onload=\"{PROBE.format(what='onload')}; alert('onload')\">"
    f"<script>{PROBE.format(what='script')}; alert('script')</script>"
    '<rect width="100" height="100" fill="green"/></svg>'
)
EMBED_EVERY_WAY = """async ([url, control]) => {
  window.ran = [];
  window.addEventListener('message', (event) => window.ran.push(String(event.data)));
  const add = (tag, attrs) => {
    const element = document.createElement(tag);
    Object.assign(element, attrs);
    document.body.appendChild(element);
  };
  add('iframe', {src: url});
  add('object', {data: url, type: 'image/svg+xml'});
  add('embed', {src: url, type: 'image/svg+xml'});
  add('img', {src: url});
  add('iframe', {srcdoc: control});
  await new Promise((done) => setTimeout(done, 1500));
  return window.ran;
}"""
CONTROL = "<script>top.postMessage('control', '*')</script>"


@pytest.fixture
def svg_attachment(running_suite) -> str:
    """The scripted SVG, uploaded through the gateway by a project's coordinator (the one who
    starts a project coordinates it, and may upload)."""
    sub = f"core-{uuid.uuid4().hex[:8]}"
    token = running_suite.token(sub)
    bearer = {"Authorization": f"Bearer {token}"}
    project = running_suite.http.post(
        f"{running_suite.suite.url('spaces')}/projects",
        json={"name": f"Plein {uuid.uuid4().hex[:8]}"},
        headers=bearer,
    ).json()["id"]
    answer = running_suite.http.post(
        f"{running_suite.url}/projects/{project}/uploads",
        params={"filename": "drawing.svg"},
        content=SVG.encode(),
        headers=bearer,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["media_type"] == "image/svg+xml"
    return f"/attachments/{answer.json()['id']}/content"


async def test_a_scripted_svg_attachment_does_not_run(page: Page, svg_attachment: str):
    dialogs: list[str] = []

    async def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    await page.goto("/healthz")  # a page of the gateway's origin, without a CSP of its own
    ran = await page.evaluate(EMBED_EVERY_WAY, [svg_attachment, CONTROL])
    assert ran == ["control"], f"the attachment's script ran: {ran}"
    assert dialogs == []
    assert await page.title() != "pwned"

    # A link to it followed: a download, not a page.
    await page.evaluate(
        "url => { const a = document.createElement('a'); a.href = url; a.id = 'file';"
        " a.textContent = 'drawing'; document.body.appendChild(a); }",
        svg_attachment,
    )
    async with page.expect_download() as download:
        await page.click("#file")
    assert (await download.value).suggested_filename == "drawing.svg"
    assert page.url.endswith("/healthz")  # still the page it was on
    assert dialogs == []
    assert await page.evaluate("window.ran") == ["control"]
