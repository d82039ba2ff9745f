"""Reading an RRULE's text: every part checked against RFC 5545 §3.3.10 before anything expands it.

Refused: what RFC 5545 forbids (INTERVAL=0, BYYEARDAY with a monthly rule, values out of range, COUNT
with UNTIL, BYSETPOS alone), what is finer than a day (the periods have time-of-day windows for
that), what dateutil reads differently from RFC 5545 (plain and numbered weekdays in one BYDAY,
UNTIL in UTC against local days), what the schedules do not need (BYWEEKNO, BYEASTER), and days
that never exist (BYMONTHDAY=30 in February).
"""

import datetime as dt
import re

from meent_shared.types import FIRST_DAY, LAST_DAY

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
MAX_INTERVAL = 1000
MAX_COUNT = 1000
# The values each numeric part may take (and so the longest list it can have without repeats).
RANGES = {"BYMONTH": (1, 12), "BYMONTHDAY": (-31, 31), "BYYEARDAY": (-366, 366)}
RANGES["BYSETPOS"] = (-366, 366)
# Which frequencies each day part may go with (RFC 5545: "MUST NOT be specified when ...").
ALLOWED_WITH = {
    "BYMONTHDAY": {"DAILY", "MONTHLY", "YEARLY"},
    "BYYEARDAY": {"YEARLY"},
}
KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", *RANGES}
FINER_THAN_DAILY = {"BYHOUR", "BYMINUTE", "BYSECOND"}
UNSUPPORTED = {"BYWEEKNO": "use BYMONTH, BYMONTHDAY or BYDAY", "BYEASTER": "not in RFC 5545"}
_NUMBER = re.compile(r"[+-]?[0-9]{1,3}")
_WEEKDAY = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"([0-9]{8})(T[0-9]{6})?(Z?)")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # at most


class RuleError(ValueError):
    """An RRULE we cannot use; the message says why."""


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return _DAYS_IN_MONTH[month - 1]


def read(text: str) -> dict[str, str]:
    """The rule's parts, each checked on its own and against the others."""
    body = text[6:] if text.upper().startswith("RRULE:") else text
    if "\n" in body or "\r" in body or "RRULE:" in body.upper():
        raise RuleError("one RRULE only")
    parts = _split(body)
    frequency = _frequency(parts)
    _check_counts(parts)
    for key in ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYSETPOS"):
        if key in parts:
            _check_numbers(key, parts[key], frequency)
    if "BYDAY" in parts:
        _check_weekdays(parts["BYDAY"], frequency, "BYMONTH" in parts)
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise RuleError(f"malformed WKST: {parts['WKST']!r} is not a weekday (MO..SU)")
    if "BYSETPOS" in parts and not {"BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYDAY"} & parts.keys():
        raise RuleError("BYSETPOS picks among the days of another BYxxx part: give one")
    return parts


