"""XSS payloads in bodies and titles are inert in the API's HTML."""

from html.parser import HTMLParser

import pytest

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    "<iframe src=https://evil.example></iframe>",
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
]


class Elements(HTMLParser):
    """Every element and its attributes, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def assert_inert(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for name in ("href", "src"):
            if name in attrs:
                assert attrs[name].lower().startswith(("https:", "http:", "mailto:")), attrs
        if tag == "a":
            assert attrs.get("rel") == "nofollow noopener", attrs


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_a_payload_in_the_body_is_inert(space, payload):
    document = await space.new_document(f"# Plan\n\n{payload}\n\n[ok](https://ok.example)")
    rendered = await space.service.client.get(f"/revisions/{document['current']['id']}/html")
    assert rendered.status_code == 200
    html = rendered.json()["html"]
    assert_inert(html)
    assert 'href="https://ok.example"' in html


async def test_a_payload_in_the_title_is_escaped(space):
    document = await space.new_document("x", title='<script>alert(1)</script><img onerror="x">')
    rendered = await space.service.client.get(f"/revisions/{document['current']['id']}/html")
    title = rendered.json()["title_html"]
    assert "<" not in title and title.startswith("&lt;script&gt;")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[" * 20_001, "line_too_long"),  # 500,000 of them took 10 s to render
        (("|" + "a|" * 100 + "\n") * 201, "too_many_table_cells"),
    ],
)
async def test_markdown_that_renders_slowly_is_refused_and_a_revision_is_rendered_once(
    space, body, code
):
    document = await space.new_document("# Plan")
    answer = await space.save(document, document["current"]["id"], body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["type"] == code
    [(stored,)] = space.sql("SELECT html FROM revision WHERE id = %s", document["current"]["id"])
    assert stored == "<h1>Plan</h1>\n"  # rendered when saved; reading does not render again
