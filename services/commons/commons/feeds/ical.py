"""iCalendar (RFC 5545) feeds of sites' uses and maintenance work: pure builders, no database.

Each active use period becomes VEVENTs that any RFC 5545 reader expands to the instants
`engine.intervals` gives, the rule kept as an RRULE (not pre-expanded):

- a whole-day period: `DTSTART;VALUE=DATE` its first day, `DTEND;VALUE=DATE` the day after its
  last (exclusive), its RRULE as stored;
- an open-ended period (no end, hence no rule): its first day (or window) with `RRULE:FREQ=DAILY`,
  since an event needs an end and "every day from then on" is what the engine means;
- a time-of-day window: local `DTSTART`/`DTEND` with the site zone's TZID, once per day of the
  span. Without a rule, `FREQ=DAILY;COUNT=<days>`; with a rule and a one-day span, the rule as
  stored; with a rule and a longer span, one VEVENT per day of the span, its rule moved by as many
  days (RFC 5545 has no "N days, within a window each day" occurrence). Moving a rule is exact for
  DAILY, WEEKLY by weekday, and MONTHLY/YEARLY spans clear of month ends and 29 February; other
  rules' windows are listed as RDATEs over the years `LISTED_YEARS` around today.

DTSTART is always the rule's first occurrence: RFC 5545 counts DTSTART as one even when the rule
does not produce it, dateutil (and so the engine) does not. Maintenance tasks are whole-day VEVENTs
on their due dates: every calendar app shows those, while many hide VTODOs.

UIDs are `<id>@meent.commons` (`<id>+<k>d@meent.commons` for day k of a split span) and DTSTAMP
is a stored stamp, so a feed (and its ETag) changes with its data, or else only on 1 January
(the VTIMEZONE and listed years move with today).
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vRecur

from commons.maintenance.models import MaintenanceTask, Team
from commons.schedules import engine
from commons.schedules.models import UsePeriod
from commons.schedules.service import as_engine_period
from commons.sites.models import Site

PRODID = "-//meent//commons//EN"
UID_DOMAIN = "meent.commons"
REFRESH = dt.timedelta(hours=1)
ZONE_FIRST_DAY = dt.date(1970, 1, 1)
ZONE_YEARS_AHEAD = 30  # VTIMEZONE transitions are listed until then
LISTED_YEARS = (2, 6)  # years before and after today that a fallback period's windows are listed
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

Moment = dt.date | dt.datetime


def site_calendar(
    site: Site, periods: Iterable[UsePeriod], tasks: Iterable[MaintenanceTask], *, today: dt.date
) -> Calendar:
    """A site's use periods and its maintenance tasks."""
    zone = ZoneInfo(site.timezone)
    calendar = _calendar(f"{site.name} — uses and maintenance", [site.timezone], today)
    for period in sorted(periods, key=lambda p: (p.starts_on, str(p.id))):
        for event in period_events(period, zone, today=today):
            calendar.add_component(event)
    for task in sorted(tasks, key=lambda t: (t.due_on, str(t.id))):
        calendar.add_component(task_event(task, site))
    return calendar


def team_calendar(
    team: Team, tasks: Sequence[tuple[MaintenanceTask, Site]], *, today: dt.date
) -> Calendar:
    """A team's tasks on every site, each titled with its site."""
    calendar = _calendar(f"{team.name} — maintenance", [s.timezone for _, s in tasks], today)
    for task, site in sorted(tasks, key=lambda pair: (pair[0].due_on, str(pair[0].id))):
        calendar.add_component(task_event(task, site, with_site=True))
    return calendar


def _calendar(name: str, zones: Sequence[str], today: dt.date) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)  # RFC 7986; X-WR-* for the apps that predate it
    calendar.add("x-wr-calname", name)
    if zones:  # one value only: the most used zone
        calendar.add("x-wr-timezone", Counter(sorted(zones)).most_common(1)[0][0])
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # an X- property is text: spelled out
    for zone in sorted(set(zones)):
        calendar.add_component(vtimezone(zone, today.year))
    return calendar


