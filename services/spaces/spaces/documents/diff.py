"""A diff between two revisions of one document: difflib's unified text, and the same lines as
escaped HTML with ins/del classes (difflib.HtmlDiff is quadratic and far too slow). The bodies are
bounded by the body limit; their line counts too, so difflib's matcher has a bounded input."""

import difflib
import html
from collections.abc import Iterable

from meent_shared.errors import InvalidInput
from spaces.documents.models import Revision
from spaces.documents.schemas import RevisionDiff

MAX_DIFF_LINES = 50_000  # per side; a 1 MB body of real prose has far fewer lines

_LINE_CLASSES = (("+++", "diff-file"), ("---", "diff-file"), ("@@", "diff-hunk"))


def _html_line(line: str) -> str:
    text = html.escape(line, quote=False)
    for prefix, css in _LINE_CLASSES:
        if line.startswith(prefix):
            return f'<span class="{css}">{text}</span>'
    if line.startswith("+"):
        return f'<ins class="diff-ins">{text}</ins>'
    if line.startswith("-"):
        return f'<del class="diff-del">{text}</del>'
    return f'<span class="diff-ctx">{text}</span>'


def diff_html(lines: Iterable[str]) -> str:
    return '<pre class="diff">' + "\n".join(_html_line(line) for line in lines) + "</pre>"


def _lines(revision: Revision) -> list[str]:
    lines = revision.body.splitlines()
    if len(lines) > MAX_DIFF_LINES:
        raise InvalidInput(
            f"Revision {revision.id} has {len(lines)} lines; a diff takes at most "
            f"{MAX_DIFF_LINES} per side",
            code="diff_too_large",
        )
    return lines


def diff_revisions(old: Revision, new: Revision) -> RevisionDiff:
    if old.document_id != new.document_id:
        raise InvalidInput(
            "A diff compares two revisions of one document; these belong to two",
            code="revisions_of_different_documents",
            loc=["query", "to"],
        )
    lines = list(
        difflib.unified_diff(
            _lines(old),
            _lines(new),
            fromfile=f"revision {old.id}",
            tofile=f"revision {new.id}",
            lineterm="",
        )
    )
    changes = lines[2:]  # after the two file header lines
    return RevisionDiff(
        from_revision_id=old.id,
        to_revision_id=new.id,
        unified="\n".join(lines) + ("\n" if lines else ""),
        html=diff_html(lines),
        added=sum(1 for line in changes if line.startswith("+")),
        removed=sum(1 for line in changes if line.startswith("-")),
    )
