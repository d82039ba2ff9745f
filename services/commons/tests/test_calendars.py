"""iCalendar feeds: a site's feed says what the timeline says — expanded by an independent
reader (`recurring_ical_events`), it shows at every instant of its span the use the timeline
gives, and nothing where the timeline has none — with stable UIDs and ETags; maintenance tasks are
their own events. Dates come from the real today: these tests pass in any year."""

import bisect
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import event as sql_events

from commons.feeds import service as feed_service
from commons.feeds.uses import feed_span
from commons.schedules import engine, horizon
from meent_shared.testing.helpers import sql_value

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
SAMPLE_HOURS = (3, 10, 15, 21)  # local times checked on every day of the span, beside boundaries
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


def weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


SATURDAY, WEDNESDAY = 5, 2
# A Saturday in July next year: the market keeps its morning, the concert takes the rest.
CONCERT_DAY = weekday_on_or_after(dt.date(TODAY.year + 1, 7, 8), SATURDAY)
FAIR_DAY = weekday_on_or_after(dt.date(TODAY.year + 2, 7, 8), WEDNESDAY)  # a whole July day
MARKET_FROM = weekday_on_or_after(dt.date(TODAY.year - 3, 1, 1), SATURDAY)
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
    "starts_on": CONCERT_DAY.isoformat(),
    "ends_on": CONCERT_DAY.isoformat(),
    "note": "Open-air concert",
}
FAIR = {**CONCERT, "starts_on": FAIR_DAY.isoformat(), "ends_on": FAIR_DAY.isoformat()}
MARKET = {
    "use": "market",
    "priority": 30,
    "starts_on": MARKET_FROM.isoformat(),
    "ends_on": MARKET_FROM.isoformat(),
    "rule": f"FREQ=WEEKLY;BYDAY=SA;UNTIL={TODAY.year + 3}1231",
    "day_starts_at": "08:00",
    "day_ends_at": "14:00",
}
# The car park closes at the end of next year: winters then have no use at all.
PARKING_UNTIL_NEXT_YEAR = {**PARKING, "ends_on": f"{TODAY.year + 1}-12-31"}
MOW = {"title": "Mow", "due_on": "2026-05-04", "rule": "FREQ=WEEKLY;INTERVAL=2;BYMONTH=5,6,7,8,9"}
SCHEDULES = {
    "Coal Square": [PARKING, RECREATION, CONCERT, FAIR, MARKET],
    "Coal Square, the car park closed": [PARKING_UNTIL_NEXT_YEAR, RECREATION, CONCERT, MARKET],
}


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
    site_id = await new_site(commons, staff, "Plac Węglowy", SCHEDULES["Coal Square"])
    team = await commons.client.post("/teams", json={"name": "Zieleń Śródmieście"}, headers=staff)
    task_id = await new_task(commons, staff, site_id, {**MOW, "team_id": team.json()["id"]})
    return {"site": site_id, "team": team.json()["id"], "task": task_id}


async def fetch(commons, path: str) -> Calendar:
    answer = await commons.client.get(path)
    assert answer.status_code == 200, answer.text
    return Calendar.from_ical(answer.content)


def span_instants() -> tuple[dt.datetime, dt.datetime]:
    first, end = feed_span(TODAY)
    return dt.datetime.combine(first, dt.time(), WARSAW), dt.datetime.combine(
        end, dt.time(), WARSAW
    )


def aware(moment, zone: ZoneInfo = WARSAW) -> dt.datetime:
    """A DATE as its local midnight."""
    return (
        moment if isinstance(moment, dt.datetime) else dt.datetime.combine(moment, dt.time(), zone)
    )


def use_events(calendar: Calendar, begin, end) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The feed's use occurrences within [begin, end) as an independent reader expands them."""
    found = [
        (max(aware(o["DTSTART"].dt), begin), min(aware(o["DTEND"].dt), end), str(o["SUMMARY"]))
        for o in recurring_ical_events.of(calendar).between(begin, end)
        if "maintenance" not in o.categories
    ]
    return sorted(p for p in found if p[0] < p[1])


