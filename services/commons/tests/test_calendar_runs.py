"""A site's uses as calendar events, shape by shape and without a database: each feed, expanded by
an independent reader (`recurring_ical_events`), gives exactly the engine's timeline over the
feed's span — clock changes, windows past midnight and overlapping occurrences included — in few
VEVENTs. Dates are relative to the real today (or to a given one)."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from commons.feeds import ical
from commons.feeds.uses import feed_span
from commons.schedules import engine
from commons.schedules.models import UsePeriod
from commons.schedules.service import as_engine_period
from commons.sites.models import Site

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = dt.date.today()
Y = TODAY.year
T = dt.time
DAY = dt.timedelta(days=1)


def last_sunday(year: int, month: int) -> dt.date:
    """The day the clocks change in the EU (March forward, October back)."""
    day = dt.date(year, month + 1, 1) - DAY
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def saturday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


SPRING, AUTUMN = last_sunday(Y + 1, 3), last_sunday(Y + 1, 10)
FIRST_SATURDAY = saturday_on_or_after(dt.date(Y - 1, 1, 1))
LAST_LEAP_YEAR = max(year for year in range(Y - 8, Y) if year % 4 == 0 and year % 100 != 0)
SHAPES = {  # name: (period, at most this many VEVENTs over the span)
    "open-ended": (dict(starts_on=dt.date(Y - 5, 1, 1)), 1),
    "open-ended window": (
        dict(starts_on=dt.date(Y - 1, 4, 1), day_starts_at=T(6), day_ends_at=T(7)),
        3,
    ),
    "nightly, over every clock change": (
        dict(starts_on=dt.date(Y - 3, 1, 1), day_starts_at=T(22), day_ends_at=T(6)),
        6 * 8,  # weekly runs, broken on the nights the clocks change
    ),
    "season": (
        dict(starts_on=dt.date(Y - 2, 5, 1), ends_on=dt.date(Y - 2, 9, 30), rule="FREQ=YEARLY"),
        2,  # asked in summer, the span ends inside a season: its last one is cut short
    ),
    "days": (dict(starts_on=dt.date(Y + 1, 7, 10), ends_on=dt.date(Y + 1, 7, 12)), 1),
    "window over days, over the spring clock change": (
        dict(
            starts_on=SPRING - 2 * DAY,
            ends_on=SPRING + DAY,
            day_starts_at=T(22),
            day_ends_at=T(2),
        ),
        4,
    ),
    "in the skipped hour": (
        dict(
            starts_on=SPRING - DAY, ends_on=SPRING + DAY, day_starts_at=T(2, 15), day_ends_at=T(3)
        ),
        3,
    ),
    "in the repeated hour": (
        dict(
            starts_on=AUTUMN - DAY, ends_on=AUTUMN + DAY, day_starts_at=T(2, 15), day_ends_at=T(3)
        ),
        3,
    ),
    # Daily windows whose wall times stay while their length does not (01:00-04:00 lasts two
    # hours the night the clocks go forward), or that start in the repeated hour: a run must stop
    # there, for a reader that keeps DTEND's exact length (RFC 5545) and one that keeps the wall
    # clock's alike.
    "early mornings, over the spring clock change": (
        dict(
            starts_on=SPRING - 10 * DAY,
            ends_on=SPRING - 10 * DAY,
            rule="FREQ=DAILY;COUNT=20",
            day_starts_at=T(1),
            day_ends_at=T(4),
        ),
        3,
    ),
    "from the repeated hour, over the autumn clock change": (
        dict(
            starts_on=AUTUMN - 10 * DAY,
            ends_on=AUTUMN - 10 * DAY,
            rule="FREQ=DAILY;COUNT=20",
            day_starts_at=T(2, 30),
            day_ends_at=T(5),
        ),
        3,
    ),
    "inside the repeated hour, daily": (
        dict(
            starts_on=AUTUMN - 10 * DAY,
            ends_on=AUTUMN - 10 * DAY,
            rule="FREQ=DAILY;COUNT=20",
            day_starts_at=T(2, 10),
            day_ends_at=T(2, 40),
        ),
        3,
    ),
    "29 February, each leap year (no yearly step from it)": (
        dict(
            starts_on=dt.date(LAST_LEAP_YEAR, 2, 29),
            ends_on=dt.date(LAST_LEAP_YEAR, 2, 29),
            rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        ),
        2,
    ),
    "weekly window": (
        dict(
            starts_on=FIRST_SATURDAY,
            ends_on=FIRST_SATURDAY,
            rule="FREQ=WEEKLY;BYDAY=SA",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        2,
    ),
    "start off the rule": (
        dict(
            starts_on=FIRST_SATURDAY - 2 * DAY,
            ends_on=FIRST_SATURDAY - 2 * DAY,
            rule="FREQ=WEEKLY;BYDAY=SA;COUNT=20",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        2,
    ),
    "weekend every other week": (
        dict(
            starts_on=FIRST_SATURDAY,
            ends_on=FIRST_SATURDAY + DAY,
            rule=f"FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL={Y + 2}0101",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        4,
    ),
    "each weekend day and the next, every other week": (
        dict(
            starts_on=FIRST_SATURDAY,
            ends_on=FIRST_SATURDAY + DAY,
            rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        6,
    ),
    "ten summer evenings": (
        dict(
            starts_on=dt.date(Y - 1, 6, 1),
            ends_on=dt.date(Y - 1, 6, 10),
            rule="FREQ=YEARLY;COUNT=4",
            day_starts_at=T(18),
            day_ends_at=T(23),
        ),
        4,
    ),
    "last day of the month": (
        dict(
            starts_on=dt.date(Y, 4, 30),
            ends_on=dt.date(Y, 4, 30),
            rule=f"FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL={Y + 3}0101T000000",
        ),
        40,
    ),
    "evenings across february": (
        dict(
            starts_on=dt.date(Y - 1, 2, 25),
            ends_on=dt.date(Y - 1, 3, 3),
            rule="FREQ=YEARLY",
            day_starts_at=T(18),
            day_ends_at=T(23),
        ),
        20,
    ),
    "mornings across month ends": (
        dict(
            starts_on=dt.date(Y - 1, 1, 30),
            ends_on=dt.date(Y - 1, 2, 1),
            rule="FREQ=MONTHLY",
            day_starts_at=T(9),
            day_ends_at=T(12),
        ),
        120,
    ),
    "first sunday and two days": (
        dict(
            starts_on=dt.date(Y - 1, 1, 1),
            ends_on=dt.date(Y - 1, 1, 3),
            rule="FREQ=MONTHLY;BYDAY=1SU",
            day_starts_at=T(9),
            day_ends_at=T(12),
        ),
        120,
    ),
}


def period(use: str, priority: int, **shape) -> UsePeriod:
    made = UsePeriod(site_id=uuid.uuid4(), use=use, priority=priority, **shape)
    made.id, made.created_at = uuid.uuid4(), dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return made


def feed_and_timeline(periods: list[UsePeriod], today: dt.date):
    """The feed's use occurrences over its span, and the engine's timeline there, both merged
    where touching pieces have the same use; and the feed's VEVENTs.

    The occurrences are checked as two kinds of reader place them: `recurring_ical_events`
    keeps an occurrence's DTEND on the wall clock (01:00-04:00 stays 01:00-04:00 the night the
    clocks go forward), RFC 5545 keeps its exact length ("the same exact duration"): the
    occurrences must be the timeline's either way. And no repeat of a recurring event falls on
    a local time that happens twice or never, where readers place it differently."""
    site = Site(name="Plac", kind="square", timezone="Europe/Warsaw", area_m2=1.0, geom=None)
    body = ical.site_calendar(site, periods, [], today=today).to_ical()
    calendar = Calendar.from_ical(body)
    begin, end = (dt.datetime.combine(day, T(), WARSAW) for day in feed_span(today))
    exact = {str(e["UID"]): exact_length(e) for e in calendar.walk("VEVENT")}
    repeated = {str(e["UID"]) for e in calendar.walk("VEVENT") if "RRULE" in e}
    feed, strict = [], []
    for o in recurring_ical_events.of(calendar).between(begin, end):
        start, use = at(o["DTSTART"].dt), str(o["SUMMARY"])
        if str(o["UID"]) in repeated:  # readers differ on a repeated or skipped local time
            assert exists_once(start) and exists_once(at(o["DTEND"].dt)), (use, start)
        feed.append((max(start, begin), min(at(o["DTEND"].dt), end), use))
        length = exact[str(o["UID"])]
        finish = at(o["DTEND"].dt) if length is None else start.astimezone(dt.UTC) + length
        strict.append((max(start, begin), min(finish, end), use))
    assert merged(strict) == merged(feed), "readers of exact and of wall-clock lengths differ"
    shapes = [as_engine_period(p, p.id) for p in periods]
    timeline = [(s.start, s.end, s.use) for s in engine.timeline(shapes, WARSAW, begin, end)]
    return merged(feed), merged(timeline), calendar.walk("VEVENT")


def exists_once(moment: dt.datetime) -> bool:
    """A local time that neither a clock change skips nor one repeats (PEP 495's two readings)."""
    wall = moment.replace(tzinfo=None)
    return (
        wall.replace(tzinfo=WARSAW).utcoffset() == wall.replace(tzinfo=WARSAW, fold=1).utcoffset()
    )


def exact_length(event) -> dt.timedelta | None:
    """A timed VEVENT's length in absolute time (None: all-day, whose days are nominal)."""
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    if not isinstance(start, dt.datetime):
        return None
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


def at(moment) -> dt.datetime:
    return moment if isinstance(moment, dt.datetime) else dt.datetime.combine(moment, T(), WARSAW)


def merged(pieces) -> list[tuple[dt.datetime, dt.datetime, str]]:
    found: list[tuple[dt.datetime, dt.datetime, str]] = []
    for start, end, use in sorted(
        (s.astimezone(dt.UTC), e.astimezone(dt.UTC), u) for s, e, u in pieces
    ):
        assert not found or found[-1][1] <= start, "two uses at once"
        if found and found[-1][1] == start and found[-1][2] == use:
            found[-1] = (found[-1][0], end, use)
        elif start < end:
            found.append((start, end, use))
    return found


@pytest.mark.parametrize("name", SHAPES)
def test_every_period_shape_gives_the_engines_instants(name):
    shape, most = SHAPES[name]
    feed, timeline, events = feed_and_timeline([period("market", 5, **shape)], TODAY)
    assert timeline, "the shape is active within the span"
    assert feed == timeline
    assert len(events) <= most


def coal_square(today: dt.date) -> list[UsePeriod]:
    """Coal Square with a concert next summer (of the year `today` is in) and a market."""
    return [
        period("parking", 0, starts_on=dt.date(2020, 1, 1)),
        period(
            "recreation",
            10,
            starts_on=dt.date(2024, 5, 1),
            ends_on=dt.date(2024, 9, 30),
            rule="FREQ=YEARLY",
        ),
        period(
            "event",
            20,
            starts_on=dt.date(today.year + 1, 7, 11),
            ends_on=dt.date(today.year + 1, 7, 11),
        ),
        period(
            "market",
            30,
            starts_on=FIRST_SATURDAY,
            ends_on=FIRST_SATURDAY,
            rule="FREQ=WEEKLY;BYDAY=SA",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        period("closed", 40, starts_on=dt.date(2020, 1, 1), day_starts_at=T(23), day_ends_at=T(5)),
    ]


LEAP_YEAR = next(year for year in range(Y, Y + 8) if year % 4 == 0 and year % 100 != 0)


@pytest.mark.parametrize(
    "today",
    [TODAY, dt.date(Y, 1, 1), dt.date(Y, 12, 31), dt.date(LEAP_YEAR, 2, 29)],
    ids=["today", "1 January", "31 December", "29 February"],
)
def test_overlapping_uses_give_the_timeline_whatever_the_day(today):
    """Coal Square with a market, a concert and closed nights: one use at a time, the
    timeline's, in tens of events — on any day the feed is asked for."""
    feed, timeline, events = feed_and_timeline(coal_square(today), today)
    assert feed == timeline
    assert {use for _, _, use in timeline} == {"parking", "recreation", "event", "market", "closed"}
    assert len(timeline) > 5000 and len(events) < 300


def test_the_span_moves_once_a_month_and_its_start_once_a_year():
    first, end = feed_span(dt.date(Y, 3, 15))
    assert (first.month, first.day, end.day) == (1, 1, 1)
    assert feed_span(dt.date(Y, 3, 1)) == feed_span(dt.date(Y, 3, 31))
    assert feed_span(dt.date(Y, 4, 1))[1] == dt.date(end.year, 4, 1)
    assert feed_span(dt.date(LEAP_YEAR, 2, 29))[1].month == 2
