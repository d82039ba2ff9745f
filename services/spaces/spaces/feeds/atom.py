"""An Atom 1.0 document (RFC 4287) of a project's changes, built with ElementTree (every text
escaped by the XML library, never by string formatting)."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from spaces.feeds.entries import FeedEntry
from spaces.projects.models import Project

ATOM = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF): text that came in through an event is cleaned of them, not refused.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM)


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = _text(text)
    return element


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed_updated(project: Project, entries: list[FeedEntry]) -> dt.datetime:
    """The newest change the feed shows (the project's own when it has none)."""
    assert project.updated_at is not None
    return max([project.updated_at, *(e.updated for e in entries)])


def atom_feed(project: Project, entries: list[FeedEntry], public_url: str) -> bytes:
    root = public_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "en"})
    _add(feed, "id", f"urn:uuid:{project.id}")
    _add(feed, "title", f"{project.name}: changes")
    if project.summary:
        _add(feed, "subtitle", project.summary)
    _add(feed, "updated", _stamp(feed_updated(project, entries)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url(root, project))
    _add(feed, "link", rel="alternate", type="text/html", href=f"{root}/projects/{project.slug}")
    _add(_add(feed, "author"), "name", project.name)
    _add(feed, "generator", "meent spaces")
    for entry in entries:
        item = _add(feed, "entry")
        _add(item, "id", entry.id)
        _add(item, "title", entry.title)
        _add(item, "updated", _stamp(entry.updated))
        _add(_add(item, "author"), "name", entry.author)
        _add(item, "link", rel="alternate", type="text/html", href=f"{root}{entry.path}")
        _add(item, "summary", entry.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def feed_url(root: str, project: Project) -> str:
    return f"{root}/feeds/projects/{project.slug}.atom"