def merged(pieces) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Touching pieces of the same use as one: comparable however each side cuts them."""
    found: list[tuple[dt.datetime, dt.datetime, str]] = []
    for start, end, use in sorted(pieces):
        if found and found[-1][1] == start and found[-1][2] == use:
            found[-1] = (found[-1][0], end, use)
        else:
            found.append((start, end, use))
    return [(s.astimezone(dt.UTC), e.astimezone(dt.UTC), u) for s, e, u in found]


async def timeline(commons, site_id: str, begin: dt.datetime, end: dt.datetime):
    """The API's timeline over [begin, end), a year at a time (it answers five at most)."""
    pieces, start = [], begin.date()
    while start < end.date():
        until = min(dt.date(start.year + 1, 1, 1), end.date())
        answer = await commons.client.get(
            f"/sites/{site_id}/timeline",
            params={"from": start.isoformat(), "to": until.isoformat()},
        )
        assert answer.status_code == 200, answer.text
        pieces += [
            (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]), s["use"])
            for s in answer.json()["segments"]
        ]
        start = until
    return merged(pieces)


def use_at(pieces, instant: dt.datetime) -> str | None:
    """The use at an instant in non-overlapping, sorted pieces (None: nothing there)."""
    at = bisect.bisect_right([start for start, _, _ in pieces], instant) - 1
    return pieces[at][2] if at >= 0 and instant < pieces[at][1] else None


