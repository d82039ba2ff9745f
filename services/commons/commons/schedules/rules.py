"""RFC 5545 recurrence rules (RRULE) of use periods and maintenance tasks: read, checked, expanded.

dateutil's rrule, which expanded them before, looks for the next occurrence however far away it
is: until the year 9999 when there is none (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30` kept a process
busy for seconds), for ever with `INTERVAL=0`. Here a rule is checked part by part against RFC 5545
(ranges, which parts go with which frequency, list lengths, days that never exist), and expanded by
calendar arithmetic over only the periods — days, weeks, months or years — that meet the days asked
about, clamped to `CALENDAR`. The work of an expansion is bounded by the days it covers, and it
yields at most `MAX_OCCURRENCES` starts, whatever the rule. Its answers are dateutil's (a test
compares them on thousands of rules); only parts whose meaning differs between dateutil and
RFC 5545, or that the schedules do not need, are refused.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from commons.schedules import rule_text
from commons.schedules.rule_text import RuleError, month_length
from meent_shared.errors import InvalidInput

# Occurrences are looked for between these days only: period dates lie in 1900..2200, and questions
# within a century of today.
CALENDAR = (dt.date(1900, 1, 1), dt.date(2301, 1, 1))
MAX_OCCURRENCES = 20_000  # a day a period for 54 years; the largest honest expansion is 11 years
EXISTENCE_DAYS = 366 * 10  # a rule needs an occurrence within ten years of its first day


class TooManyOccurrences(InvalidInput):
    """An expansion would yield more than `MAX_OCCURRENCES` starts (a 422 wherever it surfaces)."""

    code = "too_many_occurrences"


@dataclass(frozen=True)
class Rule:
    """A checked rule anchored at its first day; `until` also stands for a COUNT."""

    frequency: str
    interval: int
    starts_on: dt.date
    until: dt.date | None
    months: frozenset[int]
    monthdays: frozenset[int]
    yeardays: frozenset[int]
    weekdays: frozenset[int]  # 0 is Monday
    nth_weekdays: frozenset[tuple[int, int]]  # (weekday, n): the n-th (from the end if < 0)
    setpos: tuple[int, ...]
    week_start: int

    def starts_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The occurrences' first days from `first` to `last` (inclusive), at most MAX_OCCURRENCES."""
        found = []
        for start in self.starts_from(first, last):
            found.append(start)
            if len(found) > MAX_OCCURRENCES:
                raise TooManyOccurrences(
                    f"more than {MAX_OCCURRENCES} occurrences between {first} and {last}"
                )
        return found

    def starts_from(self, first: dt.date, last: dt.date = CALENDAR[1]) -> Iterator[dt.date]:
        """The occurrences' first days from `first` on, in order, up to `last` at most."""
        low = max(first, self.starts_on, CALENDAR[0]).toordinal()
        high = min(last, self.until or CALENDAR[1], CALENDAR[1]).toordinal()
        for period_first, period_last in _periods(self, low, high):
            for day in _days_of(self, period_first, period_last):
                if day > high:
                    return
                if day >= low:
                    yield dt.date.fromordinal(day)

    def first_start(self) -> dt.date | None:
        return next(self.starts_from(self.starts_on), None)

    def __iter__(self) -> Iterator[dt.datetime]:
        """Occurrence starts as local midnights (as dateutil's rrule gave them)."""
        return (dt.datetime.combine(day, dt.time()) for day in self.starts_from(self.starts_on))


def parse_rule(text: str, starts_on: dt.date) -> Rule:
    """A checked RRULE: daily or coarser, parts as RFC 5545 allows, an occurrence within ten years."""
    return _parse(text.strip(), starts_on)


@lru_cache(maxsize=4096)
def _parse(text: str, starts_on: dt.date) -> Rule:
    parts = rule_text.read(text)
    rule = _with_defaults(parts, starts_on)
    horizon = min(starts_on + dt.timedelta(days=EXISTENCE_DAYS), CALENDAR[1])
    if next(rule.starts_from(starts_on, horizon), None) is None:
        raise RuleError("the rule has no occurrence in the next ten years")
    return _count_as_until(rule, int(parts["COUNT"])) if "COUNT" in parts else rule


def _with_defaults(parts: dict[str, str], starts_on: dt.date) -> Rule:
    """The rule with dateutil's defaults made explicit: without a day part, a yearly rule repeats
    the first day's month and day, a monthly one its day, a weekly one its weekday."""
    frequency = parts["FREQ"]
    months = rule_text.numbers(parts, "BYMONTH")
    monthdays = rule_text.numbers(parts, "BYMONTHDAY")
    weekdays, nth_weekdays = rule_text.weekdays(parts)
    if not ({"BYYEARDAY", "BYMONTHDAY", "BYDAY"} & parts.keys()):
        if frequency == "YEARLY":
            months = months or frozenset({starts_on.month})
            monthdays = frozenset({starts_on.day})
        elif frequency == "MONTHLY":
            monthdays = frozenset({starts_on.day})
        elif frequency == "WEEKLY":
            weekdays = frozenset({starts_on.weekday()})
    rule_text.check_month_days(months, monthdays)
    return Rule(
        frequency=frequency,
        interval=int(parts.get("INTERVAL", "1")),
        starts_on=starts_on,
        until=rule_text.until(parts),
        months=months,
        monthdays=monthdays,
        yeardays=rule_text.numbers(parts, "BYYEARDAY"),
        weekdays=weekdays,
        nth_weekdays=nth_weekdays,
        setpos=tuple(sorted(rule_text.numbers(parts, "BYSETPOS"))),
        week_start=rule_text.WEEKDAYS.index(parts.get("WKST", "MO")),
    )