@lru_cache(maxsize=64)
def vtimezone(zone: str, year: int) -> Timezone:
    """The zone's real STANDARD/DAYLIGHT transitions from zoneinfo, 1970 to 30 years ahead."""
    last_day = dt.date(year + ZONE_YEARS_AHEAD, 1, 1)
    return Timezone.from_tzinfo(
        ZoneInfo(zone), tzid=zone, first_date=ZONE_FIRST_DAY, last_date=last_day
    )


def period_events(period: UsePeriod, zone: ZoneInfo, *, today: dt.date) -> list[Event]:
    """The VEVENTs of one use period: one, but for a windowed, multi-day, recurring span."""
    span = as_engine_period(period, period.id).span_days
    first = _first_day(period.rule, period.starts_on)
    windowed = period.day_starts_at is not None
    # Whole days: the occurrence's days, DTEND exclusive. A window: the first day's window.
    start, end = _window(period, zone, first) if windowed else (first, first + DAY * (span + 1))
    if period.ends_on is None:  # open-ended: every day from the first on
        return [_period_event(period, 0, start, end, vRecur(FREQ="DAILY"))]
    if period.rule is None:  # once: a window on each day of the span
        daily = vRecur(FREQ="DAILY", COUNT=span + 1) if windowed and span else None
        return [_period_event(period, 0, start, end, daily)]
    rule = _parse(period.rule)
    if not windowed:
        return [_period_event(period, 0, start, end, rule)]
    return _windowed_recurring(period, rule, zone, first, span) or _listed(period, zone, today)


def _windowed_recurring(
    period: UsePeriod, rule: vRecur, zone: ZoneInfo, first: dt.date, span: int
) -> list[Event]:
    """One VEVENT per day of the span, or none when a moved rule would not be exact."""
    events = []
    for offset in range(span + 1):
        moved = _moved(rule, first, offset)
        if moved is None:
            return []
        start, end = _window(period, zone, first + DAY * offset)
        until = _until_at(period.day_starts_at, zone, offset)
        events.append(_period_event(period, offset, start, end, _with_until(moved, until)))
    return events


def _listed(period: UsePeriod, zone: ZoneInfo, today: dt.date) -> list[Event]:
    """The period's windows within the listed years as RDATEs: for rules no RRULE can move."""
    begin = dt.datetime(today.year - LISTED_YEARS[0], 1, 1, tzinfo=zone)
    finish = dt.datetime(today.year + LISTED_YEARS[1], 1, 1, tzinfo=zone)
    shape = as_engine_period(period, period.id)
    windows = [w for w in engine.intervals(shape, zone, begin, finish) if w.start >= begin]
    if not windows:
        return []
    event = _period_event(period, 0, windows[0].start, windows[0].end, None)
    if len(windows) > 1:
        event.add("rdate", [w.start for w in windows[1:]])
    event.add(
        "comment",
        f"Listed from {begin.date()} until {finish.date()}: the rule "
        f"{period.rule} over {shape.span_days + 1} days has no RRULE form.",
    )
    return [event]


def _period_event(
    period: UsePeriod, offset: int, start: Moment, end: Moment, rule: vRecur | None
) -> Event:
    uid = f"{period.id}+{offset}d" if offset else str(period.id)
    event = _event(uid, period.version, period.created_at, start, end, rule)
    event.add("summary", period.use)
    note = f"{period.note}\n\n" if period.note else ""
    event.add(
        "description",
        f"{note}Priority {period.priority}: where uses overlap, "
        "the highest priority is the site's use.",
    )
    event.add("categories", [period.use])
    event.add("x-meent-priority", str(period.priority))  # PRIORITY means something else
    return event


def task_event(task: MaintenanceTask, site: Site, *, with_site: bool = False) -> Event:
    """A whole-day VEVENT on the task's (first) due date, with its RRULE."""
    first = _first_day(task.rule, task.due_on)
    rule = _parse(task.rule) if task.rule else None
    # A task has no timestamp of its own: the site's last change is the closest stable one.
    event = _event(str(task.id), task.version, site.updated_at, first, first + DAY, rule)
    event.add("summary", f"{task.title} — {site.name}" if with_site else task.title)
    event.add("location", site.name)
    heavy = "Heavy works: they clash with recreation, markets and events." if task.heavy else ""
    if description := "\n\n".join(part for part in (task.description, heavy) if part):
        event.add("description", description)
    event.add("categories", ["maintenance"])
    if task.heavy:
        event.add("x-meent-heavy", "TRUE")
    return event


