"""The feeds' VTIMEZONEs, read as RFC 5545 reads them, give zoneinfo's offset at every instant of
the feed's span — in every IANA zone. (icalendar's own `from_tzinfo` left out Morocco's Ramadan
transitions of 2024 and 2027: Africa/Casablanca and Africa/El_Aaiun were an hour off for weeks.)"""

import bisect
import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from commons.feeds import ical
from commons.feeds.uses import feed_span

TODAY = dt.date.today()
SAMPLE_EVERY = dt.timedelta(hours=12)


def vtimezone_of(zone: str, today: dt.date):
    """The VTIMEZONE of a feed in `zone`, as a subscriber receives it (serialised, parsed)."""
    body = ical.team_calendar(_Team(), [(_Task(), _Site(zone))], today=today).to_ical()
    [component] = Calendar.from_ical(body).walk("VTIMEZONE")
    return component


class _Team:
    name = "Team"


class _Site:
    def __init__(self, zone: str):
        self.timezone, self.name, self.updated_at = zone, "Site", None


class _Task:
    id, version, rule, title, description, heavy = "task", 1, None, "Mow", "", False
    due_on = TODAY


def offset_reader(component, until: dt.datetime):
    """The offset at an instant by RFC 5545 §3.6.5: each observance's onsets (DTSTART, RDATEs,
    its RRULE) are local times in TZOFFSETFROM; the last onset before an instant gives its
    TZOFFSETTO (before the first: the first's TZOFFSETFROM). Also the onsets, in UTC."""
    onsets = []
    for observance in component.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        for local in _local_onsets(observance, until):
            onsets.append((local.replace(tzinfo=dt.UTC) - before, before, after))
    onsets.sort()
    instants = [at for at, _, _ in onsets]

    def offset(instant: dt.datetime) -> dt.timedelta:
        index = bisect.bisect_right(instants, instant) - 1
        return onsets[0][1] if index < 0 else onsets[index][2]

    return offset, instants


def _local_onsets(observance, until: dt.datetime) -> list[dt.datetime]:
    first = observance["DTSTART"].dt
    found = [first]
    rdates = observance.get("RDATE", [])
    for listed in rdates if isinstance(rdates, list) else [rdates]:
        found += [value.dt for value in listed.dts]
    if "RRULE" in observance:
        rule = rrulestr(observance["RRULE"].to_ical().decode(), dtstart=first)
        found += rule.between(first, until.replace(tzinfo=None), inc=True)
    return found


def wrong_instants(zone: str, today: dt.date) -> list[dt.datetime]:
    """Instants of the feed's span where the VTIMEZONE's offset is not zoneinfo's: sampled every
    twelve hours, and a second either side of each of its onsets."""
    first, end = (dt.datetime.combine(day, dt.time(), dt.UTC) for day in feed_span(today))
    offset, onsets = offset_reader(vtimezone_of(zone, today), end)
    instants = [first + k * SAMPLE_EVERY for k in range((end - first) // SAMPLE_EVERY)]
    second = dt.timedelta(seconds=1)
    instants += [
        at + shift for at in onsets if first <= at < end for shift in (-second, 0 * second)
    ]
    tz = ZoneInfo(zone)
    return [at for at in instants if at.astimezone(tz).utcoffset() != offset(at)]


@pytest.mark.parametrize("zone", ["Africa/Casablanca", "Africa/El_Aaiun"])
@pytest.mark.parametrize("year", [2024, 2027])
def test_moroccos_ramadan_transitions_are_in_its_vtimezone(zone, year):
    assert wrong_instants(zone, dt.date(year, 6, 1)) == []


def test_every_iana_zone_gives_zoneinfos_offsets_over_the_feeds_span():
    wrong = {
        zone: found[:2]
        for zone in sorted(available_timezones())
        if (found := wrong_instants(zone, TODAY))
    }
    assert wrong == {}
