"""iCalendar (RFC 5545) feeds of sites' uses and maintenance work: pure builders, no database.

A site's feed says what the site is used for at every instant, as the timeline does: its use
events are the timeline's segments, grouped into recurring VEVENTs where they repeat exactly
(`feeds.uses` says how, and why). Maintenance tasks are their own whole-day VEVENTs on their due
dates, with their RRULEs: every calendar app shows those, while many hide VTODOs.

DTSTAMP is a stored stamp (a use event's period's creation, a task's site's last change) and
SEQUENCE the site's schedule version (a task's own version), so a feed and its ETag change with
its data, or else when the span it covers moves (see `uses.feed_span`), and with it the
VTIMEZONE's years (`feeds.zones`: zoneinfo's transitions over the span's years, the only local
times the feed writes — tasks are whole days).
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from commons.feeds import uses
from commons.feeds.uses import Run, Step
from commons.feeds.zones import vtimezone
from commons.maintenance.models import MaintenanceTask, Team
from commons.schedules import engine
from commons.schedules.models import UsePeriod
from commons.sites.models import Site

PRODID = "-//meent//commons//EN"
UID_DOMAIN = "meent.commons"
REFRESH = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

Moment = dt.date | dt.datetime


def site_calendar(
    site: Site,
    periods: Sequence[UsePeriod],
    tasks: Iterable[MaintenanceTask],
    *,
    today: dt.date,
    schedule_version: int = 0,
) -> Calendar:
    """A site's uses over the feed's span (its timeline, as runs) and its maintenance tasks."""
    zone = ZoneInfo(site.timezone)
    calendar = _calendar(f"{site.name} — uses and maintenance", [site.timezone], today)
    first, end = span = uses.feed_span(today)
    calendar.add(
        "description",
        f"What {site.name} is used for from {first.isoformat()} to {(end - DAY).isoformat()} "
        "(where uses overlap, the highest priority's), and its maintenance work.",
    )
    by_id = {period.id: period for period in periods}
    for run in uses.site_runs(periods, zone, span):
        period = by_id[run.first.period_id]
        calendar.add_component(use_event(run, period, zone, sequence=schedule_version))
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
    first, end = uses.feed_span(today)
    for zone in sorted(set(zones)):  # the span's years: the only local times the feed has
        calendar.add_component(vtimezone(zone, first, dt.date(end.year + 1, 1, 1)))
    return calendar


def use_event(run: Run, period: UsePeriod, zone: ZoneInfo, *, sequence: int) -> Event:
    """One run of the timeline: its first segment, repeated `count` times at its step."""
    first = run.first
    # Local wall times with the zone's TZID (a reader repeats those), or the local days.
    local_start, local_end = first.start.astimezone(zone), first.end.astimezone(zone)
    start: Moment = local_start.date() if run.all_day else local_start
    end: Moment = local_end.date() if run.all_day else local_end
    stamp = first.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    uid = f"{first.period_id}-{stamp}"
    event = _event(uid, sequence, period.created_at, start, end, _recurrence(run))
    event.add("summary", first.use)
    note = f"{period.note}\n\n" if period.note else ""
    event.add(
        "description",
        f"{note}The site's use (priority {first.priority}: where uses overlap, the highest "
        "priority is the site's use).",
    )
    event.add("categories", [first.use])
    event.add("x-meent-priority", str(first.priority))  # PRIORITY means something else
    event.add("x-meent-period", str(first.period_id))
    return event


def _recurrence(run: Run) -> vRecur | None:
    if run.step is None or run.count == 1:
        return None
    return vRecur(_frequency(run.step) | {"COUNT": run.count})


def _frequency(step: Step) -> dict[str, object]:
    if step.unit == "years":
        frequency, interval = "YEARLY", step.size
    elif step.size % 7 == 0:  # weekly, on the first one's weekday
        frequency, interval = "WEEKLY", step.size // 7
    else:
        frequency, interval = "DAILY", step.size
    return {"FREQ": frequency} | ({"INTERVAL": interval} if interval > 1 else {})


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