def _event(
    uid: str,
    sequence: int,
    stamp: dt.datetime | None,
    start: Moment,
    end: Moment,
    rule: vRecur | None,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("sequence", sequence)
    # The stored stamp, never the time of the request: the body (and its ETag) stays the same.
    event.add("dtstamp", (stamp or EPOCH).astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    if rule is not None:
        event.add("rrule", rule)
    event.add("transp", "TRANSPARENT")  # a site's use does not make its subscribers busy
    return event


def _first_day(rule: str | None, starts_on: dt.date) -> dt.date:
    if rule is None:
        return starts_on
    return next(iter(engine.parse_rule(rule, starts_on))).date()


def _parse(rule: str) -> vRecur:
    """The stored rule; its UNTIL as a day (the engine compares UNTIL with midnights)."""
    body = rule.strip()
    parsed = vRecur.from_ical(body[6:] if body.upper().startswith("RRULE:") else body)
    return _with_until(parsed, lambda day: day)


def _with_until(rule: vRecur, until_of: Callable[[dt.date], Moment]) -> vRecur:
    if "UNTIL" not in rule:
        return rule
    changed = vRecur(rule)
    last = rule["UNTIL"][0]
    changed["UNTIL"] = [until_of(last.date() if isinstance(last, dt.datetime) else last)]
    return changed


def _until_at(at: dt.time | None, zone: ZoneInfo, offset: int) -> Callable[[dt.date], Moment]:
    """UNTIL for a timed DTSTART: in UTC (RFC 5545), at the window's start, `offset` days later."""
    assert at is not None
    return lambda day: dt.datetime.combine(day + DAY * offset, at, zone).astimezone(dt.UTC)


def _moved(rule: vRecur, first: dt.date, days: int) -> vRecur | None:
    """`rule` (first occurring on `first`) with every occurrence `days` later, or None when no
    RRULE says exactly that. UNTIL is left to the caller."""
    if days == 0:
        return rule
    frequency = str(rule["FREQ"][0]).upper()
    others = set(rule) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    moved = vRecur(rule)
    if frequency == "WEEKLY" and others <= {"BYDAY"}:
        weekdays = [str(d).upper() for d in rule.get("BYDAY", [WEEKDAYS[first.weekday()]])]
        if not set(weekdays) <= set(WEEKDAYS):
            return None
        moved["BYDAY"] = [_weekday_after(d, days) for d in weekdays]
        if int(rule.get("INTERVAL", [1])[0]) > 1:  # weeks count from WKST: move it, not split
            moved["WKST"] = [_weekday_after(str(rule.get("WKST", ["MO"])[0]).upper(), days)]
        return moved
    last = first + DAY * days
    exact = {
        "DAILY": not others,
        "MONTHLY": not others and last.month == first.month and last.day <= 28,
        "YEARLY": not others and not _touches_end_of_february(first, days),
    }
    return moved if exact.get(frequency, False) else None


def _weekday_after(weekday: str, days: int) -> str:
    return WEEKDAYS[(WEEKDAYS.index(weekday) + days) % 7]


def _touches_end_of_february(first: dt.date, days: int) -> bool:
    """Whether the span holds 29 February, or passes from February into March (leap years
    would then move its later days by one)."""
    span = [first + DAY * k for k in range(days + 1)]
    return any((d.month, d.day) == (2, 29) for d in span) or any(
        (d.month, d.day) == (3, 1) for d in span[1:]
    )


def _window(period: UsePeriod, zone: ZoneInfo, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    assert period.day_starts_at is not None and period.day_ends_at is not None
    overnight = period.day_ends_at <= period.day_starts_at
    return (
        dt.datetime.combine(day, period.day_starts_at, zone),
        dt.datetime.combine(day + DAY * overnight, period.day_ends_at, zone),
    )
