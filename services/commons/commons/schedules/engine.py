"""What a site is used for, when: pure schedule arithmetic, no database.

A use period is a span of local days (`starts_on`..`ends_on`, inclusive), optionally repeated by an
RFC 5545 RRULE (each occurrence starts on a rule date and lasts as long as the first), optionally
only within a time-of-day window, with a priority: where periods overlap, the highest priority wins
(a one-day event over the summer season over the all-year parking). Everything is in the site's
time zone, so a season flips at local midnight whatever the offset that day.
"""

import datetime as dt
import heapq
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from commons.schedules.rule_text import RuleError as RuleError
from commons.schedules.rules import MAX_OCCURRENCES, TooManyOccurrences
from commons.schedules.rules import Rule as Rule
from commons.schedules.rules import parse_rule as parse_rule

CONFLICT_HORIZON_YEARS = 10
MAX_TIMELINE_DAYS = 5 * 366 + 1
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


@dataclass(frozen=True)
class Interval:
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


def occurrence_days(period: Period, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The occurrences (first day, last day) that touch the days `first`..`last`."""
    span = dt.timedelta(days=period.span_days)
    if period.rule is None:
        if period.ends_on is None:
            return [(period.starts_on, last)] if period.starts_on <= last else []
        starts = [period.starts_on]
    else:
        starts = parse_rule(period.rule, period.starts_on).starts_between(first - span, last)
    return [(start, start + span) for start in starts if start + span >= first and start <= last]


def intervals(
    period: Period, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """The instants `period` is active within [start, end), as local-time intervals.

    A window's wall times are read as zoneinfo reads them: one that happens twice (the repeated
    hour in autumn) is its first occurrence, one that does not happen (spring forward) takes the
    offset before the change — and a window that this leaves empty is left out."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)  # compared as instants
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date()
    found: list[Interval] = []
    windowed_until = first
    for occurrence_start, occurrence_end in occurrence_days(period, first, last):
        if period.day_starts_at is None:
            begin = dt.datetime.combine(occurrence_start, dt.time(), zone)
            finish = dt.datetime.combine(occurrence_end + dt.timedelta(days=1), dt.time(), zone)
            found.append(Interval(begin, finish, period))
            continue
        # Occurrences longer than the rule's step overlap: each day's window counts once.
        day = max(occurrence_start, first, windowed_until)
        while day <= min(occurrence_end, last):
            found.append(_window(period, zone, day))
            day += dt.timedelta(days=1)
        windowed_until = max(windowed_until, day)
        if len(found) > MAX_OCCURRENCES:
            raise TooManyOccurrences(f"more than {MAX_OCCURRENCES} windows of period {period.id}")
    return [i for i in found if i.end > start and i.start < end and i.start < i.end]


def _window(period: Period, zone: ZoneInfo, day: dt.date) -> Interval:
    assert period.day_starts_at is not None and period.day_ends_at is not None
    begin = dt.datetime.combine(day, period.day_starts_at, zone)
    end_day = day if period.day_ends_at > period.day_starts_at else day + dt.timedelta(days=1)
    return Interval(begin, dt.datetime.combine(end_day, period.day_ends_at, zone), period)


def winner_order(period: Period) -> tuple[int, uuid.UUID]:
    """Periods sorted by this key put the winner first: the highest priority, and between equals
    (which the conflict rule keeps to one use) the lowest period id — the order the map's SQL
    uses too (`ORDER BY priority DESC, period_id`), so no answer depends on who computes it."""
    return -period.priority, period.id


def _winner(active: list[Interval]) -> Interval | None:
    return min(active, key=lambda i: winner_order(i.period), default=None)


