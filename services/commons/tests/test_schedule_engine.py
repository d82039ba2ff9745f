"""The schedule arithmetic, on Coal Square's real pattern: parking all year, a park May–September."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from commons.schedules.engine import Period, RuleError, parse_rule, timeline, use_at
from commons.schedules.overlaps import conflicts

WARSAW = ZoneInfo("Europe/Warsaw")
PARKING = Period(uuid.uuid4(), "parking", 0, dt.date(2020, 1, 1), None)
RECREATION = Period(
    uuid.uuid4(), "recreation", 10, dt.date(2024, 5, 1), dt.date(2024, 9, 30), rule="FREQ=YEARLY"
)
COAL_SQUARE = [PARKING, RECREATION]


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.mark.parametrize("year", [2024, 2025, 2031, 2049])
def test_parking_in_october_and_a_park_in_july_of_any_year(year):
    assert use_at(COAL_SQUARE, WARSAW, at(year, 10, 15)).use == "parking"
    assert use_at(COAL_SQUARE, WARSAW, at(year, 7, 15)).use == "recreation"


def test_the_flip_is_at_local_midnight_on_1_may():
    assert use_at(COAL_SQUARE, WARSAW, at(2026, 4, 30, 23, 59)).use == "parking"
    assert use_at(COAL_SQUARE, WARSAW, at(2026, 5, 1, 0, 0)).use == "recreation"
    segments = timeline(COAL_SQUARE, WARSAW, at(2026, 4, 1), at(2026, 6, 1))
    assert [s.use for s in segments] == ["parking", "recreation"]
    flip = segments[1].start
    assert flip == dt.datetime(2026, 5, 1, tzinfo=WARSAW)
    assert flip.astimezone(dt.UTC) == dt.datetime(2026, 4, 30, 22, 0, tzinfo=dt.UTC)  # CEST


def test_a_higher_priority_event_wins_its_day():
    concert = Period(uuid.uuid4(), "event", 20, dt.date(2026, 7, 11), dt.date(2026, 7, 11))
    periods = [*COAL_SQUARE, concert]
    assert use_at(periods, WARSAW, at(2026, 7, 11)).use == "event"
    assert use_at(periods, WARSAW, at(2026, 7, 12)).use == "recreation"
    uses = [s.use for s in timeline(periods, WARSAW, at(2026, 7, 10), at(2026, 7, 13))]
    assert uses == ["recreation", "event", "recreation"]


def test_a_time_of_day_window_applies_only_within_it():
    market = Period(
        uuid.uuid4(),
        "market",
        20,
        dt.date(2026, 1, 3),
        dt.date(2026, 1, 3),
        rule="FREQ=WEEKLY;BYDAY=SA",
        day_starts_at=dt.time(8),
        day_ends_at=dt.time(14),
    )
    periods = [*COAL_SQUARE, market]
    saturday = dt.date(2026, 10, 17)
    assert use_at(periods, WARSAW, at(2026, 10, 17, 9)).use == "market"
    assert use_at(periods, WARSAW, at(2026, 10, 17, 15)).use == "parking"
    assert use_at(periods, WARSAW, at(2026, 10, 16, 9)).use == "parking"
    day = timeline(periods, WARSAW, at(2026, 10, 17, 0), at(2026, 10, 18, 0))
    assert [(s.use, s.start.hour, s.end.hour) for s in day] == [
        ("parking", 0, 8),
        ("market", 8, 14),
        ("parking", 14, 0),
    ]
    assert day[1].start.date() == saturday


def test_timeline_segments_do_not_overlap_and_cover_five_years():
    segments = timeline(COAL_SQUARE, WARSAW, at(2026, 1, 1, 0), at(2031, 1, 1, 0))
    assert len(segments) == 11  # parking, then 5 × (park, parking)
    for left, right in zip(segments, segments[1:], strict=False):
        assert left.end == right.start
        assert left.use != right.use


def test_same_priority_different_use_conflicts_at_the_first_shared_day():
    fair = Period(
        uuid.uuid4(),
        "market",
        10,
        dt.date(2026, 9, 25),
        dt.date(2026, 10, 5),
        rule="FREQ=YEARLY;INTERVAL=2",
    )
    [(other, when)] = conflicts(fair, COAL_SQUARE, WARSAW, today=dt.date(2026, 1, 1))
    assert other is RECREATION
    assert when == dt.datetime(2026, 9, 25, tzinfo=WARSAW)


def test_no_conflict_with_another_priority_or_the_same_use():
    other_priority = Period(uuid.uuid4(), "market", 5, dt.date(2026, 6, 1), dt.date(2026, 6, 2))
    same_use = Period(uuid.uuid4(), "recreation", 10, dt.date(2026, 6, 1), dt.date(2026, 6, 2))
    assert conflicts(other_priority, COAL_SQUARE, WARSAW, today=dt.date(2026, 1, 1)) == []
    assert conflicts(same_use, COAL_SQUARE, WARSAW, today=dt.date(2026, 1, 1)) == []


def test_a_conflict_years_ahead_is_found_within_ten_years():
    # Every 7 years from 2020 on 1 July: 2027 is the first summer it meets the park.
    festival = Period(
        uuid.uuid4(),
        "event",
        10,
        dt.date(2020, 7, 1),
        dt.date(2020, 7, 1),
        rule="FREQ=YEARLY;INTERVAL=7",
    )
    [(_, when)] = conflicts(festival, COAL_SQUARE, WARSAW, today=dt.date(2026, 1, 1))
    assert when.date() == dt.date(2027, 7, 1)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=HOURLY", "finer than daily"),
        ("FREQ=DAILY;BYHOUR=8", "finer than daily"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no occurrence"),
        ("FREQ=YEARLY;UNTIL=20200101", "no occurrence"),
        ("FREQ=SOMETIMES", "unknown FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "malformed"),
        ("BYDAY=MO", "FREQ is required"),
        ("FREQ=WEEKLY;BYDAY", "KEY=VALUE"),
        ("FREQ=YEARLY;DTSTART=20240501", "DTSTART"),
    ],
)
def test_unusable_rules_are_refused_with_a_reason(rule, reason):
    with pytest.raises(RuleError, match=reason):
        parse_rule(rule, dt.date(2024, 5, 1))


def test_between_equal_priorities_the_lowest_period_id_wins_whatever_the_order():
    low, high = uuid.UUID(int=1), uuid.UUID(int=2)
    first = Period(high, "recreation", 10, dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    second = Period(low, "recreation", 10, dt.date(2026, 7, 10), dt.date(2026, 7, 20))
    for periods in ([first, second], [second, first]):
        assert use_at(periods, WARSAW, at(2026, 7, 15)).period_id == low
        assert use_at(periods, WARSAW, at(2026, 7, 5)).period_id == high


def last_sunday_of_october(year: int) -> dt.date:
    day = dt.date(year, 10, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


@pytest.mark.parametrize(
    ("window", "use_at_second_0215"),
    [
        # 22:00 on Saturday to 02:30 on Sunday: over at the first 02:30 (00:30 UTC).
        ((dt.time(22), dt.time(2, 30), -1), "parking"),
        # From the first 02:30 (00:30 UTC) to 06:00: under way at the second 02:15 (01:15 UTC).
        ((dt.time(2, 30), dt.time(6), 0), "event"),
    ],
)
def test_the_repeated_autumn_hour_is_read_as_instants(window, use_at_second_0215):
    sunday = last_sunday_of_october(2026)
    starts_at, ends_at, first_day = window
    day = sunday + dt.timedelta(days=first_day)
    event = Period(uuid.uuid4(), "event", 20, day, day, None, starts_at, ends_at)
    periods = [*COAL_SQUARE, event]
    second_0215 = dt.datetime.combine(sunday, dt.time(2, 15), WARSAW).replace(fold=1)
    in_utc = second_0215.astimezone(dt.UTC)
    assert in_utc == dt.datetime.combine(sunday, dt.time(1, 15), dt.UTC)
    assert use_at(periods, WARSAW, second_0215).use == use_at_second_0215
    assert use_at(periods, WARSAW, in_utc).use == use_at_second_0215
    day_segments = timeline(periods, WARSAW, at(2026, 10, 24, 0), at(2026, 10, 26, 0))
    for left, right in zip(day_segments, day_segments[1:], strict=False):
        assert (
            left.end.astimezone(dt.UTC) == right.start.astimezone(dt.UTC) or left.end < right.start
        )
        assert left.start.astimezone(dt.UTC) < left.end.astimezone(dt.UTC)
