"""The daily horizon job keeps every period's occurrences written as far as the readers trust
them — one-off periods too, whatever the job's cadence or downtime — so the map agrees with the
timeline and every flip is announced; and a schedule change racing the job wins.

(From the correctness review's experiments: a one-off period ending on the first day not
written was never written again, nor was one that fell short while the job was away.)"""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import select

from commons.db import outbox
from commons.scheduler import announce_flips, extend_horizon
from commons.schedules import horizon, queries
from commons.schedules import service as schedule_service
from commons.schedules.engine import add_years
from commons.schedules.models import UsePeriod, UsePeriodCreate
from commons.sites.listing import Listing, sites_with_use_page
from commons.sites.models import Site

WARSAW = ZoneInfo("Europe/Warsaw")
WEST, SOUTH, EAST, NORTH = 18.6466, 54.3507, 18.6490, 54.3520
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
PARKING = {"use": "parking", "priority": 0, "starts_on": "2020-01-01"}
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


async def add_site(commons, staff, *periods) -> tuple[str, list[str]]:
    site = {"name": "Plac", "kind": "square", "timezone": "Europe/Warsaw", "geometry": SQUARE}
    site_id = (await commons.client.post("/sites", json=site, headers=staff)).json()["id"]
    ids = []
    for period in periods:
        added = await commons.client.post(f"/sites/{site_id}/periods", json=period, headers=staff)
        assert added.status_code == 201, added.text
        ids.append(added.json()["id"])
    return site_id, ids


async def daily_job(commons, today: dt.date) -> int | None:
    async with commons.runtime.session_factory() as session, session.begin():
        return await extend_horizon(session, today)


def first_day_short(written: dt.date) -> dt.date:
    """The first day the job finds occurrences written until `written` short."""
    day = TODAY
    while horizon.refresh_before(day) <= written:
        day += DAY
    return day


async def map_use(commons, day: dt.date, today: dt.date) -> str | None:
    """The map's answer (the materialized occurrences), as of `today`."""
    assert queries.within_horizon(day, today)
    listing = Listing(
        bbox=(WEST, SOUTH, EAST, NORTH), kind=None, limit=10, offset=0, max_vertices=200_000
    )
    async with commons.runtime.session_factory() as session:
        page = await sites_with_use_page(session, listing, on=day, use=None, today=today)
    [feature] = page.features
    use = feature["properties"]["use"]
    return use


async def timeline_use_at_noon(commons, site_id: str, day: dt.date) -> str | None:
    span = {"from": str(day), "to": str(day + DAY)}
    answer = await commons.client.get(f"/sites/{site_id}/timeline", params=span)
    noon = dt.datetime.combine(day, dt.time(12), WARSAW)
    found = [
        s["use"]
        for s in answer.json()["segments"]
        if dt.datetime.fromisoformat(s["start"]) <= noon < dt.datetime.fromisoformat(s["end"])
    ]
    return found[0] if found else None


async def test_a_one_off_window_ending_on_the_first_day_not_written_is_written_in_time(
    commons, staff
):
    ends = horizon.written_until(TODAY)  # the first day the materializer leaves out today
    closed = {"use": "closed", "priority": 50, "starts_on": str(TODAY), "ends_on": str(ends)}
    closed |= {"day_starts_at": "08:00", "day_ends_at": "16:00"}
    site_id, _ = await add_site(commons, staff, PARKING, closed)
    short = first_day_short(ends)
    for day in (short - dt.timedelta(days=k) for k in range(3, -30, -1)):  # every day around it
        await daily_job(commons, day)
    later = short + dt.timedelta(days=60)  # when the map answers for that day
    assert await map_use(commons, ends, later) == await timeline_use_at_noon(commons, site_id, ends)
    assert await timeline_use_at_noon(commons, site_id, ends) == "closed"


async def test_a_one_off_event_that_fell_short_while_the_job_was_away_is_written_and_announced(
    commons, staff
):
    fair_day = horizon.written_until(TODAY) + dt.timedelta(days=5)  # beyond what is written
    fair = {"use": "event", "priority": 20, "starts_on": str(fair_day), "ends_on": str(fair_day)}
    site_id, _ = await add_site(commons, staff, PARKING, fair)
    back = first_day_short(horizon.written_until(TODAY)) + dt.timedelta(days=40)  # a month away
    assert await daily_job(commons, back) == 2  # the parking, and the fair
    assert await map_use(commons, fair_day, back) == "event"
    # When the day comes, the flips are found in the occurrences and announced.
    midnight = dt.datetime.combine(fair_day, dt.time(), WARSAW)
    async with commons.runtime.session_factory() as session, session.begin():
        flips = await announce_flips(session, midnight - dt.timedelta(hours=1), midnight + 2 * DAY)
    assert flips == 2
    async with commons.runtime.session_factory() as session:
        events = [row["data"] for row in (await session.execute(select(outbox.c.event))).scalars()]
    changes = [(e["at"], e["previous_use"], e["current_use"]) for e in events if "current_use" in e]
    assert changes == [
        (midnight.isoformat(), "parking", "event"),
        ((midnight + DAY).isoformat(), "event", "parking"),
    ]


def occurrence_rows(url: str) -> list[tuple]:
    query = "SELECT period_id, lower(during), upper(during) FROM use_occurrence ORDER BY 1, 2"
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()


async def test_a_schedule_change_racing_the_daily_job_keeps_its_own_occurrences(commons, staff):
    """The job waits for the site a change holds, then rewrites the changed period from what was
    committed: without the site's lock it would write the old Saturday markets back."""
    first = TODAY + dt.timedelta(days=(5 - TODAY.weekday()) % 7)  # a Saturday
    market = {"use": "market", "priority": 20, "starts_on": str(first), "ends_on": str(first)}
    market |= {"rule": "FREQ=WEEKLY;BYDAY=SA", "day_starts_at": "08:00", "day_ends_at": "14:00"}
    _, [market_id] = await add_site(commons, staff, market)
    on_sundays = UsePeriodCreate.model_validate(
        {**market, "starts_on": str(first + DAY), "ends_on": str(first + DAY)}
        | {"rule": "FREQ=WEEKLY;BYDAY=SU"}
    )
    later = add_years(TODAY, 2)  # the market's occurrences run short by then
    async with commons.runtime.session_factory() as change, change.begin():
        await schedule_service.replace_period(
            change, period_id=market_id, period_in=on_sundays, today=TODAY
        )
        job = asyncio.create_task(daily_job(commons, later))
        await asyncio.sleep(0.5)  # the job is under way, waiting for the change
        assert not job.done()
    assert await job == 1
    written = occurrence_rows(commons.database_url)
    assert {start.astimezone(WARSAW).weekday() for _, start, _ in written} == {6}  # Sundays only
    async with commons.runtime.session_factory() as session, session.begin():
        for period, site in await session.execute(select(UsePeriod, Site).join(Site)):
            await schedule_service.materialize(session, period, site, later)
    assert occurrence_rows(commons.database_url) == written  # as the committed period gives