def timeline(
    periods: Iterable[Period], zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[Segment]:
    """Non-overlapping segments of the winning use between `start` and `end` (gaps left out).

    The sweep runs in UTC: datetimes of one zone compare by wall time, fold ignored, so in the
    repeated autumn hour 02:15 (second time) would sort before 02:30 (first time)."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    found = [_in_utc(i) for p in periods for i in intervals(p, zone, start, end)]
    boundaries = sorted({start, end, *(i.start for i in found), *(i.end for i in found)})
    boundaries = [b for b in boundaries if start <= b <= end]
    by_start = sorted(found, key=lambda i: i.start)
    active: list[tuple[dt.datetime, int, Interval]] = []  # heap by end
    segments: list[Segment] = []
    next_index = 0
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        while next_index < len(by_start) and by_start[next_index].start <= left:
            interval = by_start[next_index]
            heapq.heappush(active, (interval.end, next_index, interval))
            next_index += 1
        while active and active[0][0] <= left:
            heapq.heappop(active)
        winner = _winner([entry[2] for entry in active])
        if winner is None:
            continue
        _append(
            segments,
            Segment(left, right, winner.period.use, winner.period.id, winner.period.priority),
        )
    return [_local(s, zone) for s in segments]


def _in_utc(interval: Interval) -> Interval:
    return Interval(
        interval.start.astimezone(dt.UTC), interval.end.astimezone(dt.UTC), interval.period
    )


def _append(segments: list[Segment], segment: Segment) -> None:
    last = segments[-1] if segments else None
    if last and last.end == segment.start and last.period_id == segment.period_id:
        segments[-1] = Segment(last.start, segment.end, last.use, last.period_id, last.priority)
    else:
        segments.append(segment)


def _local(segment: Segment, zone: ZoneInfo) -> Segment:
    return Segment(
        segment.start.astimezone(zone),
        segment.end.astimezone(zone),
        segment.use,
        segment.period_id,
        segment.priority,
    )


def use_at(periods: Iterable[Period], zone: ZoneInfo, instant: dt.datetime) -> Segment | None:
    """The use at one instant: the winning period's segment around it, or None."""
    day = dt.timedelta(days=1)
    instant = instant.astimezone(dt.UTC)
    return segment_containing(timeline(periods, zone, instant - day, instant + day), instant)


def segment_at(periods: Iterable[Period], zone: ZoneInfo, instant: dt.datetime) -> Segment | None:
    """The use at `instant` as its whole segment: from when this use began to when it next
    changes (or stops), each looked for at most `SEGMENT_REACH` away — a use that began earlier,
    or goes on longer, shows that bound. Neighbouring periods of the same use make one segment;
    `period_id` and `priority` are those of the period in force at `instant`."""
    instant, periods = instant.astimezone(dt.UTC), list(periods)
    for reach in _REACHES:  # most uses change within weeks: look further only when needed
        low, high = instant - reach, instant + reach
        segments = timeline(periods, zone, low, high)
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


def first_overlap(
    a: Period, b: Period, zone: ZoneInfo, since: dt.date, until: dt.date
) -> dt.datetime | None:
    """The first instant both periods are active from `since` to `until` (None: they do not)."""
    # Neither is active before its first day (a window past midnight reaches into the next).
    start_day = max(a.starts_on, b.starts_on, since) - dt.timedelta(days=1)
    begin = dt.datetime.combine(start_day, dt.time(), zone)
    end = dt.datetime.combine(until, dt.time(), zone)
    left = sorted((_in_utc(i) for i in intervals(a, zone, begin, end)), key=lambda i: i.start)
    right = sorted((_in_utc(i) for i in intervals(b, zone, begin, end)), key=lambda i: i.start)
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        if start < min(left[i].end, right[j].end):
            return start.astimezone(zone)
        if left[i].end <= right[j].end:
            i += 1
        else:
            j += 1
    return None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def conflicts(
    candidate: Period, others: Sequence[Period], zone: ZoneInfo, today: dt.date
) -> list[tuple[Period, dt.datetime]]:
    """Periods of the same priority and another use that overlap `candidate` in the ten years
    from today (or from its first day, if later): the days a conflict can still be settled."""
    until = add_years(max(today, candidate.starts_on), CONFLICT_HORIZON_YEARS)
    found = []
    for other in others:
        if other.id == candidate.id or other.priority != candidate.priority:
            continue
        if other.use == candidate.use:
            continue
        if (overlap := first_overlap(candidate, other, zone, today, until)) is not None:
            found.append((other, overlap))
    return sorted(found, key=lambda pair: pair[1])
