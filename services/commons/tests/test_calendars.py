"""iCalendar feeds: they parse, keep their RRULEs, and an independent reader
(`recurring_ical_events`) expands them to the days the schedule engine and the API give."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from commons.feeds import ical
from commons.schedules import engine
from commons.schedules.models import UsePeriod
from commons.schedules.service import as_engine_period
from commons.sites.models import Site
from meent_shared.testing.helpers import sql_value

WARSAW = ZoneInfo("Europe/Warsaw")
YEAR_2026 = (dt.datetime(2026, 1, 1, tzinfo=WARSAW), dt.datetime(2027, 1, 1, tzinfo=WARSAW))
COAL_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.6490, 54.3507],
            [18.6490, 54.3520],
            [18.6466, 54.3520],
            [18.6466, 54.3507],
        ]
    ],
}
PARKING = {"use": "parking", "priority": 0, "starts_on": "2020-01-01"}
RECREATION = {
    "use": "recreation",
    "priority": 10,
    "starts_on": "2024-05-01",
    "ends_on": "2024-09-30",
    "rule": "FREQ=YEARLY",
}
CONCERT = {
    "use": "event",
    "priority": 20,
    "starts_on": "2026-07-11",
    "ends_on": "2026-07-11",
    "note": "Open-air concert",
}
MARKET = {
    "use": "market",
    "priority": 30,
    "starts_on": "2026-01-03",
    "ends_on": "2026-01-03",
    "rule": "FREQ=WEEKLY;BYDAY=SA",
    "day_starts_at": "08:00",
    "day_ends_at": "14:00",
}
MOW = {"title": "Mow", "due_on": "2026-05-04", "rule": "FREQ=WEEKLY;INTERVAL=2;BYMONTH=5,6,7,8,9"}


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return auth_header("x", ["maintenance"])


async def new_site(commons, staff, name, periods, timezone="Europe/Warsaw") -> str:
    site = await commons.client.post(
        "/sites",
        headers=staff,
        json={"name": name, "kind": "square", "timezone": timezone, "geometry": COAL_SQUARE},
    )
    assert site.status_code == 201, site.text
    for period in periods:
        answer = await commons.client.post(
            f"/sites/{site.json()['id']}/periods", json=period, headers=staff
        )
        assert answer.status_code == 201, answer.text
    return site.json()["id"]


async def new_task(commons, staff, site_id, task) -> str:
    answer = await commons.client.post(f"/sites/{site_id}/tasks", json=task, headers=staff)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


@pytest.fixture
async def coal_square(commons, staff):
    """Coal Square with all its uses, and a team mowing it every other week in summer."""
    site_id = await new_site(commons, staff, "Plac Węglowy", [PARKING, RECREATION, CONCERT, MARKET])
    team = await commons.client.post("/teams", json={"name": "Zieleń Śródmieście"}, headers=staff)
    task_id = await new_task(commons, staff, site_id, {**MOW, "team_id": team.json()["id"]})
    return {"site": site_id, "team": team.json()["id"], "task": task_id}


async def fetch(commons, path: str) -> Calendar:
    answer = await commons.client.get(path)
    assert answer.status_code == 200, answer.text
    return Calendar.from_ical(answer.content)


def expanded(calendar: Calendar, zone: ZoneInfo, begin, end) -> dict[str, list[tuple]]:
    """Every occurrence between `begin` and `end`, as aware (start, end) pairs, by UID."""
    found: dict[str, list[tuple]] = {}
    for occurrence in recurring_ical_events.of(calendar).between(begin, end):
        pair = tuple(at_midnight(occurrence[key].dt, zone) for key in ("DTSTART", "DTEND"))
        found.setdefault(str(occurrence["UID"]), []).append(pair)
    return found


def at_midnight(moment, zone: ZoneInfo) -> dt.datetime:
    return (
        moment if isinstance(moment, dt.datetime) else dt.datetime.combine(moment, dt.time(), zone)
    )


def covered(pairs, begin, end) -> list[tuple]:
    """The instants `pairs` cover within [begin, end), merged: comparable whatever the cut."""
    merged: list[tuple] = []
    for start, finish in sorted(
        (max(s, begin), min(e, end)) for s, e in pairs if e > begin and s < end
    ):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((start, finish))
    return merged


def days(pairs) -> set[dt.date]:
    """The local days the instants touch."""
    found = set()
    for start, finish in pairs:
        day = start.date()
        while dt.datetime.combine(day, dt.time(), start.tzinfo) < finish:
            found.add(day)
            day += dt.timedelta(days=1)
    return found


def engine_period(period: dict) -> engine.Period:
    def day(v):
        return dt.date.fromisoformat(v) if v else None

    def time(v):
        return dt.time.fromisoformat(v) if v else None

    return engine.Period(
        uuid.UUID(period["id"]),
        period["use"],
        period["priority"],
        day(period["starts_on"]),
        day(period["ends_on"]),
        period["rule"],
        time(period["day_starts_at"]),
        time(period["day_ends_at"]),
    )


async def test_site_feed_is_icalendar_with_rrules_and_the_warsaw_time_zone(commons, coal_square):
    answer = await commons.client.get(f"/calendars/sites/{coal_square['site']}.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("inline; filename=")
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["PRODID"]) == "-//meent//commons//EN"
    assert (str(calendar["VERSION"]), str(calendar["CALSCALE"])) == ("2.0", "GREGORIAN")
    assert str(calendar["X-WR-CALNAME"]) == "Plac Węglowy — uses and maintenance"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Warsaw"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Warsaw"
    assert {str(d["TZNAME"]) for d in zone.walk("DAYLIGHT")} == {"CEST"}
    local = zone.to_tz()  # the component's own rules, not the reader's zone database
    assert dt.datetime(2026, 5, 1, tzinfo=local).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(2026, 1, 3, 8, tzinfo=local).utcoffset() == dt.timedelta(hours=1)
    text = answer.content.decode()
    assert "RRULE:FREQ=YEARLY\r\n" in text and "RRULE:FREQ=WEEKLY;BYDAY=SA\r\n" in text
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"parking", "recreation", "event", "market", "Mow"}
    recreation = events["recreation"]  # one VEVENT for every summer, not one per year
    assert (recreation.start, recreation.end) == (dt.date(2024, 5, 1), dt.date(2024, 10, 1))
    assert recreation["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert str(recreation["X-MEENT-PRIORITY"]) == "10" and "PRIORITY" not in recreation
    assert recreation.categories == ["recreation"]
    assert events["parking"]["RRULE"].to_ical() == b"FREQ=DAILY"  # open-ended: every day
    market = events["market"]
    assert market["DTSTART"].to_ical() == b"20260103T080000"
    assert market["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert market.end == dt.datetime(2026, 1, 3, 14, tzinfo=WARSAW)
    assert "Open-air concert" in str(events["event"]["DESCRIPTION"])
    assert "RRULE" not in events["event"]
    assert str(events["Mow"]["UID"]) == f"{coal_square['task']}@meent.commons"
    assert events["Mow"]["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYMONTH=5,6,7,8,9"


async def test_each_period_expands_to_the_instants_the_engine_gives(commons, coal_square):
    periods = (await commons.client.get(f"/sites/{coal_square['site']}/periods")).json()
    calendar = await fetch(commons, f"/calendars/sites/{coal_square['site']}.ics")
    begin, end = YEAR_2026
    occurrences = expanded(calendar, WARSAW, begin, end)
    for period in periods:  # overlaps included: parking is still listed in the park season
        active = engine.intervals(engine_period(period), WARSAW, begin, end)
        mine = occurrences[f"{period['id']}@meent.commons"]
        assert covered(mine, begin, end) == covered([(i.start, i.end) for i in active], begin, end)
    recreation = next(p for p in periods if p["use"] == "recreation")
    [summer] = occurrences[f"{recreation['id']}@meent.commons"]
    assert summer == (
        dt.datetime(2026, 5, 1, tzinfo=WARSAW),
        dt.datetime(2026, 10, 1, tzinfo=WARSAW),
    )
    market = next(p for p in periods if p["use"] == "market")
    saturdays = dict(occurrences[f"{market['id']}@meent.commons"])
    winter, summer_start = (
        dt.datetime(2026, 1, 3, 8, tzinfo=WARSAW),
        dt.datetime(2026, 10, 17, 8, tzinfo=WARSAW),
    )
    assert winter.utcoffset() == dt.timedelta(hours=1) and winter in saturdays
    assert summer_start.utcoffset() == dt.timedelta(hours=2) and summer_start in saturdays
    assert saturdays[summer_start].astimezone(dt.UTC) == dt.datetime(
        2026, 10, 17, 12, tzinfo=dt.UTC
    )


async def test_the_feed_expands_to_the_same_days_as_the_timeline(commons, staff):
    # Periods that do not overlap, so every occurrence is also the timeline's winner.
    park = await new_site(commons, staff, "Park Oruński", [RECREATION])
    square = await new_site(commons, staff, "Targ Węglowy", [MARKET])
    begin, end = YEAR_2026
    for site_id in (park, square):
        calendar = await fetch(commons, f"/calendars/sites/{site_id}.ics")
        assert "RRULE" in calendar.walk("VEVENT")[0]
        [occurrences] = expanded(calendar, WARSAW, begin, end).values()
        timeline = await commons.client.get(
            f"/sites/{site_id}/timeline", params={"from": "2026-01-01", "to": "2027-01-01"}
        )
        segments = [
            (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]))
            for s in timeline.json()["segments"]
        ]
        assert days(occurrences) == days(segments)
        assert covered(occurrences, begin, end) == covered(segments, begin, end)
    assert len(days(occurrences)) == 52  # the Saturdays of 2026


async def test_uids_are_stable_and_the_etag_answers_304(commons, coal_square, staff):
    path = f"/calendars/sites/{coal_square['site']}.ics"
    first, second = await commons.client.get(path), await commons.client.get(path)
    assert first.content == second.content
    uids = [str(e["UID"]) for e in Calendar.from_ical(first.content).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(second.content).walk("VEVENT")]
    assert all(uid.endswith("@meent.commons") for uid in uids) and len(set(uids)) == 5
    etag = first.headers["etag"]
    assert etag == second.headers["etag"] and etag.startswith('"')
    for given in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = await commons.client.get(path, headers={"If-None-Match": given})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag
    works = {"use": "works", "priority": 50, "starts_on": "2026-08-03", "ends_on": "2026-08-07"}
    added = await commons.client.post(
        f"/sites/{coal_square['site']}/periods", json=works, headers=staff
    )
    changed = await commons.client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert f"UID:{added.json()['id']}@meent.commons" in changed.text
    assert set(uids) < {str(e["UID"]) for e in Calendar.from_ical(changed.content).walk("VEVENT")}


async def test_proposals_are_not_in_the_feed(commons, coal_square, staff):
    works = {"use": "works", "priority": 50, "starts_on": "2026-08-03", "ends_on": "2026-08-07"}
    added = await commons.client.post(
        f"/sites/{coal_square['site']}/periods", json=works, headers=staff
    )
    sql_value(
        commons.database_url,
        "UPDATE use_period SET status = 'proposed' WHERE id = %s RETURNING id",
        added.json()["id"],
    )
    calendar = await fetch(commons, f"/calendars/sites/{coal_square['site']}.ics")
    assert "works" not in {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


async def test_team_feed_expands_to_the_dates_tasks_are_due(commons, coal_square, staff):
    amsterdam = await new_site(commons, staff, "Westerpark", [], timezone="Europe/Amsterdam")
    other_team = await commons.client.post("/teams", json={"name": "Other"}, headers=staff)
    await new_task(
        commons,
        staff,
        amsterdam,
        {
            "title": "Prune the limes",
            "due_on": "2026-11-20",
            "heavy": True,
            "team_id": coal_square["team"],
        },
    )
    await new_task(
        commons,
        staff,
        amsterdam,
        {"title": "Not ours", "due_on": "2026-06-01", "team_id": other_team.json()["id"]},
    )
    calendar = await fetch(commons, f"/calendars/teams/{coal_square['team']}.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Zieleń Śródmieście — maintenance"
    assert {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")} == {
        "Europe/Amsterdam",
        "Europe/Warsaw",
    }
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Mow — Plac Węglowy", "Prune the limes — Westerpark"}
    assert str(events["Prune the limes — Westerpark"]["X-MEENT-HEAVY"]) == "TRUE"
    assert "X-MEENT-HEAVY" not in events["Mow — Plac Węglowy"]
    due = await commons.client.get(
        "/tasks/due",
        params={"team_id": coal_square["team"], "from": "2026-01-01", "to": "2026-12-31"},
    )
    expected = {
        (f"{o['task_id']}@meent.commons", dt.date.fromisoformat(o["due_on"])) for o in due.json()
    }
    found = {
        (uid, start.date())
        for uid, pairs in expanded(calendar, WARSAW, *YEAR_2026).items()
        for start, _ in pairs
    }
    assert found == expected
    assert len(expected) == 12  # every other Monday, May to September, and the pruning


async def test_unknown_site_or_team_is_404_and_not_a_uuid_is_refused(commons):
    for kind in ("sites", "teams"):
        answer = await commons.client.get(f"/calendars/{kind}/{uuid.uuid4()}.ics")
        assert answer.status_code == 404
        assert answer.json()["detail"][0]["type"] == "not_found"
        assert (await commons.client.get(f"/calendars/{kind}/nope.ics")).status_code == 422


# The mapping shape by shape, without a database: the feed's expansion against the engine's.
T = dt.time
SHAPES = {  # name: (period, VEVENTs, how its recurrence is written)
    "open-ended": (dict(starts_on=dt.date(2020, 1, 1)), 1, "RRULE"),
    "open-ended window": (
        dict(starts_on=dt.date(2026, 4, 1), day_starts_at=T(6), day_ends_at=T(7)),
        1,
        "RRULE",
    ),
    "season": (
        dict(starts_on=dt.date(2024, 5, 1), ends_on=dt.date(2024, 9, 30), rule="FREQ=YEARLY"),
        1,
        "RRULE",
    ),
    "days": (dict(starts_on=dt.date(2026, 7, 10), ends_on=dt.date(2026, 7, 12)), 1, None),
    "window over days": (
        dict(
            starts_on=dt.date(2026, 3, 27),
            ends_on=dt.date(2026, 3, 30),
            day_starts_at=T(22),
            day_ends_at=T(2),
        ),
        1,
        "RRULE",
    ),
    "weekly window": (
        dict(
            starts_on=dt.date(2026, 1, 3),
            ends_on=dt.date(2026, 1, 3),
            rule="FREQ=WEEKLY;BYDAY=SA",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        1,
        "RRULE",
    ),
    "start off the rule": (
        dict(
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 1),
            rule="FREQ=WEEKLY;BYDAY=SA;COUNT=20",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        1,
        "RRULE",
    ),
    "weekend every other week": (
        dict(
            starts_on=dt.date(2026, 1, 3),
            ends_on=dt.date(2026, 1, 4),
            rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=20280101",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        2,
        "RRULE",
    ),
    "each weekend day and the next, every other week": (
        dict(
            starts_on=dt.date(2026, 1, 3),
            ends_on=dt.date(2026, 1, 4),
            rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU",
            day_starts_at=T(8),
            day_ends_at=T(14),
        ),
        2,
        "RRULE",
    ),
    "ten summer evenings": (
        dict(
            starts_on=dt.date(2025, 6, 1),
            ends_on=dt.date(2025, 6, 10),
            rule="FREQ=YEARLY;COUNT=4",
            day_starts_at=T(18),
            day_ends_at=T(23),
        ),
        10,
        "RRULE",
    ),
    "last day of the month": (
        dict(
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 4, 1),
            rule="FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20290101T000000",
        ),
        1,
        "RRULE",
    ),
    # No moved RRULE is exact for these: their windows are listed, around today.
    "evenings across february": (
        dict(
            starts_on=dt.date(2025, 2, 25),
            ends_on=dt.date(2025, 3, 3),
            rule="FREQ=YEARLY",
            day_starts_at=T(18),
            day_ends_at=T(23),
        ),
        1,
        "RDATE",
    ),
    "mornings across month ends": (
        dict(
            starts_on=dt.date(2025, 1, 30),
            ends_on=dt.date(2025, 2, 1),
            rule="FREQ=MONTHLY",
            day_starts_at=T(9),
            day_ends_at=T(12),
        ),
        1,
        "RDATE",
    ),
    "first sunday and two days": (
        dict(
            starts_on=dt.date(2025, 1, 5),
            ends_on=dt.date(2025, 1, 7),
            rule="FREQ=MONTHLY;BYDAY=1SU",
            day_starts_at=T(9),
            day_ends_at=T(12),
        ),
        1,
        "RDATE",
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_every_period_shape_expands_to_the_engines_instants(name):
    shape, vevents, recurrence = SHAPES[name]
    today = dt.date(2026, 6, 1)  # listed windows: 2024 to 2031
    site = Site(name="Plac", kind="square", timezone="Europe/Warsaw", area_m2=1.0, geom=None)
    period = UsePeriod(site_id=uuid.uuid4(), use="market", priority=5, **shape)
    calendar = Calendar.from_ical(ical.site_calendar(site, [period], [], today=today).to_ical())
    events = calendar.walk("VEVENT")
    assert len(events) == vevents
    assert all((recurrence in e) if recurrence else "RRULE" not in e for e in events)
    begin, end = dt.datetime(2024, 1, 1, tzinfo=WARSAW), dt.datetime(2032, 1, 1, tzinfo=WARSAW)
    found = [pair for pairs in expanded(calendar, WARSAW, begin, end).values() for pair in pairs]
    active = engine.intervals(as_engine_period(period, period.id), WARSAW, begin, end)
    assert found
    assert covered(found, begin, end) == covered([(i.start, i.end) for i in active], begin, end)
