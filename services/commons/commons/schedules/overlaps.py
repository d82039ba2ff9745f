"""Conflicts: periods of the same priority and another use that would both apply at some instant.

Where periods overlap the higher priority wins; between equals nothing would say which use the
site has, so such a period is refused. The check looks ten years ahead, and its work is bounded
like every expansion (`engine.Budget`): the candidate is expanded once, each rival only over the
days both can be active on.
"""

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from commons.schedules.engine import (
    DAY,
    MAX_INTERVALS,
    MIDNIGHT,
    Budget,
    Period,
    add_years,
    intervals,
    parse_rule,
)

CONFLICT_HORIZON_YEARS = 10
# A check covers twice a timeline's years, for each rival: two answers' worth of intervals
# (a fifth of a second or so) — a daily window against nine others of its priority.
MAX_CHECKED_INTERVALS = 2 * MAX_INTERVALS


def conflicts(
    candidate: Period,
    others: Sequence[Period],
    zone: ZoneInfo,
    today: dt.date,
    budget: Budget | None = None,
) -> list[tuple[Period, dt.datetime]]:
    """Periods of the same priority and another use that overlap `candidate` in the ten years
    from today (or from its first day, if later): the days a conflict can still be settled.

    The candidate is expanded once, and each rival only over the days both can be active."""
    budget = budget or Budget(MAX_CHECKED_INTERVALS)
    rivals = [
        other
        for other in others
        if other.id != candidate.id
        and other.priority == candidate.priority
        and other.use != candidate.use
    ]
    until = add_years(max(today, candidate.starts_on), CONFLICT_HORIZON_YEARS)
    days = _shared_days(candidate, candidate, today, until)
    if not rivals or days is None:
        return []
    mine = _utc_intervals(candidate, zone, days, budget)
    found = []
    for other in rivals:
        shared = _shared_days(candidate, other, today, until)
        if shared is None:
            continue
        theirs = _utc_intervals(other, zone, shared, budget)
        begin = dt.datetime.combine(shared[0], MIDNIGHT, zone).astimezone(dt.UTC)
        if (overlap := _first_overlap([i for i in mine if i[1] > begin], theirs)) is not None:
            found.append((other, overlap.astimezone(zone)))
    return sorted(found, key=lambda pair: pair[1])


def _shared_days(
    a: Period, b: Period, since: dt.date, until: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The days [first, end) both periods can be active on from `since` to `until`: neither
    before its first day, nor after its last occurrence's last day (a window past midnight
    reaches into the next one, hence a day's margin); None when there are none."""
    first = max(a.starts_on, b.starts_on, since) - DAY
    lasts = (last for last in (_last_day(a), _last_day(b)) if last is not None)
    end = min([until, *(last + 2 * DAY for last in lasts)])
    return (first, end) if first < end else None


def _last_day(period: Period) -> dt.date | None:
    """The last day of the period's last occurrence; None: it goes on (open-ended, or a rule
    without UNTIL or COUNT)."""
    if period.rule is None:
        return period.ends_on
    last_start = parse_rule(period.rule, period.starts_on).until
    return None if last_start is None else last_start + dt.timedelta(days=period.span_days)


def _utc_intervals(
    period: Period, zone: ZoneInfo, days: tuple[dt.date, dt.date], budget: Budget
) -> list[tuple[dt.datetime, dt.datetime]]:
    begin, end = (dt.datetime.combine(day, MIDNIGHT, zone) for day in days)
    found = intervals(period, zone, begin, end, budget)
    return sorted((i.start.astimezone(dt.UTC), i.end.astimezone(dt.UTC)) for i in found)


def _first_overlap(
    left: list[tuple[dt.datetime, dt.datetime]], right: list[tuple[dt.datetime, dt.datetime]]
) -> dt.datetime | None:
    """The first instant in an interval of each list (both sorted by start), or None."""
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        if start < min(left[i][1], right[j][1]):
            return start
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return None
