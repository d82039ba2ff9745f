"""Markdown to HTML a page may show: a CommonMark parser with raw HTML off, then an allow-list
sanitiser (nh3, Ammonia) as the second wall — no script, no event handler, no style, no
`javascript:` or `data:` URL, and every link `rel="nofollow noopener"`."""

import html

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

ALLOWED_TAGS = frozenset(
    [
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(body: str) -> str:
    """The body as sanitised HTML (its size is bounded by the body limit)."""
    return sanitise(_parser.render(body))


def escape_text(text: str) -> str:
    """Plain text (a title) for an HTML page."""
    return html.escape(text, quote=True)
