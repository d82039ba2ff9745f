"""A site's use as calendar events: what the timeline says, and nothing else.

The feed is built from `engine.timeline` — the winning use of every instant, gaps left out — not
from the periods as written: listing each period would show `parking` and `recreation` on every
summer day, since RFC 5545 has no notion of priority. Each timeline segment is one occurrence of
one VEVENT; segments of the same winning period that repeat exactly (same local start and end
times, same length) every few days, every week or every year are one VEVENT with an RRULE
(`COUNT` of them): a run. So a weekly market is one event however many years the feed covers,
and so is the parking between two markets; the week the clocks change, a season cut by a
one-off event or a winter with a 29 February ends a run, and the next one starts.

Why not per period an RRULE with EXDATEs and overrides where a higher priority wins: an override
replaces one occurrence with one interval, and a period that loses only part of a day (parking
around a 08:00–14:00 market) needs two; an open-ended period would need an EXDATE or override for
every day it loses, thousands, which calendar apps store one by one. Why not one VEVENT per
segment: it is exact, but Coal Square with a Saturday market has 739 segments over the feed's
seven years (344 KB); with closed nights too, 5,773 (2.7 MB, 3.5 s to build). Calendar apps sync
and store every event of a subscription, and some refuse feeds that large. As runs: 79 events
(41 KB), and 162 (82 KB, 0.3 s) — while each occurrence still is exactly a timeline segment (the
tests expand the feed with an independent reader and compare it with the timeline instant by
instant).

A run only holds occurrences an RFC 5545 reader places exactly where the segments are: every
start and end is a local time that exists once (not in a skipped or repeated hour), and a timed
run keeps its length both in absolute time and on the wall clock (readers differ on which one
DTSTART..DTEND means across a clock change). Segments from local midnight to local midnight are
all-day (DATE) events, as calendar apps show seasons.

UIDs are `<period id>-<first start, UTC>@meent.commons`: an event keeps its UID from one fetch to
the next while its first segment is the same; a change to the schedule changes the events around
it only. A run already under way where the feed's span begins (see `feed_span`: it moves on
1 January) gets a new first segment, hence a new UID, once a year.
"""

import bisect
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from commons.schedules import engine, horizon
from commons.schedules.models import UsePeriod
from commons.schedules.service import as_engine_period

MIDNIGHT = dt.time()
# Segments of a period tried as a run's second occurrence (the step): enough for a few uses a week.
STEP_CANDIDATES = 8
MAX_STEP_DAYS = 28  # repeats up to every four weeks, or every year
WEEK = 7


@dataclass(frozen=True)
class Step:
    unit: str  # "days" or "years"
    size: int


@dataclass(frozen=True)
class Run:
    """A segment and its exact repeats: `count` occurrences, `step` apart (one VEVENT)."""

    first: engine.Segment
    all_day: bool  # from local midnight to local midnight: DATE values
    count: int = 1
    step: Step | None = None


@dataclass(frozen=True)
class _Piece:
    """A segment as a reader sees it: local wall times, and whether it can repeat exactly."""

    segment: engine.Segment
    start: dt.datetime  # the local clock readings
    end: dt.datetime
    plain: bool  # start and end are local times that exist once (no clock change there)
    all_day: bool  # from local midnight to local midnight
    # What repeats must share. A timed one keeps its length on the clock and in absolute time
    # (readers differ on which DTEND means); an all-day one counts days only.
    shape: tuple[object, ...]

    @classmethod
    def of(cls, segment: engine.Segment, zone: ZoneInfo) -> "_Piece":
        start, end = _wall(segment.start), _wall(segment.end)
        plain = _exists_once(start, zone) and _exists_once(end, zone)
        all_day = start.time() == MIDNIGHT == end.time()
        length = segment.end.astimezone(dt.UTC) - segment.start.astimezone(dt.UTC)
        shape = (all_day, start.time(), end - start, None if all_day else length)
        return cls(segment, start, end, plain, all_day, shape)


