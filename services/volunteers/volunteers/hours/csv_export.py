"""Hour entries as CSV, streamed a page at a time, for spreadsheets.

Spreadsheet-friendly: UTF-8 with a byte-order mark first (Excel reads UTF-8 only with it), CRLF
line ends, one header row. A text cell a spreadsheet would run as a formula — one starting with
`=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading `'`, so `=HYPERLINK(…)` is shown
as text, never run; numbers (minutes, hours) are written as plain numbers, negative ones too.
"""

import csv
import io
from collections.abc import AsyncIterator, Iterable
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from volunteers.hours import queries
from volunteers.hours.queries import HourEntryShown, HourFilters, Viewer

BOM = "\ufeff"
HEADER: list[str | int] = [
    "entry_id",
    "date",
    "project_id",
    "person",
    "activity",
    "minutes",
    "hours",
    "status",
    "corrects_entry_id",
    "note",
]
FETCH_ROWS = 1000  # entries per query: memory stays bounded however long the export
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HUNDREDTH = Decimal("0.01")


def inert(text: str) -> str:
    """`text` as a cell no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def hours_of(minutes: int) -> str:
    """Minutes as hours with two decimals (half-even), e.g. 90 → 1.50, -20 → -0.33."""
    return str((Decimal(minutes) / 60).quantize(HUNDREDTH))


def person_cell(entry: HourEntryShown) -> str:
    # A name only where the caller may see whose hours these are; else an empty cell.
    if entry.person_id is None:
        return ""
    return entry.person_name or entry.person_id


def csv_row(entry: HourEntryShown) -> list[str | int]:
    return [
        str(entry.id),
        entry.worked_on.isoformat(),
        str(entry.project_id),
        inert(person_cell(entry)),
        entry.activity.value,
        entry.minutes,
        hours_of(entry.minutes),
        entry.status.value,
        str(entry.corrects_entry_id or ""),
        inert(entry.note),
    ]


def csv_text(rows: Iterable[list[str | int]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


async def export_chunks(
    *, sessions: async_sessionmaker[AsyncSession], viewer: Viewer, filters: HourFilters
) -> AsyncIterator[bytes]:
    """The CSV, one chunk per page of FETCH_ROWS entries (keyset pages, never OFFSET)."""
    yield (BOM + csv_text([HEADER])).encode()
    async with sessions() as session:
        cursor: str | None = None
        while True:
            page = await queries.list_hours(
                session=session, viewer=viewer, filters=filters, first=FETCH_ROWS, after=cursor
            )
            if page.nodes:
                yield csv_text(csv_row(entry) for entry in page.nodes).encode()
            if not page.has_next_page:
                return
            cursor = page.end_cursor
