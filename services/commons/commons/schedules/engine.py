"""What a site is used for, when: pure schedule arithmetic, no database.

A use period is a span of local days (`starts_on`..`ends_on`, inclusive), optionally repeated by an
RFC 5545 RRULE (each occurrence starts on a rule date and lasts as long as the first), optionally
only within a time-of-day window, with a priority: where periods overlap, the highest priority wins
(a one-day event over the summer season over the all-year parking). Everything is in the site's
time zone, so a season flips at local midnight whatever the offset that day.
"""

import datetime as dt
import heapq
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from commons.schedules.rule_text import RuleError as RuleError
from commons.schedules.rules import Rule as Rule
from commons.schedules.rules import parse_rule as parse_rule
from meent_shared.errors import InvalidInput

MAX_TIMELINE_DAYS = 5 * 366 + 1
# Intervals one answer may expand (a timeline, a feed, a conflict check, a use's segment): about
# a fifth of a second of work. Ten daily windows over five years; an honest site has a few.
MAX_INTERVALS = 20_000
MIDNIGHT = dt.time()
DAY = dt.timedelta(days=1)
# How far `segment_at` looks for the start and the end of the use at an instant.
SEGMENT_REACH = dt.timedelta(days=366)
_REACHES = (dt.timedelta(days=3), dt.timedelta(days=45), SEGMENT_REACH)


@dataclass(frozen=True)
class Period:
    id: uuid.UUID
    use: str
    priority: int
    starts_on: dt.date
    ends_on: dt.date | None  # None: open-ended (only without a rule)
    rule: str | None = None
    day_starts_at: dt.time | None = None  # a time-of-day window; None: the whole day
    day_ends_at: dt.time | None = None

    @property
    def span_days(self) -> int:
        """Days each occurrence lasts after its first (an open-ended period has one occurrence)."""
        return 0 if self.ends_on is None else (self.ends_on - self.starts_on).days


class Interval(NamedTuple):  # a tuple: timelines make tens of thousands
    start: dt.datetime
    end: dt.datetime
    period: Period


@dataclass(frozen=True)
class Segment:
    start: dt.datetime
    end: dt.datetime
    use: str
    period_id: uuid.UUID
    priority: int


class ScheduleTooDense(InvalidInput):
    """An answer would expand more than its budget of intervals (a 422 wherever it surfaces)."""

    code = "schedule_too_dense"


class Budget:
    """The intervals (occurrences, or a windowed period's daily windows) one answer may still
    expand. Every expansion for an answer draws on the same budget, so the work of answering is
    bounded by the budget, whatever the schedule: a site of many windowed periods is refused a
    long span, not answered for seconds."""

    def __init__(self, limit: int = MAX_INTERVALS) -> None:
        self.limit = self.left = limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise ScheduleTooDense(
                f"the site's schedule has more than {self.limit} time windows in the span asked "
                "for: ask for a shorter one"
            )


def occurrence_days(
    period: Period, first: dt.date, last: dt.date, budget: Budget | None = None
) -> list[tuple[dt.date, dt.date]]:
    """The occurrences (first day, last day) that touch the days `first`..`last`; each drawn
    from `budget`, if given, as it is found."""
    span = dt.timedelta(days=period.span_days)
    if period.rule is None:
        if period.ends_on is None:
            return [(period.starts_on, last)] if period.starts_on <= last else []
        starts = [period.starts_on]
    elif budget is None:
        starts = parse_rule(period.rule, period.starts_on).starts_between(first - span, last)
    else:
        starts = []
        for start in parse_rule(period.rule, period.starts_on).starts_from(first - span, last):
            budget.spend(1)
            starts.append(start)
    return [(start, start + span) for start in starts if start + span >= first and start <= last]


def intervals(
    period: Period,
    zone: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    budget: Budget | None = None,
) -> list[Interval]:
    """The instants `period` is active within [start, end), as local-time intervals.

    A window's wall times are read as zoneinfo reads them: one that happens twice (the repeated
    hour in autumn) is its first occurrence, one that does not happen (spring forward) takes the
    offset before the change — and a window that this leaves empty is left out."""
    budget = budget or Budget()
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)  # compared as instants
    first = start.astimezone(zone).date() - DAY
    last = end.astimezone(zone).date()
    found: list[Interval] = []
    windowed_until = first
    for occurrence_start, occurrence_end in occurrence_days(period, first, last, budget):
        if period.day_starts_at is None:
            begin = dt.datetime.combine(occurrence_start, MIDNIGHT, zone)
            finish = dt.datetime.combine(occurrence_end + DAY, MIDNIGHT, zone)
            found.append(Interval(begin, finish, period))
            continue
        # Occurrences longer than the rule's step overlap: each day's window counts once.
        day = max(occurrence_start, first, windowed_until)
        until = min(occurrence_end, last)
        budget.spend(max(0, (until - day).days))  # its first window is paid for by its start
        while day <= until:
            found.append(_window(period, zone, day))
            day += DAY
        windowed_until = max(windowed_until, day)
    return [i for i in found if i.end > start and i.start < end and i.start < i.end]


