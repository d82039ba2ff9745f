"""Hour entries as CSV, streamed a page at a time, for spreadsheets.

Spreadsheet-friendly: UTF-8 with a byte-order mark first (Excel reads UTF-8 only with it), CRLF
line ends, one header row. A text cell a spreadsheet would run as a formula — one starting with
`=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading `'`, so `=HYPERLINK(…)` is shown
as text, never run; numbers (minutes, hours) are written as plain numbers, negative ones too.
"""

from collections.abc import AsyncIterator
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.spreadsheet import BOM, csv_text, inert
from volunteers.hours import queries
from volunteers.hours.queries import HourEntryShown, HourFilters, Viewer

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
HUNDREDTH = Decimal("0.01")


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


async def export_chunks(
    *, sessions: async_sessionmaker[AsyncSession], viewer: Viewer, filters: HourFilters
) -> AsyncIterator[bytes]:
    """The CSV, one chunk per page of FETCH_ROWS entries (keyset pages, never OFFSET). The first
    chunk (BOM, header, first page) comes from the first query: wait for it before answering,
    so a failure there is an error answer rather than a broken stream."""
    async with sessions() as session:
        cursor: str | None = None
        head = (BOM + csv_text([HEADER])).encode()
        while True:
            page = await queries.list_hours(
                session=session, viewer=viewer, filters=filters, first=FETCH_ROWS, after=cursor
            )
            yield head + csv_text(csv_row(entry) for entry in page.nodes).encode()
            if not page.has_next_page:
                return
            head, cursor = b"", page.end_cursor


async def started(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """`chunks` with its first chunk already made (see export_chunks)."""
    first = await anext(chunks)

    async def stream() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    return stream()