def feed_span(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a site's feed covers, [first, end): within the schedules' one horizon (what maps
    and tiles answer for), from its first 1 January to the first day of its last month. So the
    feed changes once a month (its end), and once a year a run under way at its start gets a new
    first segment, and UID."""
    days = horizon.materialized_days(today)
    first_january = dt.date(days.first.year, 1, 1)
    if first_january < days.first:
        first_january = dt.date(days.first.year + 1, 1, 1)
    return first_january, days.end.replace(day=1)


def site_runs(
    periods: Sequence[UsePeriod], zone: ZoneInfo, span: tuple[dt.date, dt.date]
) -> list[Run]:
    """The site's timeline over `span` (its days, local midnight to local midnight), as runs."""
    begin, end = (dt.datetime.combine(day, MIDNIGHT, zone) for day in span)
    shapes = [as_engine_period(period, period.id) for period in periods]
    return runs(engine.timeline(shapes, zone, begin, end), zone)


def runs(segments: Sequence[engine.Segment], zone: ZoneInfo) -> list[Run]:
    """The timeline's segments as runs, in order of their first segment."""
    by_period: dict[uuid.UUID, list[_Piece]] = {}
    for segment in segments:
        by_period.setdefault(segment.period_id, []).append(_Piece.of(segment, zone))
    found = [run for own in by_period.values() for run in _period_runs(own)]
    return sorted(found, key=lambda run: (run.first.start, str(run.first.period_id)))


def _period_runs(pieces: list[_Piece]) -> list[Run]:
    """One period's pieces (in time order, never overlapping) as the longest runs, greedily."""
    plain = {piece.start: index for index, piece in enumerate(pieces) if piece.plain}
    alike: dict[tuple[object, ...], list[int]] = {}  # plain pieces by shape, in time order
    for index, piece in enumerate(pieces):
        if piece.plain:
            alike.setdefault(piece.shape, []).append(index)
    taken: set[int] = set()
    found = []
    for index, first in enumerate(pieces):
        if index in taken:
            continue
        best: list[int] = [index]
        best_step: Step | None = None
        later = alike[first.shape] if first.plain else []
        after = range(bisect.bisect_right(later, index), len(later))
        untaken = (pieces[later[k]] for k in after if later[k] not in taken)
        for step in _candidate_steps(first, untaken):
            members = _grow(index, step, pieces, plain, taken)
            if len(members) > len(best):
                best, best_step = members, step
        taken.update(best)
        found.append(Run(first.segment, first.all_day, len(best), best_step))
    return found


def _candidate_steps(first: _Piece, alike: Iterable[_Piece]) -> Iterator[Step]:
    """Steps from a piece to the next ones of its shape (at most STEP_CANDIDATES): to the
    nearest one and the nearest a whole number of weeks away (within four weeks), or a year.
    Not a coincidence years away, which would tie an event to a change far from it, nor every
    other week where every week repeats, which would win only by skipping, by luck, the night a
    clock changes."""
    nearest, weeks = True, True
    for tried, other in enumerate(alike):
        start, then = first.start.date(), other.start.date()
        days = (then - start).days
        if tried == STEP_CANDIDATES or (days > MAX_STEP_DAYS and then > engine.add_years(start, 1)):
            return
        # A year on, the same day: never from 29 February, which the next year has not.
        if (then.month, then.day, then.year) == (start.month, start.day, start.year + 1):
            yield Step("years", 1)
        elif days <= MAX_STEP_DAYS and (nearest or (weeks and days % WEEK == 0)):
            yield Step("days", days)
        nearest, weeks = False, weeks and days % WEEK != 0


def _grow(
    index: int, step: Step, pieces: list[_Piece], plain: dict[dt.datetime, int], taken: set[int]
) -> list[int]:
    """A piece and the pieces that repeat it exactly at `step`, up to the first one missing."""
    first = pieces[index]
    members = [index]
    while True:
        start = _shifted(first.start, step, len(members))
        found = plain.get(start)
        if found is None or found in taken or pieces[found].shape != first.shape:
            return members
        members.append(found)


def _shifted(start: dt.datetime, step: Step, k: int) -> dt.datetime:
    """The wall time a reader gives the k-th repeat of `start`."""
    if step.unit == "days":
        return start + dt.timedelta(days=step.size * k)
    return start.replace(year=start.year + step.size * k)  # a yearly step: not from 29 February


def _exists_once(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """A local time neither skipped nor repeated by a clock change: in a gap or a fold, the
    two readings PEP 495 gives it (fold 0 and 1) have different offsets."""
    return wall.replace(tzinfo=zone).utcoffset() == wall.replace(tzinfo=zone, fold=1).utcoffset()


def _wall(moment: dt.datetime) -> dt.datetime:
    """The local clock reading (segments are in the site's zone)."""
    return moment.replace(tzinfo=None, fold=0)
