"""The engine's answers against plain, slow definitions on random schedules, and its bounds.

The timeline sweeps with a priority heap and conflicts expand each period once: both must give
what the definitions give — the winner at every instant is the highest priority (then the lowest
id) of the periods active then; a conflict is the first instant two rivals are both active."""

import dataclasses
import datetime as dt
import random
import time
import uuid
from zoneinfo import ZoneInfo

import pytest

from commons.schedules import engine
from commons.schedules.engine import MAX_INTERVALS, Period, ScheduleTooDense, segment_at, timeline
from commons.schedules.overlaps import conflicts

WARSAW = ZoneInfo("Europe/Warsaw")
RULES = [None, "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;COUNT=3"]
WINDOWS = [
    None,
    (dt.time(8), dt.time(14)),
    (dt.time(22), dt.time(2, 30)),
    (dt.time(2, 15), dt.time(3)),
]


def random_period(rng: random.Random, first: dt.date) -> Period:
    starts_on = first + dt.timedelta(days=rng.randrange(60))
    rule = rng.choice(RULES)
    window = rng.choice(WINDOWS)
    open_ended = rule is None and rng.random() < 0.2
    ends_on = None if open_ended else starts_on + dt.timedelta(days=rng.choice([0, 0, 1, 4]))
    return Period(
        uuid.UUID(int=rng.getrandbits(128)),
        rng.choice(["parking", "market", "event"]),
        rng.randrange(3),
        starts_on,
        ends_on,
        rule,
        *(window or (None, None)),
    )


def winner_by_definition(periods, zone, start, end):
    """(start, end, period id) in UTC: at each piece between boundaries, the best active period."""
    found = [
        (i.start.astimezone(dt.UTC), i.end.astimezone(dt.UTC), p)
        for p in periods
        for i in engine.intervals(p, zone, start, end)
    ]
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    cuts = sorted({start, end, *(b for i in found for b in i[:2] if start <= b <= end)})
    pieces: list[list] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        active = [p for begin, finish, p in found if begin <= left < finish]
        if not active:
            continue
        best = min(active, key=lambda p: (-p.priority, p.id))
        if pieces and pieces[-1][1] == left and pieces[-1][2] == best.id:
            pieces[-1][1] = right
        else:
            pieces.append([left, right, best.id])
    return [tuple(piece) for piece in pieces]


@pytest.mark.parametrize("seed", range(60))
def test_the_timeline_is_the_best_active_period_at_every_instant(seed):
    rng = random.Random(seed)
    first = dt.date(2026, 2, 20)  # across the spring-forward night
    periods = [random_period(rng, first) for _ in range(rng.randrange(2, 9))]
    start = dt.datetime.combine(first, dt.time(), WARSAW)
    end = start + dt.timedelta(days=75)
    got = [
        (s.start.astimezone(dt.UTC), s.end.astimezone(dt.UTC), s.period_id)
        for s in timeline(periods, WARSAW, start, end)
    ]
    assert got == winner_by_definition(periods, WARSAW, start, end)


def first_shared_instant(a, b, zone, since, until):
    """The first instant both are active, from each one's whole list of intervals (sorted by
    start: an interval that ends first cannot meet any later one of the other list)."""
    day = max(a.starts_on, b.starts_on, since) - dt.timedelta(days=1)
    begin, end = (dt.datetime.combine(d, dt.time(), zone) for d in (day, until))
    left, right = (
        sorted(
            (i.start.astimezone(dt.UTC), i.end.astimezone(dt.UTC))
            for i in engine.intervals(p, zone, begin, end)
        )
        for p in (a, b)
    )
    i = j = 0
    while i < len(left) and j < len(right):
        if max(left[i][0], right[j][0]) < min(left[i][1], right[j][1]):
            return max(left[i][0], right[j][0])
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return None


@pytest.mark.parametrize("seed", range(60))
def test_a_conflict_is_the_first_instant_two_rivals_share(seed):
    rng = random.Random(seed)
    today = dt.date(2026, 3, 1)
    candidate, *drawn = [random_period(rng, today - dt.timedelta(days=20)) for _ in range(6)]
    others = [  # rivals: the candidate's priority, uses of their own
        dataclasses.replace(other, use=f"u{k}", priority=candidate.priority)
        for k, other in enumerate(drawn)
    ]
    until = engine.add_years(max(today, candidate.starts_on), 10)
    expected = sorted(
        (
            (other.id, when)
            for other in others
            if (when := first_shared_instant(candidate, other, WARSAW, today, until)) is not None
        ),
        key=lambda pair: pair[1],
    )
    got = [
        (other.id, when.astimezone(dt.UTC))
        for other, when in conflicts(candidate, others, WARSAW, today)
    ]
    assert got == expected


def daily_window(index: int, priority: int = 0) -> Period:
    hour, tens = divmod(index, 6)
    return Period(
        uuid.uuid4(),
        f"u{index}",
        priority,
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 1),
        "FREQ=DAILY",
        dt.time(hour, tens * 10),
        dt.time(hour, tens * 10 + 9),
    )


def test_a_timeline_too_dense_for_its_span_is_refused_after_bounded_work():
    periods = [daily_window(index, priority=index) for index in range(50)]
    start = dt.datetime(2027, 1, 1, tzinfo=WARSAW)
    asked = time.process_time()
    with pytest.raises(ScheduleTooDense, match=str(MAX_INTERVALS)):
        timeline(periods, WARSAW, start, start + dt.timedelta(days=5 * 366))
    assert time.process_time() - asked < 0.5
    week = timeline(periods, WARSAW, start, start + dt.timedelta(days=7))
    assert len(week) == 50 * 7


def test_the_same_use_of_neighbouring_periods_is_one_segment():
    july = Period(uuid.uuid4(), "recreation", 10, dt.date(2026, 7, 1), dt.date(2026, 7, 15))
    later = Period(uuid.uuid4(), "recreation", 5, dt.date(2026, 7, 16), dt.date(2026, 7, 31))
    found = segment_at([july, later], WARSAW, dt.datetime(2026, 7, 10, 12, tzinfo=WARSAW))
    assert (found.start, found.end) == (
        dt.datetime(2026, 7, 1, tzinfo=WARSAW),
        dt.datetime(2026, 8, 1, tzinfo=WARSAW),
    )
    assert found.period_id == july.id  # the period in force at the instant


def test_a_segment_on_a_dense_schedule_shows_the_widest_reach_it_could_afford():
    # A whole-day closure over forty daily windows: the closure's segment is found within 45 days,
    # the 366-day reach would expand some 29,000 windows.
    closed = Period(uuid.uuid4(), "closed", 90, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    periods = [closed, *(daily_window(index) for index in range(40))]
    instant = dt.datetime(2026, 6, 15, 12, tzinfo=WARSAW)
    found = segment_at(periods, WARSAW, instant)
    assert found.use == "closed"
    reach = dt.timedelta(days=45)
    assert (found.start, found.end) == (instant - reach, instant + reach)
