"""A paper sign-in sheet, typed into a spreadsheet and uploaded as CSV: read and checked whole.

All rows or none: every problem is reported with its row (the spreadsheet's row number: the header
is row 1), column and reason — up to MAX_ERRORS of them — and then nothing is stored.

The sheet: UTF-8, comma-separated, a header row with exactly these column names in any order:
`person` (a person id, or the display name of exactly one member of the project), `date`
(YYYY-MM-DD), `minutes` (1..1440), `activity` (one of HourActivity), and optionally `note` and
`site_id`. A byte-order mark is accepted and dropped (Excel writes one when it saves "CSV UTF-8");
a sheet separated by `;` or tabs (Excel's choice in many European locales) is refused with a
reason rather than misread.
"""

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticCustomError

from meent_shared.errors import InvalidInput, error_item
from meent_shared.types import free_text
from volunteers.hours.models import MINUTES_PER_DAY, HourActivity

REQUIRED = ("person", "date", "minutes", "activity")
OPTIONAL = ("note", "site_id")
MAX_ERRORS = 1000
MAX_COLUMNS = 20  # header cells: the sheet has six columns; more is not a sign-in sheet
NOTE_MAX = 2000
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^[0-9]{1,5}$")
ACTIVITIES = ", ".join(a.value for a in HourActivity)


@dataclass
class SheetRow:
    row: int  # the spreadsheet's row number (header = 1)
    person: str  # as written: an id or a display name, resolved against the project's members
    worked_on: dt.date
    minutes: int
    activity: HourActivity
    note: str = ""
    site_id: uuid.UUID | None = None
    person_id: str = ""  # once resolved


class SheetRefused(InvalidInput):
    """The sheet, refused with every row error found (422, one item per error)."""

    def __init__(self, items: list[dict[str, Any]]):
        super().__init__(items[0]["msg"], code=items[0]["type"], loc=items[0].get("loc"))
        self.items = items


@dataclass
class RowErrors:
    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str | None, code: str, msg: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            loc: list[str | int] = ["body", row] if column is None else ["body", row, column]
            self.items.append(error_item(msg, code, loc))

    def raise_any(self) -> None:
        if not self.items:
            return
        items = sorted(self.items, key=lambda item: item["loc"][1])
        if self.count > len(items):
            more = f"{self.count - len(items)} more problems were found; fix these first"
            items.append(error_item(more, "too_many_errors", ["body"]))
        raise SheetRefused(items)


def refuse(code: str, msg: str, loc: list[str | int] | None = None) -> SheetRefused:
    return SheetRefused([error_item(msg, code, loc or ["body"])])


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # "-sig": a leading byte-order mark is dropped
    except UnicodeDecodeError as exc:
        raise refuse("not_utf8", f"The sheet is not UTF-8 text (byte {exc.start})") from None