def _count_as_until(rule: Rule, count: int) -> Rule:
    """COUNT=n as the day of the n-th occurrence (the same days, and expansions that need not
    count from the first day); an n-th beyond the calendar leaves the rule open."""
    for number, day in enumerate(rule.starts_from(rule.starts_on), start=1):
        if number == count:
            return _replace_until(rule, day)
    return rule


def _replace_until(rule: Rule, until: dt.date) -> Rule:
    return Rule(**{**vars(rule), "until": until})


# Periods: the days, weeks, months or years a rule repeats by, as (first, last) day ordinals.


def _periods(rule: Rule, low: int, high: int) -> Iterator[tuple[int, int]]:
    """The periods selected by FREQ and INTERVAL that meet the days `low`..`high`, in order."""
    start = rule.starts_on.toordinal()
    step = rule.interval
    if rule.frequency == "DAILY":
        first = start + max(0, -(-(low - start) // step)) * step
        yield from ((day, day) for day in range(first, high + 1, step))
    elif rule.frequency == "WEEKLY":
        week0 = start - (dt.date.fromordinal(start).weekday() - rule.week_start) % 7
        skip = max(0, (low - week0) // (7 * step))
        for week in range(week0 + skip * 7 * step, high + 1, 7 * step):
            # dateutil's first week begins on the first day itself (BYSETPOS counts from there).
            yield max(week, start), week + 6
    elif rule.frequency == "MONTHLY":
        yield from _month_periods(rule.starts_on, low, high, step)
    else:
        year0 = rule.starts_on.year
        lowest = dt.date.fromordinal(low).year
        for year in range(year0 + max(0, -(-(lowest - year0) // step)) * step, 9999, step):
            first_day = dt.date(year, 1, 1).toordinal()
            if first_day > high:
                return
            yield first_day, dt.date(year, 12, 31).toordinal()


def _month_periods(starts_on: dt.date, low: int, high: int, step: int) -> Iterator[tuple[int, int]]:
    month0 = starts_on.year * 12 + starts_on.month - 1
    lowest = dt.date.fromordinal(low)
    index = month0 + max(0, -(-(lowest.year * 12 + lowest.month - 1 - month0) // step)) * step
    while True:
        year, month = divmod(index, 12)
        first_day = dt.date(year, month + 1, 1).toordinal()
        if first_day > high:
            return
        yield first_day, first_day + month_length(year, month + 1) - 1
        index += step


# The days of one period: every BYxxx part limits them (dateutil's reading), then BYSETPOS picks.


def _days_of(rule: Rule, first: int, last: int) -> list[int]:
    nth = _nth_weekday_days(rule, first, last) if rule.nth_weekdays else None
    days = [day for day in range(first, last + 1) if _matches(rule, day, nth)]
    if not rule.setpos:
        return days
    picked = {days[p - 1 if p > 0 else p] for p in rule.setpos if -len(days) <= p <= len(days)}
    return sorted(picked)


def _matches(rule: Rule, ordinal: int, nth: set[int] | None) -> bool:
    day = dt.date.fromordinal(ordinal)
    if rule.months and day.month not in rule.months:
        return False
    if rule.weekdays and day.weekday() not in rule.weekdays:
        return False
    if nth is not None and ordinal not in nth:
        return False
    if rule.monthdays:
        length = month_length(day.year, day.month)
        if day.day not in rule.monthdays and day.day - length - 1 not in rule.monthdays:
            return False
    if rule.yeardays:
        number = ordinal - dt.date(day.year, 1, 1).toordinal() + 1
        length = 366 if month_length(day.year, 2) == 29 else 365
        if number not in rule.yeardays and number - length - 1 not in rule.yeardays:
            return False
    return True


def _nth_weekday_days(rule: Rule, first: int, last: int) -> set[int]:
    """The days that are the n-th given weekday of their month (monthly, or yearly by month) or
    of their year (yearly)."""
    ranges = [(first, last)]
    if rule.frequency == "YEARLY" and rule.months:
        year = dt.date.fromordinal(first).year
        ranges = []
        for month in sorted(rule.months):
            month_first = dt.date(year, month, 1).toordinal()
            ranges.append((month_first, month_first + month_length(year, month) - 1))
    days = set()
    for range_first, range_last in ranges:
        for weekday, n in rule.nth_weekdays:
            if n > 0:
                day = range_first + (weekday - dt.date.fromordinal(range_first).weekday()) % 7
                day += 7 * (n - 1)
            else:
                day = range_last - (dt.date.fromordinal(range_last).weekday() - weekday) % 7
                day -= 7 * (-n - 1)
            if range_first <= day <= range_last:
                days.add(day)
    return days