def _split(body: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        key, sep, value = part.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if not sep or not value:
            raise RuleError(f"not a KEY=VALUE part: {part!r}")
        if key in parts:
            raise RuleError(f"{key} is given twice")
        parts[key] = value
    return parts


def _frequency(parts: dict[str, str]) -> str:
    frequency = parts.get("FREQ")
    if frequency is None:
        raise RuleError("FREQ is required")
    if frequency in {"HOURLY", "MINUTELY", "SECONDLY"} or FINER_THAN_DAILY & parts.keys():
        raise RuleError("rules finer than daily are not supported: use a time-of-day window")
    if frequency not in FREQUENCIES:
        raise RuleError(f"unknown FREQ {frequency!r}: use DAILY, WEEKLY, MONTHLY or YEARLY")
    if "DTSTART" in parts:
        raise RuleError("DTSTART comes from starts_on, not from the rule")
    for key in parts.keys() - KNOWN:
        reason = UNSUPPORTED.get(key, "not an RRULE part")
        raise RuleError(f"{key} is not supported: {reason}")
    return frequency


def _check_counts(parts: dict[str, str]) -> None:
    for key, most in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        value = parts.get(key)
        if value is None:
            continue
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise RuleError(f"malformed {key}: {value!r} is not a whole number")
        if not 1 <= int(value) <= most:
            raise RuleError(f"{key} must be from 1 to {most}, not {value}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("give COUNT or UNTIL, not both (RFC 5545)")
    until(parts)  # malformed UNTIL refused here


def _check_numbers(key: str, value: str, frequency: str) -> None:
    if frequency not in ALLOWED_WITH.get(key, set(FREQUENCIES)):
        allowed = ", ".join(sorted(ALLOWED_WITH[key]))
        raise RuleError(f"{key} does not go with FREQ={frequency} (only with {allowed})")
    items = value.split(",")
    if not all(_NUMBER.fullmatch(item) for item in items):
        raise RuleError(f"malformed {key}: {value!r} is not a list of whole numbers")
    numbers = [int(item) for item in items]
    low, high = RANGES[key]
    for number in numbers:
        if number == 0 or not low <= number <= high:
            raise RuleError(f"{key} values lie in {low}..{high} (not 0): {number} is not one")
    if len(set(numbers)) < len(numbers):
        raise RuleError(f"{key} lists a value twice")


def _check_weekdays(value: str, frequency: str, by_month: bool) -> None:
    items = [_WEEKDAY.fullmatch(item) for item in value.split(",")]
    if not all(items):
        raise RuleError(f"malformed BYDAY: {value!r} is not a list of weekdays such as MO or 1SU")
    numbered = [int(m.group(1)) for m in items if m and m.group(1)]
    if numbered and frequency not in {"MONTHLY", "YEARLY"}:
        raise RuleError("numbered weekdays (1MO, -1FR) go with MONTHLY or YEARLY rules only")
    if numbered and len(numbered) < len(items):
        raise RuleError("BYDAY mixes numbered and plain weekdays: use two periods")
    most = 5 if frequency == "MONTHLY" or by_month else 53
    for n in numbered:
        if n == 0 or abs(n) > most:
            raise RuleError(f"a numbered weekday lies in -{most}..{most} (not 0) here: {n}")
    if len({m.group(0) for m in items if m}) < len(items):
        raise RuleError("BYDAY lists a weekday twice")


def until(parts: dict[str, str]) -> dt.date | None:
    """UNTIL as the last day an occurrence may start (a local date or date-time)."""
    value = parts.get("UNTIL")
    if value is None:
        return None
    match = _UNTIL.fullmatch(value)
    if match is None:
        raise RuleError(f"malformed UNTIL: {value!r} is not YYYYMMDD or YYYYMMDDTHHMMSS")
    if match.group(3):
        raise RuleError("UNTIL is in the site's local time: drop the Z")
    try:
        last = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        raise RuleError(f"malformed UNTIL: {value!r} is not a date") from None
    # As every date of a plan: near year 9999 the arithmetic on it would overflow.
    if not FIRST_DAY <= last <= LAST_DAY:
        raise RuleError(f"UNTIL lies in {FIRST_DAY.year}..{LAST_DAY.year}: {value!r}")
    return last


def numbers(parts: dict[str, str], key: str) -> frozenset[int]:
    value = parts.get(key)
    return frozenset(int(item) for item in value.split(",")) if value else frozenset()


def weekdays(parts: dict[str, str]) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """BYDAY as plain weekdays and numbered ones (weekday, n)."""
    plain, numbered = set(), set()
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        match = _WEEKDAY.fullmatch(item)
        assert match is not None  # checked by read()
        weekday = WEEKDAYS.index(match.group(2))
        if match.group(1):
            numbered.add((weekday, int(match.group(1))))
        else:
            plain.add(weekday)
    return frozenset(plain), frozenset(numbered)


def check_month_days(months: frozenset[int], monthdays: frozenset[int]) -> None:
    """Refuse month days that no month of the rule has (BYMONTHDAY=31 with BYMONTH=4)."""
    if not months or not monthdays:
        return
    if any(abs(day) <= month_length(2000, month) for month in months for day in monthdays):
        return
    names = ", ".join(MONTH_NAMES[m - 1] for m in sorted(months))
    days = ", ".join(str(d) for d in sorted(monthdays))
    raise RuleError(f"the rule has no occurrence: day {days} never falls in {names}")
