"""When maintenance work is due: the dates asked about, bounded before anything is expanded, and
a task's due dates within them."""

import datetime as dt
import re
from collections.abc import Container, Iterator

from commons.maintenance.models import MaintenanceTask
from commons.schedules import engine
from commons.schedules.service import check_date
from meent_shared.errors import InvalidInput

# A range of due dates is read day by day (and each heavy day against the site's use): a year at
# a time, at most, and (like every schedule question) within ANSWERED_YEARS of today.
MAX_DUE_DAYS = 366
WEEK_DAYS = 7
ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def due_window(
    *, week: str | None, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The days (first, last) a due-list covers: an ISO week, or `from`..`to` (default: the week
    from today); far-away or too long ranges are refused, naming the parameter."""
    if week is not None:
        return _iso_week(week, today)
    check_date(start, today, loc=["query", "from"])
    check_date(end, today, loc=["query", "to"])
    first = start or today
    last = end or first + dt.timedelta(days=WEEK_DAYS - 1)
    if last < first:
        raise InvalidInput("to must not be before from", code="reversed_dates", loc=["query", "to"])
    if (last - first).days >= MAX_DUE_DAYS:
        raise InvalidInput(
            f"to must be less than {MAX_DUE_DAYS} days after from",
            code="range_too_long",
            loc=["query", "to"],
        )
    return first, last


def _iso_week(week: str, today: dt.date) -> tuple[dt.date, dt.date]:
    loc: list[str | int] = ["query", "week"]
    match = ISO_WEEK.fullmatch(week)
    try:
        if match is None:
            raise ValueError
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise InvalidInput(
            "week must be an ISO week like 2026-W28", code="invalid_week", loc=loc
        ) from None
    check_date(monday, today, loc=loc)  # before the Sunday is computed: it may be in year 10000
    sunday = monday + dt.timedelta(days=WEEK_DAYS - 1)
    check_date(sunday, today, loc=loc)
    return monday, sunday


def task_dates(task: MaintenanceTask, first: dt.date, last: dt.date) -> list[dt.date]:
    """The task's due dates between `first` and `last` (both within the answered years)."""
    if task.rule is None:
        return [task.due_on] if first <= task.due_on <= last else []
    period = engine.Period(task.id, "task", 0, task.due_on, task.due_on, rule=task.rule)
    return [start for start, _ in engine.occurrence_days(period, first, last)]


def first_open_date(
    task: MaintenanceTask, done: Container[dt.date], until: dt.date
) -> dt.date | None:
    """The task's oldest due date up to `until` not `done`: read one date at a time, so it costs
    the completions before it, not every date since the task began."""
    return next((day for day in _due_dates(task, until) if day not in done), None)


def _due_dates(task: MaintenanceTask, until: dt.date) -> Iterator[dt.date]:
    if task.rule is None:
        yield from [task.due_on] if task.due_on <= until else []
        return
    for start in engine.parse_rule(task.rule, task.due_on):
        if start.date() > until:
            return
        yield start.date()
