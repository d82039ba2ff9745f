"""The scheduler with an injected clock: flips announced once, at their true instant, even by
two replicas at once and after downtime."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import select

from commons.db import outbox
from commons.scheduler import Scheduler, extend_horizon
from commons.schedules.engine import add_years
from commons.schedules.horizon import written_until
from commons.schedules.models import UsePeriod
from commons.schedules.service import materialize
from commons.sites.models import Site
from meent_shared.events.envelope import CloudEvent
from meent_shared.testing.helpers import sql_value

WARSAW = ZoneInfo("Europe/Warsaw")
# Flips are found in the occurrences materialized from the real today: next year's, whenever run.
YEAR = dt.date.today().year + 1
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


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def commons(start_service, auth_header):
    service = await start_service("commons", run_workers=False)
    staff = auth_header("marek", ["maintenance"])
    site = await service.client.post(
        "/sites",
        json={
            "name": "Plac Węglowy",
            "kind": "square",
            "timezone": "Europe/Warsaw",
            "geometry": COAL_SQUARE,
        },
        headers=staff,
    )
    service.site_id = site.json()["id"]
    for period in (
        {"use": "parking", "priority": 0, "starts_on": "2020-01-01"},
        {
            "use": "recreation",
            "priority": 10,
            "starts_on": "2024-05-01",
            "ends_on": "2024-09-30",
            "rule": "FREQ=YEARLY",
        },
    ):
        answer = await service.client.post(
            f"/sites/{service.site_id}/periods", json=period, headers=staff
        )
        assert answer.status_code == 201
    team = await service.client.post("/teams", json={"name": "Śródmieście"}, headers=staff)
    task = {"title": "Mow", "due_on": f"{YEAR}-05-04", "team_id": team.json()["id"]}
    await service.client.post(f"/sites/{service.site_id}/tasks", json=task, headers=staff)
    return service


async def recorded(service, event_type: str) -> list[CloudEvent]:
    async with service.runtime.session_factory() as session:
        rows = await session.execute(select(outbox.c.event).order_by(outbox.c.created_at))
        events = [CloudEvent.model_validate(row) for row in rows.scalars()]
    return [e for e in events if e.type == event_type]


USE_CHANGED = "org.meent.commons.site.use_changed.v1"


async def test_two_schedulers_crossing_the_flip_announce_it_once(commons):
    clock = Clock(dt.datetime(YEAR, 4, 30, 23, 59, 50, tzinfo=WARSAW))
    replicas = [Scheduler(commons.runtime.session_factory, clock=clock) for _ in range(2)]
    await asyncio.gather(*(r.tick() for r in replicas))  # the first run only starts the clock
    clock.now = dt.datetime(YEAR, 5, 1, 0, 0, 10, tzinfo=WARSAW)
    for _ in range(3):
        await asyncio.gather(*(r.tick() for r in replicas))
    [event] = await recorded(commons, USE_CHANGED)
    assert event.subject == commons.site_id
    # The true instant, written in the site's local time: midnight in Warsaw is 22:00 UTC.
    assert event.data["at"] == f"{YEAR}-05-01T00:00:00+02:00"
    assert (event.data["previous_use"], event.data["current_use"]) == ("parking", "recreation")


async def test_a_site_too_dense_to_expand_does_not_stop_the_other_sites_flips(commons, auth_header):
    staff = auth_header("marek", ["maintenance"])
    site = {"name": "Dense", "kind": "square", "timezone": "Europe/Warsaw", "geometry": COAL_SQUARE}
    dense = (await commons.client.post("/sites", json=site, headers=staff)).json()["id"]
    # Daily occurrences lasting 2,000 days each: 2,000 of them under way on any day, per period.
    first, last = dt.date(YEAR - 7, 1, 1), dt.date(YEAR - 7, 1, 1) + dt.timedelta(days=2000)
    for priority in range(11):
        period = {"use": "works", "priority": priority, "rule": "FREQ=DAILY"}
        period |= {"starts_on": str(first), "ends_on": str(last)}
        added = await commons.client.post(f"/sites/{dense}/periods", json=period, headers=staff)
        assert added.status_code == 201, added.text
    clock = Clock(dt.datetime(YEAR, 4, 30, 23, 59, 50, tzinfo=WARSAW))
    scheduler = Scheduler(commons.runtime.session_factory, clock=clock)
    await scheduler.tick()
    clock.now = dt.datetime(YEAR, 5, 1, 0, 0, 10, tzinfo=WARSAW)
    await scheduler.tick()
    [event] = await recorded(commons, USE_CHANGED)  # Coal Square's park opens all the same
    assert event.subject == commons.site_id and event.data["current_use"] == "recreation"


async def test_flips_missed_while_down_are_announced_with_their_true_instants(commons):
    clock = Clock(dt.datetime(YEAR, 4, 20, 12, 0, tzinfo=WARSAW))
    scheduler = Scheduler(commons.runtime.session_factory, clock=clock)
    await scheduler.tick()
    clock.now = dt.datetime(YEAR, 10, 5, 12, 0, tzinfo=WARSAW)  # down all summer
    await Scheduler(commons.runtime.session_factory, clock=clock).tick()
    events = await recorded(commons, USE_CHANGED)
    assert [(e.data["at"], e.data["current_use"]) for e in events] == [
        (f"{YEAR}-05-01T00:00:00+02:00", "recreation"),
        (f"{YEAR}-10-01T00:00:00+02:00", "parking"),
    ]
    assert [e.data["version"] for e in events] == [1, 2]
    await scheduler.tick()  # nothing new
    assert len(await recorded(commons, USE_CHANGED)) == 2


async def test_a_task_is_announced_due_at_local_midnight(commons):
    clock = Clock(dt.datetime(YEAR, 5, 3, 23, 0, tzinfo=WARSAW))
    scheduler = Scheduler(commons.runtime.session_factory, clock=clock)
    await scheduler.tick()
    assert await recorded(commons, "org.meent.commons.maintenance.task_due.v1") == []
    clock.now = dt.datetime(YEAR, 5, 4, 0, 5, tzinfo=WARSAW)
    await scheduler.tick()
    await scheduler.tick()
    [due] = await recorded(commons, "org.meent.commons.maintenance.task_due.v1")
    assert due.data["due_on"] == f"{YEAR}-05-04"
    assert due.data["title"] == "Mow"


async def test_the_horizon_moves_on_with_the_days(commons):
    """Once less than five years (and a month) are materialized ahead, the job writes six again."""
    async with commons.runtime.session_factory() as session, session.begin():
        assert await extend_horizon(session, dt.date.today()) == 0  # nothing falls short today
    later = add_years(dt.date.today(), 2)
    async with commons.runtime.session_factory() as session, session.begin():
        # The all-year parking and the yearly season go on; a one-off period would not.
        assert await extend_horizon(session, later) == 2
    reach = "SELECT max(upper(during))::date FROM use_occurrence"
    assert sql_value(commons.database_url, reach) >= add_years(later, 6)


async def test_two_replicas_extending_the_horizon_at_once_leave_each_occurrence_once(
    commons, auth_header
):
    """Two replicas' daily jobs at once (one a day later, as clocks at midnight differ): no
    occurrence twice, and every period's occurrences exactly those of one run."""
    staff = auth_header("marek", ["maintenance"])
    market = {"use": "market", "priority": 20, "starts_on": "2026-01-03", "ends_on": "2026-01-03"}
    market |= {"rule": "FREQ=WEEKLY;BYDAY=SA", "day_starts_at": "08:00", "day_ends_at": "14:00"}
    for number in range(8):
        site = {"name": f"Square {number}", "kind": "square", "geometry": COAL_SQUARE}
        made = await commons.client.post("/sites", json=site, headers=staff)
        added = await commons.client.post(
            f"/sites/{made.json()['id']}/periods", json=market, headers=staff
        )
        assert added.status_code == 201
    later = add_years(dt.date.today(), 2)  # every recurring period runs short by then

    async def daily_job(today: dt.date) -> int | None:
        async with commons.runtime.session_factory() as session, session.begin():
            return await extend_horizon(session, today)

    runs = await asyncio.gather(daily_job(later), daily_job(later + dt.timedelta(days=1)))
    twice = """SELECT count(*) FROM (SELECT 1 FROM use_occurrence
               GROUP BY period_id, during HAVING count(*) > 1) AS repeated"""
    assert sql_value(commons.database_url, twice) == 0
    every_row = "SELECT period_id, lower(during), upper(during) FROM use_occurrence ORDER BY 1, 2"
    written = sql_rows(commons.database_url, every_row)
    async with commons.runtime.session_factory() as session, session.begin():
        for period, site in await session.execute(select(UsePeriod, Site).join(Site)):
            if period.materialized_until == written_until(later):  # rewrite as that run did
                await materialize(session, period, site, later)
            elif period.materialized_until == written_until(later + dt.timedelta(days=1)):
                await materialize(session, period, site, later + dt.timedelta(days=1))
    assert sql_rows(commons.database_url, every_row) == written  # nothing stale, nothing missing
    assert sorted(runs, key=str) in ([0, 10], [10, None])  # one did the work, the other skipped


def sql_rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()