def instants_to_check(pieces, begin: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every boundary and a minute either side, and a few local times on every day."""
    found = {b + d for s, e, _ in pieces for b in (s, e) for d in (-MINUTE, dt.timedelta(), MINUTE)}
    day = begin.date()
    while day < end.date():
        found |= {dt.datetime.combine(day, dt.time(h), WARSAW) for h in SAMPLE_HOURS}
        day += DAY
    return sorted(i for i in found if begin <= i < end)


async def test_site_feed_is_icalendar_with_the_warsaw_time_zone(commons, coal_square):
    answer = await commons.client.get(f"/calendars/sites/{coal_square['site']}.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("inline; filename=")
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["PRODID"]) == "-//meent//commons//EN"
    assert (str(calendar["VERSION"]), str(calendar["CALSCALE"])) == ("2.0", "GREGORIAN")
    assert str(calendar["X-WR-CALNAME"]) == "Plac Węglowy — uses and maintenance"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Warsaw"
    first, end = feed_span(TODAY)
    assert f"from {first.isoformat()} to {(end - DAY).isoformat()}" in str(calendar["DESCRIPTION"])
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Warsaw"
    assert {str(d["TZNAME"]) for d in zone.walk("DAYLIGHT")} == {"CEST"}
    local = zone.to_tz(lookup_tzid=False)  # the component's own rules, not a zone database
    summer, winter = dt.datetime(TODAY.year + 1, 7, 1), dt.datetime(TODAY.year + 1, 1, 3, 8)
    assert summer.replace(tzinfo=local).utcoffset() == dt.timedelta(hours=2)
    assert winter.replace(tzinfo=local).utcoffset() == dt.timedelta(hours=1)
    events = calendar.walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {
        "parking",
        "recreation",
        "event",
        "market",
        "Mow",
    }
    market = next(e for e in events if str(e["SUMMARY"]) == "market" and "RRULE" in e)
    assert market["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert market.start.time() == dt.time(8) and market.end.time() == dt.time(14)
    assert market.start.weekday() == SATURDAY and market["RRULE"]["FREQ"] == ["WEEKLY"]
    concert = next(e for e in events if str(e["SUMMARY"]) == "event")
    assert "Open-air concert" in str(concert["DESCRIPTION"])
    assert str(concert["X-MEENT-PRIORITY"]) == "20" and "PRIORITY" not in concert
    assert concert.categories == ["event"]
    [mow] = [e for e in events if str(e["SUMMARY"]) == "Mow"]  # the task: its own event
    assert str(mow["UID"]) == f"{coal_square['task']}@meent.commons"
    assert mow["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYMONTH=5,6,7,8,9"
    assert mow.categories == ["maintenance"]


@pytest.mark.parametrize("name", SCHEDULES)
async def test_the_feed_shows_the_timelines_use_at_every_instant(commons, staff, name):
    site_id = await new_site(commons, staff, name, SCHEDULES[name])
    calendar = await fetch(commons, f"/calendars/sites/{site_id}.ics")
    begin, end = span_instants()
    answered = horizon.materialized_days(TODAY)  # the one bound maps and tiles answer for
    assert begin.date() in answered and end.date() - DAY in answered
    assert end.date() >= engine.add_years(TODAY, 4)  # years ahead, whatever the bound becomes
    feed, expected = use_events(calendar, begin, end), await timeline(commons, site_id, begin, end)
    for (_, earlier_end, _), (later_start, _, _) in zip(feed, feed[1:], strict=False):
        assert earlier_end <= later_start, "two uses at once"
    instants = instants_to_check(feed + expected, begin, end)
    wrong = [(i, use_at(feed, i), use_at(expected, i)) for i in instants]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert not wrong, f"{len(wrong)} of {len(instants)} instants differ, first: {wrong[:3]}"
    assert len(instants) > 4 * 365 * len(SAMPLE_HOURS)
    assert merged(feed) == expected  # and so at every instant, not only those checked
    if name == "Coal Square, the car park closed":  # gaps: a winter weekday, a winter evening
        winter = weekday_on_or_after(dt.date(TODAY.year + 2, 1, 10), WEDNESDAY)
        saturday = weekday_on_or_after(winter, SATURDAY)
        for day, hour in ((winter, 12), (saturday, 18)):
            assert use_at(feed, dt.datetime.combine(day, dt.time(hour), WARSAW)) is None


async def test_one_use_at_a_time_where_periods_overlap(commons, coal_square):
    """What a crew sees on the days that used to show both parking and recreation."""
    calendar = await fetch(commons, f"/calendars/sites/{coal_square['site']}.ics")

    def uses_at(day: dt.date, hour: int) -> list[str]:
        instant = dt.datetime.combine(day, dt.time(hour), WARSAW)
        return [use for _, _, use in use_events(calendar, instant, instant + MINUTE)]

    summer_tuesday = weekday_on_or_after(dt.date(TODAY.year + 1, 8, 1), 1)
    winter_tuesday = weekday_on_or_after(dt.date(TODAY.year + 1, 11, 3), 1)
    assert uses_at(summer_tuesday, 10) == ["recreation"]
    assert uses_at(winter_tuesday, 10) == ["parking"]
    assert uses_at(CONCERT_DAY, 10) == ["market"]  # the market outranks the concert...
    assert uses_at(CONCERT_DAY, 16) == ["event"]  # ...which outranks the season after it
    assert uses_at(FAIR_DAY, 10) == ["event"]
    assert uses_at(weekday_on_or_after(winter_tuesday, SATURDAY), 9) == ["market"]


async def test_a_weekly_market_over_years_is_a_few_recurring_events(commons, coal_square):
    """Runs of segments that repeat exactly are one VEVENT each: calendar apps get tens of
    events for years of Saturdays, not one per segment."""
    answer = await commons.client.get(f"/calendars/sites/{coal_square['site']}.ics")
    calendar = Calendar.from_ical(answer.content)
    begin, end = span_instants()
    events = calendar.walk("VEVENT")
    occurrences = use_events(calendar, begin, end)
    assert len(occurrences) > 3 * 52 * 3  # three segments a week, over more than three years
    assert len(events) < 100 and len(answer.content) < 64_000
    markets = [e for e in events if str(e["SUMMARY"]) == "market"]
    assert sum(int(e["RRULE"]["COUNT"][0]) for e in markets if "RRULE" in e) > 52 * 3
    assert len(markets) <= 2  # the first Saturdays of the span and the rest


async def test_uids_are_stable_and_the_etag_answers_304(commons, coal_square, staff):
    path = f"/calendars/sites/{coal_square['site']}.ics"
    first, second = await commons.client.get(path), await commons.client.get(path)
    assert first.content == second.content
    before = {str(e["UID"]): e for e in Calendar.from_ical(first.content).walk("VEVENT")}
    assert len(before) == len(Calendar.from_ical(first.content).walk("VEVENT"))  # unique
    assert all(uid.endswith("@meent.commons") for uid in before)
    etag = first.headers["etag"]
    assert etag == second.headers["etag"] and etag.startswith('"')
    for given in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = await commons.client.get(path, headers={"If-None-Match": given})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag
    works_from = weekday_on_or_after(dt.date(TODAY.year + 2, 8, 3), 1)  # a Tuesday to Thursday
    works = {
        "use": "works",
        "priority": 50,
        "starts_on": works_from.isoformat(),
        "ends_on": (works_from + 2 * DAY).isoformat(),
    }
    added = await commons.client.post(
        f"/sites/{coal_square['site']}/periods", json=works, headers=staff
    )
    changed = await commons.client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    after = {str(e["UID"]): e for e in Calendar.from_ical(changed.content).walk("VEVENT")}
    [new] = [e for e in after.values() if str(e["SUMMARY"]) == "works"]
    assert str(new["UID"]).startswith(added.json()["id"])
    # Events away from the works are the same events: same UID, same occurrences.
    near = (
        dt.datetime.combine(works_from - 7 * DAY, dt.time(), WARSAW),
        dt.datetime.combine(works_from + 10 * DAY, dt.time(), WARSAW),
    )
    away = [uid for uid, e in before.items() if not touches(e, *near)]
    assert len(away) > len(before) / 2
    for uid in away:
        assert uid in after, uid
        for key in ("SUMMARY", "DTSTART", "DTEND", "RRULE"):
            assert before[uid].get(key) == after[uid].get(key), (uid, key)


def touches(event, begin: dt.datetime, end: dt.datetime) -> bool:
    calendar = Calendar()
    calendar.add_component(event)
    return bool(recurring_ical_events.of(calendar).between(begin, end))


async def test_proposals_are_not_in_the_feed(commons, coal_square, staff):
    works = {
        "use": "works",
        "priority": 50,
        "starts_on": f"{TODAY.year + 1}-08-03",
        "ends_on": f"{TODAY.year + 1}-08-07",
    }
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
    year = (dt.datetime(2026, 1, 1, tzinfo=WARSAW), dt.datetime(2027, 1, 1, tzinfo=WARSAW))
    found = {
        (str(o["UID"]), o["DTSTART"].dt) for o in recurring_ical_events.of(calendar).between(*year)
    }
    assert found == expected
    assert len(expected) == 12  # every other Monday, May to September, and the pruning


async def test_unknown_site_or_team_is_404_and_not_a_uuid_is_refused(commons):
    for kind in ("sites", "teams"):
        answer = await commons.client.get(f"/calendars/{kind}/{uuid.uuid4()}.ics")
        assert answer.status_code == 404
        assert answer.json()["detail"][0]["type"] == "not_found"
        assert (await commons.client.get(f"/calendars/{kind}/nope.ics")).status_code == 422


async def test_a_client_that_has_the_feed_costs_one_query_not_a_build(commons, coal_square):
    path = f"/calendars/sites/{coal_square['site']}.ics"
    etag = (await commons.client.get(path)).headers["etag"]
    statements: list[str] = []

    def seen(connection, cursor, statement, *rest) -> None:
        statements.append(statement)

    database = commons.runtime.engine.sync_engine
    sql_events.listen(database, "before_cursor_execute", seen)
    try:
        cached = await commons.client.get(path, headers={"If-None-Match": etag})
    finally:
        sql_events.remove(database, "before_cursor_execute", seen)
    assert cached.status_code == 304 and cached.headers["etag"] == etag
    assert len(statements) == 1, statements


async def test_the_etag_moves_with_everything_the_feed_shows(commons, coal_square, staff):
    site_id, path = coal_square["site"], f"/calendars/sites/{coal_square['site']}.ics"

    async def feed() -> tuple[str, bytes]:
        answer = await commons.client.get(path)
        assert answer.status_code == 200, answer.text
        feed_service.built_feeds.bodies.clear()  # and a build from scratch gives the same
        fresh = await commons.client.get(path)
        assert (fresh.headers["etag"], fresh.content) == (answer.headers["etag"], answer.content)
        return answer.headers["etag"], answer.content

    tags = [(await feed())[0]]
    assert (await feed())[0] == tags[0]  # nothing changed: the same feed
    fair = {**FAIR, "starts_on": f"{TODAY.year + 1}-08-12", "ends_on": f"{TODAY.year + 1}-08-12"}
    added = await commons.client.post(f"/sites/{site_id}/periods", json=fair, headers=staff)
    tag, body = await feed()
    assert b"X-MEENT-PERIOD:" + added.json()["id"].encode() in body
    tags.append(tag)
    noted = await commons.client.put(
        f"/periods/{added.json()['id']}", json={**fair, "note": "Bring chairs"}, headers=staff
    )
    assert noted.status_code == 200, noted.text
    tag, body = await feed()
    assert b"Bring chairs" in body
    tags.append(tag)
    await new_task(commons, staff, site_id, {"title": "Sweep", "due_on": str(TODAY)})
    tag, body = await feed()
    assert b"SUMMARY:Sweep" in body
    tags.append(tag)
    renamed = await commons.client.patch(f"/sites/{site_id}", json={"name": "Targ"}, headers=staff)
    assert renamed.status_code == 200, renamed.text
    tag, body = await feed()
    assert b"Targ" in body
    tags.append(tag)
    removed = await commons.client.delete(f"/periods/{added.json()['id']}", headers=staff)
    assert removed.status_code == 204
    tag, body = await feed()
    assert added.json()["id"].encode() not in body
    tags.append(tag)
    assert len(set(tags)) == len(tags), tags