def _window(period: Period, zone: ZoneInfo, day: dt.date) -> Interval:
    assert period.day_starts_at is not None and period.day_ends_at is not None
    begin = dt.datetime.combine(day, period.day_starts_at, zone)
    end_day = day if period.day_ends_at > period.day_starts_at else day + DAY
    return Interval(begin, dt.datetime.combine(end_day, period.day_ends_at, zone), period)


def winner_order(period: Period) -> tuple[int, uuid.UUID]:
    """Periods sorted by this key put the winner first: the highest priority, and between equals
    (which the conflict rule keeps to one use) the lowest period id — the order the map's SQL
    uses too (`ORDER BY priority DESC, period_id`), so no answer depends on who computes it."""
    return -period.priority, period.id


def timeline(
    periods: Iterable[Period],
    zone: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    budget: Budget | None = None,
) -> list[Segment]:
    """Non-overlapping segments of the winning use between `start` and `end` (gaps left out).

    The sweep runs in UTC: datetimes of one zone compare by wall time, fold ignored, so in the
    repeated autumn hour 02:15 (second time) would sort before 02:30 (first time). The active
    intervals wait in a heap by winner order; one that has ended leaves it when it reaches the
    top (lazy deletion), so each boundary costs a logarithm, not a look at every active one."""
    budget = budget or Budget()
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    ranked = sorted(periods, key=winner_order)
    found = [
        (i.start.astimezone(dt.UTC), i.end.astimezone(dt.UTC), rank)
        for rank, period in enumerate(ranked)
        for i in intervals(period, zone, start, end, budget)
    ]
    found.sort()
    return [
        _segment(left, right, ranked[rank], zone) for left, right, rank in _sweep(found, start, end)
    ]


def _sweep(
    found: list[tuple[dt.datetime, dt.datetime, int]], start: dt.datetime, end: dt.datetime
) -> list[list]:
    """[start, end, rank] of the winner between each two boundaries (intervals sorted by start,
    ranks in winner order), touching pieces of one period merged."""
    boundaries = sorted({start, end, *(i[0] for i in found), *(i[1] for i in found)})
    boundaries = [b for b in boundaries if start <= b <= end]
    active: list[tuple[int, dt.datetime]] = []  # (rank, end): the top is the winner
    pieces: list[list] = []
    next_index = 0
    for left, right in itertools.pairwise(boundaries):
        while next_index < len(found) and found[next_index][0] <= left:
            _, interval_end, rank = found[next_index]
            heapq.heappush(active, (rank, interval_end))
            next_index += 1
        while active and active[0][1] <= left:
            heapq.heappop(active)
        if not active:
            continue
        rank = active[0][0]
        if pieces and pieces[-1][1] == left and pieces[-1][2] == rank:
            pieces[-1][1] = right
        else:
            pieces.append([left, right, rank])
    return pieces


def _segment(start: dt.datetime, end: dt.datetime, winner: Period, zone: ZoneInfo) -> Segment:
    return Segment(
        start.astimezone(zone), end.astimezone(zone), winner.use, winner.id, winner.priority
    )


def use_at(periods: Iterable[Period], zone: ZoneInfo, instant: dt.datetime) -> Segment | None:
    """The use at one instant: the winning period's segment around it, or None."""
    instant = instant.astimezone(dt.UTC)
    return segment_containing(timeline(periods, zone, instant - DAY, instant + DAY), instant)


def segment_at(periods: Iterable[Period], zone: ZoneInfo, instant: dt.datetime) -> Segment | None:
    """The use at `instant` as its whole segment: from when this use began to when it next
    changes (or stops), each looked for at most `SEGMENT_REACH` away — a use that began earlier,
    or goes on longer, shows that bound. Neighbouring periods of the same use make one segment;
    `period_id` and `priority` are those of the period in force at `instant`.

    All the reaches draw on one budget: where the schedule is too dense for a wider one, the
    answer shows the bound of the widest it could afford."""
    instant, periods = instant.astimezone(dt.UTC), list(periods)
    budget, whole = Budget(), None
    for reach in _REACHES:  # most uses change within weeks: look further only when needed
        low, high = instant - reach, instant + reach
        try:
            segments = timeline(periods, zone, low, high, budget)
        except ScheduleTooDense:
            if whole is None:
                raise
            return whole
        found = segment_containing(segments, instant)
        if found is None:
            return None
        whole = _with_neighbours_of_the_same_use(segments, segments.index(found))
        if (low < whole.start and whole.end < high) or reach == SEGMENT_REACH:
            return whole
    raise AssertionError("the last reach always answers")


def _with_neighbours_of_the_same_use(segments: list[Segment], index: int) -> Segment:
    found = first = last = segments[index]
    for earlier in reversed(segments[:index]):
        if earlier.end != first.start or earlier.use != found.use:
            break
        first = earlier
    for later in segments[index + 1 :]:
        if later.start != last.end or later.use != found.use:
            break
        last = later
    return Segment(first.start, last.end, found.use, found.period_id, found.priority)


def segment_containing(segments: Iterable[Segment], instant: dt.datetime) -> Segment | None:
    """The segment in force at `instant`, compared as instants (fold and all)."""
    instant = instant.astimezone(dt.UTC)
    return next((s for s in segments if s.start <= instant < s.end), None)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
