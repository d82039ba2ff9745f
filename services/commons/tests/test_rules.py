"""RRULEs: every part checked against RFC 5545, hostile rules refused at once, every expansion
bounded by the days it covers, and the same occurrences dateutil gives for every rule accepted."""

import datetime as dt
import random
import time

import pytest
from dateutil.rrule import rrulestr

from commons.schedules.rule_text import WEEKDAYS, RuleError
from commons.schedules.rules import CALENDAR, MAX_OCCURRENCES, TooManyOccurrences, parse_rule

MAY_DAY = dt.date(2026, 5, 1)  # a Friday


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        # INTERVAL=0 made dateutil loop for ever; the rest, up to the year 9999.
        ("FREQ=YEARLY;INTERVAL=0", "INTERVAL must be from 1 to 1000, not 0"),
        ("FREQ=DAILY;INTERVAL=-3", "INTERVAL must be from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=99999999999999", "INTERVAL must be from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=two", "malformed INTERVAL"),
        ("FREQ=DAILY;COUNT=0", "COUNT must be from 1 to 1000"),
        ("FREQ=DAILY;COUNT=5000", "COUNT must be from 1 to 1000"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT or UNTIL, not both"),
        ("FREQ=DAILY;UNTIL=20270101T000000Z", "drop the Z"),
        ("FREQ=DAILY;UNTIL=20271399", "not a date"),
        ("FREQ=DAILY;UNTIL=tomorrow", "malformed UNTIL"),
        ("FREQ=DAILY;UNTIL=99991231", "UNTIL lies in 1900..2200"),
        ("FREQ=DAILY;UNTIL=18991231", "UNTIL lies in 1900..2200"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH values lie in 1..12"),
        ("FREQ=YEARLY;BYMONTH=0", "(not 0)"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY values lie in -31..31"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,1", "lists a value twice"),
        ("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY values lie in -366..366"),
        ("FREQ=MONTHLY;BYYEARDAY=100", "BYYEARDAY does not go with FREQ=MONTHLY"),
        ("FREQ=WEEKLY;BYMONTHDAY=13", "BYMONTHDAY does not go with FREQ=WEEKLY"),
        ("FREQ=WEEKLY;BYDAY=1MO", "numbered weekdays (1MO, -1FR) go with MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYDAY=6MO", "lies in -5..5"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-6SU", "lies in -5..5"),
        ("FREQ=YEARLY;BYDAY=54MO", "lies in -53..53"),
        ("FREQ=MONTHLY;BYDAY=MO,1TU", "mixes numbered and plain"),
        ("FREQ=WEEKLY;BYDAY=MO,MO", "lists a weekday twice"),
        ("FREQ=WEEKLY;BYSETPOS=1", "BYSETPOS picks among the days of another BYxxx part"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not supported"),
        ("FREQ=YEARLY;BYEASTER=0", "BYEASTER is not supported"),
        ("FREQ=YEARLY;X-NAME=1", "X-NAME is not supported"),
        ("FREQ=WEEKLY;WKST=XX", "malformed WKST"),
        ("FREQ=DAILY;FREQ=DAILY", "FREQ is given twice"),
        ("FREQ=DAILY\nRRULE:FREQ=WEEKLY", "one RRULE only"),
        # Days that never exist are refused from the text alone.
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "day 30 never falls in February"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-30", "never falls in February"),
        ("FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", "never falls in April, June"),
    ],
)
def test_rules_out_of_rfc_5545_or_that_never_occur_are_refused_at_once(rule, reason):
    began = time.perf_counter()
    with pytest.raises(RuleError) as refused:
        parse_rule(rule, MAY_DAY)
    assert reason in str(refused.value)
    assert time.perf_counter() - began < 0.05


@pytest.mark.parametrize(
    ("rule", "starts_on"),
    [
        ("FREQ=YEARLY;BYMONTH=2", dt.date(2026, 5, 30)),  # repeats the first day's day: 30 Feb
        ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", MAY_DAY),  # every seventh day is a Friday
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYSETPOS=2", MAY_DAY),  # one Monday a week
        ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", MAY_DAY),  # every May, never in February
        ("FREQ=YEARLY;BYYEARDAY=60;BYMONTH=1", MAY_DAY),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000", dt.date(2029, 1, 1)),
        ("FREQ=YEARLY;UNTIL=20200101", MAY_DAY),
    ],
)
def test_rules_without_an_occurrence_in_ten_years_are_refused_within_a_bounded_search(
    rule, starts_on
):
    began = time.perf_counter()
    with pytest.raises(RuleError, match="no occurrence"):
        parse_rule(rule, starts_on)
    assert time.perf_counter() - began < 0.2


def test_an_expansion_costs_the_days_it_covers_not_the_distance_from_the_first_day():
    daily = parse_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", dt.date(1900, 2, 1))
    began = time.perf_counter()
    assert daily.starts_between(dt.date(2124, 1, 1), dt.date(2126, 12, 31)) == [
        dt.date(2124, 2, 29)
    ]
    assert next(daily.starts_from(dt.date(2124, 3, 1)), None) == dt.date(2128, 2, 29)
    assert time.perf_counter() - began < 0.05


def test_an_expansion_yields_a_bounded_number_of_occurrences():
    daily = parse_rule("FREQ=DAILY", dt.date(1900, 1, 1))
    with pytest.raises(TooManyOccurrences, match=str(MAX_OCCURRENCES)):
        daily.starts_between(dt.date(1900, 1, 1), dt.date(2300, 1, 1))


def test_a_rule_that_ends_is_over_and_looked_for_no_further_than_the_calendar():
    counted = parse_rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", MAY_DAY)
    assert list(counted.starts_from(MAY_DAY)) == [
        dt.date(2026, 5, 29),
        dt.date(2026, 6, 26),
        dt.date(2026, 7, 31),
    ]
    rare = parse_rule("FREQ=DAILY;INTERVAL=1000;BYMONTH=5;BYMONTHDAY=1", MAY_DAY)
    began = time.perf_counter()
    assert all(day < CALENDAR[1] for day in rare.starts_from(MAY_DAY))
    assert time.perf_counter() - began < 0.1


def _random_rule(rng: random.Random) -> str:
    frequency = rng.choice(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={frequency}", f"INTERVAL={rng.choice([1, 1, 2, 3, 5])}"]
    if rng.random() < 0.4:
        parts.append("BYMONTH=" + ",".join(map(str, rng.sample(range(1, 13), rng.randint(1, 4)))))
    if frequency != "WEEKLY" and rng.random() < 0.35:
        days = rng.sample([*range(1, 32), *range(-31, 0)], rng.randint(1, 3))
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    if frequency == "YEARLY" and rng.random() < 0.2:
        days = rng.sample([*range(1, 367), *range(-366, 0)], rng.randint(1, 3))
        parts.append("BYYEARDAY=" + ",".join(map(str, days)))
    if rng.random() < 0.4:
        weekdays = rng.sample(WEEKDAYS, rng.randint(1, 3))
        if frequency in ("MONTHLY", "YEARLY") and rng.random() < 0.5:
            weekdays = [f"{rng.choice([1, 2, -1, -2, 5])}{day}" for day in weekdays]
        parts.append("BYDAY=" + ",".join(weekdays))
    if len(parts) > 2 and rng.random() < 0.3:
        parts.append("BYSETPOS=" + ",".join(map(str, rng.sample([1, 2, 3, -1, -2], 2))))
    if rng.random() < 0.2:
        parts.append("WKST=" + rng.choice(WEEKDAYS))
    ending = rng.random()
    if ending < 0.2:
        parts.append(f"COUNT={rng.randint(1, 40)}")
    elif ending < 0.4:
        parts.append(
            f"UNTIL={dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 14600)):%Y%m%d}"
        )
    rng.shuffle(parts)
    return ";".join(parts)


def test_the_occurrences_are_dateutils_for_every_rule_accepted():
    rng = random.Random(7)
    compared = 0
    while compared < 600:
        text = _random_rule(rng)
        starts_on = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 30 * 365))
        try:
            rule = parse_rule(text, starts_on)
        except RuleError:
            continue
        first = starts_on + dt.timedelta(days=rng.randint(-100, 3000))
        last = first + dt.timedelta(days=rng.randint(0, 1500))
        expected = []
        for start in rrulestr(text, dtstart=dt.datetime.combine(starts_on, dt.time())):
            if start.date() > last:
                break
            if start.date() >= first:
                expected.append(start.date())
        assert rule.starts_between(first, last) == expected, (text, starts_on, first, last)
        compared += 1
