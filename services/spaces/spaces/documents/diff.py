"""A diff between two revisions of one document: unified text (as difflib.unified_diff writes it,
from the bounded matching of `matching`), and the same lines as escaped HTML with ins/del classes
(difflib.HtmlDiff is quadratic and far too slow). Bodies are bounded by the body limit, their
line counts by MAX_DIFF_LINES."""

import html
from collections.abc import Iterable

from meent_shared.errors import InvalidInput
from spaces.documents.matching import grouped_opcodes
from spaces.documents.models import Revision
from spaces.documents.schemas import RevisionDiff

MAX_DIFF_LINES = 20_000  # per side; a ten-year plan has about 2,000

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


def _range(start: int, length: int) -> str:
    """A hunk's range as unified diffs write it (difflib's own rule)."""
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def unified_lines(a: list[str], b: list[str], from_name: str, to_name: str) -> list[str]:
    lines: list[str] = []
    for group in grouped_opcodes(a, b):
        if not lines:
            lines += [f"--- {from_name}", f"+++ {to_name}"]
        first, last = group[0], group[-1]
        old_range = _range(first[1], last[2] - first[1])
        new_range = _range(first[3], last[4] - first[3])
        lines.append(f"@@ -{old_range} +{new_range} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [f" {line}" for line in a[i1:i2]]
                continue
            lines += [f"-{line}" for line in a[i1:i2]]
            lines += [f"+{line}" for line in b[j1:j2]]
    return lines


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
    lines = unified_lines(_lines(old), _lines(new), f"revision {old.id}", f"revision {new.id}")
    changes = lines[2:]  # after the two file header lines
    return RevisionDiff(
        from_revision_id=old.id,
        to_revision_id=new.id,
        unified="\n".join(lines) + ("\n" if lines else ""),
        html=diff_html(lines),
        added=sum(1 for line in changes if line.startswith("+")),
        removed=sum(1 for line in changes if line.startswith("-")),
    )