def records(text: str, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each non-blank row; a quoted cell may span lines. Blank rows count
    towards `max_rows` (after the header): millions of empty lines are refused, not skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number > max_rows + 1:
                raise refuse(
                    "too_many_rows",
                    f"A sheet has at most {max_rows} rows (blank ones count)",
                    ["body", number],
                )
            # A row of more cells than any sheet has is not blank (and not scanned cell by cell).
            if len(cells) > MAX_COLUMNS or any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as exc:
        raise refuse(
            "malformed_csv", f"Row {number + 1} is not valid CSV: {exc}", ["body", number + 1]
        ) from None


def check_width(text: str) -> None:
    """Refuse a header of more than MAX_COLUMNS cells before the CSV reader splits it: no column
    name holds a comma, so counting the commas of the first line is enough (and quick)."""
    first_line = text[: text.find("\n")] if "\n" in text else text
    if first_line.count(",") >= MAX_COLUMNS:
        raise refuse(
            "too_many_columns",
            f"The header has more than {MAX_COLUMNS} columns; the columns are "
            f"{', '.join(REQUIRED + OPTIONAL)}",
            ["body", 1],
        )


def check_header(cells: list[str]) -> dict[str, int]:
    if len(cells) > MAX_COLUMNS:  # a quoted header cell spanning lines
        raise refuse("too_many_columns", f"The header has more than {MAX_COLUMNS} columns")
    if len(cells) == 1 and (other := next((d for d in ";\t" if d in cells[0]), None)):
        name = "semicolons" if other == ";" else "tabs"
        raise refuse(
            "wrong_delimiter",
            f"Columns are separated by {name}; save the sheet as comma-separated CSV (UTF-8)",
            ["body", 1],
        )
    errors = RowErrors()
    columns: dict[str, int] = {}
    for index, name in enumerate(cells):
        if name not in REQUIRED + OPTIONAL:
            errors.add(
                1,
                name,
                "unknown_column",
                f"Unknown column {name!r}; the columns are {', '.join(REQUIRED + OPTIONAL)}",
            )
        elif name in columns:
            errors.add(1, name, "duplicate_column", f"Column {name!r} appears twice")
        columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            errors.add(1, name, "missing_column", f"The sheet needs a column {name!r}")
    errors.raise_any()
    return columns


def _day(text: str, today: dt.date) -> dt.date:
    if not ISO_DAY.match(text):
        raise ValueError("bad_date", f"{text!r} is not a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("bad_date", f"{text!r} is not a day of the calendar") from None
    if day > today:
        raise ValueError("future_day", f"{text} is after today ({today}) in the city")
    return day


def _minutes(text: str) -> int:
    if not WHOLE_NUMBER.match(text) or not 1 <= int(text) <= MINUTES_PER_DAY:
        raise ValueError("bad_minutes", f"{text!r} is not a whole number of minutes 1..1440")
    return int(text)


def _activity(text: str) -> HourActivity:
    try:
        return HourActivity(text)
    except ValueError:
        raise ValueError("unknown_activity", f"{text!r} is not one of {ACTIVITIES}") from None


def _note(text: str) -> str:
    if len(text) > NOTE_MAX:
        raise ValueError("note_too_long", f"A note has at most {NOTE_MAX} characters")
    try:
        return free_text(text)
    except PydanticCustomError as exc:
        raise ValueError("bad_note", exc.message()) from None


def _site(text: str) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValueError("bad_site_id", f"{text!r} is not a site id") from None


def _person(text: str) -> str:
    if not text.strip():
        raise ValueError("missing_person", "Name the person: their id or display name")
    return text.strip()


READERS = {
    "person": _person,
    "minutes": _minutes,
    "activity": _activity,
    "note": _note,
    "site_id": _site,
}


def read_row(
    number: int, cells: list[str], columns: dict[str, int], today: dt.date, errors: RowErrors
) -> SheetRow | None:
    if len(cells) != len(columns):
        errors.add(
            number,
            None,
            "wrong_cell_count",
            f"The row has {len(cells)} cells; the header has {len(columns)}",
        )
        return None
    values: dict[str, Any] = {}
    for name, index in columns.items():
        text = cells[index].strip() if name != "note" else cells[index]
        try:
            values[name] = _day(text, today) if name == "date" else READERS[name](text)
        except ValueError as exc:
            code, msg = exc.args
            errors.add(number, name, code, msg)
    if len(values) != len(columns):
        return None
    return SheetRow(
        row=number,
        person=values["person"],
        worked_on=values["date"],
        minutes=values["minutes"],
        activity=values["activity"],
        note=values.get("note", ""),
        site_id=values.get("site_id"),
    )


def parse_sheet(raw: bytes, *, today: dt.date, max_rows: int, errors: RowErrors) -> list[SheetRow]:
    """The sheet's well-formed rows; each bad row's problems go to `errors`. A sheet that cannot
    be read as one (encoding, delimiter, header, size) is refused at once (SheetRefused)."""
    text = decode(raw)
    check_width(text)
    rows_in = records(text, max_rows)
    header = next(rows_in, None)
    if header is None:
        raise refuse("empty_sheet", "The sheet is empty: it needs a header row and rows")
    columns = check_header(header[1])
    rows = []
    for number, cells in rows_in:
        row = read_row(number, cells, columns, today, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors.count:
        raise refuse("empty_sheet", "The sheet has a header but no rows")
    return rows
