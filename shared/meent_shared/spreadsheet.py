"""CSV that spreadsheets open safely, for every service's exports.

UTF-8 with a byte-order mark first (Excel reads UTF-8 only with it), CRLF line ends. A text cell
a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`, a tab or a carriage
return — gets a leading `'`, so `=HYPERLINK(…)` is shown as text, never run; numbers are written
by the caller as plain numbers (never passed through `inert`).
"""

import csv
import io
from collections.abc import Iterable

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """`text` as a cell no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[str | int]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()
