"""VTIMEZONE components (RFC 5545 §3.6.5) built from zoneinfo's own transitions.

icalendar's `Timezone.from_tzinfo` looks for transitions by sampling and misses some: Morocco's
(Africa/Casablanca, Africa/El_Aaiun) clocks go back for Ramadan and forward after it, a month
apart, and its VTIMEZONE lacked those of 2024 and 2027 — a reader placing events by it was an hour
off for weeks. Here every transition zoneinfo knows in the years asked for is found (a day-by-day
scan, then to the second) and written: one STANDARD or DAYLIGHT observance per kind of change, its onsets as DTSTART
and RDATEs, so a reader needs no rule of its own and gets zoneinfo's offsets at every instant.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# Transitions since 1970 lie weeks apart (Morocco's, a month): a day-by-day scan finds each one.
SCAN_STEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Transition:
    at: dt.datetime  # in UTC
    before: dt.timedelta
    after: dt.timedelta
    name: str  # the abbreviation from then on
    daylight: bool  # summer time from then on


def _state(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    local = instant.astimezone(zone)
    offset, saving = local.utcoffset(), local.dst()
    assert offset is not None
    return offset, bool(saving), local.tzname() or ""


def transitions(zone: ZoneInfo, first: dt.date, end: dt.date) -> Iterator[Transition]:
    """Every change of the zone's offset, summer time or abbreviation from `first` to `end`."""
    left = dt.datetime.combine(first, dt.time(), dt.UTC)
    stop = dt.datetime.combine(end, dt.time(), dt.UTC)
    state = _state(zone, left)
    while left < stop:
        right = min(left + SCAN_STEP, stop)
        then = _state(zone, right)
        if then != state:
            at = _first_instant_of(zone, left, right, then)
            yield Transition(at, state[0], then[0], then[2], then[1])
            left, state = at, then
        else:
            left = right


def _first_instant_of(
    zone: ZoneInfo, low: dt.datetime, high: dt.datetime, state: tuple[dt.timedelta, bool, str]
) -> dt.datetime:
    """The first whole second in (low, high] at which the zone is in `state` (it is at high)."""
    second = dt.timedelta(seconds=1)
    while high - low > second:
        middle = low + (high - low) // 2
        middle -= dt.timedelta(microseconds=middle.microsecond)
        if _state(zone, middle) == state:
            high = middle
        else:
            low = middle
    return high


@lru_cache(maxsize=64)
def vtimezone(name: str, first: dt.date, end: dt.date) -> Timezone:
    """The zone from `first` to `end` (UTC midnights), as zoneinfo gives it."""
    zone = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    offset, daylight, abbreviation = _state(zone, start)
    initial = Transition(start, offset, offset, abbreviation, daylight)
    found = [initial, *transitions(zone, first, end)]
    kinds: dict[tuple[object, ...], list[Transition]] = {}
    for change in found:
        kinds.setdefault((change.daylight, change.before, change.after, change.name), []).append(
            change
        )
    for changes in sorted(kinds.values(), key=lambda same: same[0].at):
        component.add_component(_observance(changes))
    return component


def _observance(changes: list[Transition]) -> TimezoneStandard | TimezoneDaylight:
    """One kind of change (same offsets, name and summer time) and all its onsets, as local
    times before the change (RFC 5545: DTSTART and RDATE in the offset it changes from)."""
    first = changes[0]
    observance = TimezoneDaylight() if first.daylight else TimezoneStandard()
    onsets = [(change.at + change.before).replace(tzinfo=None) for change in changes]
    observance.add("dtstart", onsets[0])
    if onsets[1:]:
        observance.add("rdate", onsets[1:])
    observance.add("tzname", first.name)
    observance.add("tzoffsetfrom", first.before)
    observance.add("tzoffsetto", first.after)
    return observance
