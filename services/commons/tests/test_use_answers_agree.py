"""Every answer to "what is the site used for then" agrees — the timeline, `/use`, the map lists,
the tiles and the OGC filter — whether it comes from the engine or from the materialized
occurrences: past the materialized horizon, between periods of one priority, across the repeated
hour of a DST change."""

import datetime as dt
import math
from zoneinfo import ZoneInfo

import mapbox_vector_tile
import pytest
from sqlalchemy import select

from commons.schedules.engine import add_years
from commons.schedules.models import UsePeriod
from commons.schedules.service import materialize
from commons.sites.models import Site

WEST, SOUTH, EAST, NORTH = 18.6466, 54.3507, 18.6490, 54.3520
COAL_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
BBOX = "18.6,54.3,18.7,54.4"
PARKING = {"use": "parking", "priority": 0, "starts_on": "2020-01-01"}
RECREATION = {
    "use": "recreation",
    "priority": 10,
    "starts_on": "2024-05-01",
    "ends_on": "2024-09-30",
    "rule": "FREQ=YEARLY",
}


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


async def add_site(commons, staff, *periods: dict) -> str:
    site = {"name": "Plac Węglowy", "kind": "square", "timezone": "Europe/Warsaw"}
    answer = await commons.client.post(
        "/sites", json={**site, "geometry": COAL_SQUARE}, headers=staff
    )
    site_id = answer.json()["id"]
    for period in periods:
        added = await commons.client.post(f"/sites/{site_id}/periods", json=period, headers=staff)
        assert added.status_code == 201, added.text
    return site_id


async def timeline_use_at_noon(commons, site_id: str, day: dt.date) -> tuple[str, str] | None:
    """(use, period id) at local noon of `day`, read off the site's timeline."""
    answer = await commons.client.get(
        f"/sites/{site_id}/timeline", params={"from": str(day), "to": str(day + dt.timedelta(1))}
    )
    noon = dt.datetime.combine(day, dt.time(12)).isoformat()
    for segment in answer.json()["segments"]:
        if segment["start"][:19] <= noon < segment["end"][:19]:
            return segment["use"], segment["period_id"]
    return None


async def map_use(commons, day: dt.date) -> tuple[str, str] | None:
    answer = await commons.client.get("/sites", params={"bbox": BBOX, "on": str(day)})
    [feature] = answer.json()["features"]
    properties = feature["properties"]
    return (properties["use"], properties["use_period_id"]) if properties["use"] else None


async def tile_use(commons, day: dt.date) -> str | None:
    z, lon, lat = 14, (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    answer = await commons.client.get(f"/tiles/sites/{z}/{x}/{y}.mvt", params={"on": str(day)})
    [feature] = mapbox_vector_tile.decode(answer.content)["sites"]["features"]
    return feature["properties"].get("use")


async def ogc_in_use(commons, instant: str) -> bool:
    answer = await commons.client.get(
        "/ogc/collections/sites/items", params={"datetime": instant, "bbox": BBOX}
    )
    return len(answer.json()["features"]) == 1


async def test_past_what_the_daily_job_keeps_the_map_tiles_and_ogc_answer_as_the_timeline(
    commons, staff
):
    """The daily job rewrites a period's occurrences only once they run short of the readers'
    bound; a period last written a year ago reaches just past five years. A date beyond that (and
    before six years, which the map and tiles used to trust) is the engine's to answer."""
    site_id = await add_site(commons, staff, PARKING, RECREATION)
    today = dt.date.today()
    a_year_ago = today - dt.timedelta(days=364)
    async with commons.runtime.session_factory() as session, session.begin():
        rows = await session.execute(select(UsePeriod, Site).join(Site))
        for period, site in rows:
            await materialize(session, period, site, a_year_ago)  # as the job left them
    day = add_years(today, 5) + dt.timedelta(days=100)
    expected = await timeline_use_at_noon(commons, site_id, day)
    assert expected is not None
    assert await map_use(commons, day) == expected
    assert await tile_use(commons, day) == expected[0]
    assert await ogc_in_use(commons, f"{day}T10:00:00Z")


async def test_between_equal_priorities_the_lowest_period_id_wins_everywhere(commons, staff):
    """Two summer programmes of one use and priority overlap in July (no conflict: one use).
    The engine (timeline, /use) and the SQL (the map) pick the same period."""
    july = {**RECREATION, "starts_on": "2024-07-01", "ends_on": "2024-07-31"}
    site_id = await add_site(commons, staff, PARKING, RECREATION, july)
    periods = (await commons.client.get(f"/sites/{site_id}/periods")).json()
    lowest = min(p["id"] for p in periods if p["priority"] == 10)
    day = dt.date(dt.date.today().year + 1, 7, 15)
    assert await timeline_use_at_noon(commons, site_id, day) == ("recreation", lowest)
    assert await map_use(commons, day) == ("recreation", lowest)
    on = await commons.client.get(f"/sites/{site_id}/use", params={"on": str(day)})
    assert on.json()["period_id"] == lowest


async def test_the_repeated_autumn_hour_gets_one_use_however_the_instant_is_written(commons, staff):
    """A Saturday night event until 02:30 on the Sunday the clocks go back: over at the first
    02:30 (00:30 UTC). The second 02:15 (01:15 UTC, +01:00) is parking, written either way."""
    year = dt.date.today().year + 1
    sunday = dt.date(year, 10, 31) - dt.timedelta(days=(dt.date(year, 10, 31).weekday() + 1) % 7)
    saturday = str(sunday - dt.timedelta(days=1))
    night = {"use": "event", "priority": 20, "starts_on": saturday, "ends_on": saturday}
    night |= {"day_starts_at": "22:00", "day_ends_at": "02:30"}
    site_id = await add_site(commons, staff, PARKING, RECREATION, night)

    async def use(at: str) -> str:
        answer = await commons.client.get(f"/sites/{site_id}/use", params={"at": at})
        return answer.json()["use"]

    assert await use(f"{sunday}T02:15:00+02:00") == "event"  # the first 02:15, 00:15 UTC
    assert await use(f"{sunday}T00:15:00Z") == "event"
    assert await use(f"{sunday}T02:15:00+01:00") == "parking"  # the second 02:15, 01:15 UTC
    assert await use(f"{sunday}T01:15:00Z") == "parking"
    segments = await commons.client.get(
        f"/sites/{site_id}/timeline",
        params={"from": saturday, "to": str(sunday + dt.timedelta(days=1))},
    )
    event = next(s for s in segments.json()["segments"] if s["use"] == "event")
    assert (event["start"], event["end"]) == (
        f"{saturday}T22:00:00+02:00",
        f"{sunday}T02:30:00+02:00",
    )


async def use_segment(commons, site_id: str, **params: str) -> tuple[str, str, str]:
    answer = await commons.client.get(f"/sites/{site_id}/use", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["use"], answer.json()["start"], answer.json()["end"]


async def test_the_use_at_an_instant_is_its_whole_segment(commons, staff):
    year = dt.date.today().year + 1
    site_id = await add_site(commons, staff, PARKING, RECREATION)
    summer = ("recreation", f"{year}-05-01T00:00:00+02:00", f"{year}-10-01T00:00:00+02:00")
    assert await use_segment(commons, site_id, at=f"{year}-07-15T10:00:00Z") == summer
    assert await use_segment(commons, site_id, on=f"{year}-07-15") == summer
    winter = ("parking", f"{year - 1}-10-01T00:00:00+02:00", f"{year}-05-01T00:00:00+02:00")
    assert await use_segment(commons, site_id, at=f"{year}-01-15T12:00:00+01:00") == winter
    concert = {"use": "event", "priority": 20, "starts_on": f"{year}-07-11"}
    added = await commons.client.post(
        f"/sites/{site_id}/periods", json={**concert, "ends_on": f"{year}-07-11"}, headers=staff
    )
    assert added.status_code == 201
    after_the_concert = ("recreation", f"{year}-07-12T00:00:00+02:00", summer[2])
    assert await use_segment(commons, site_id, at=f"{year}-07-15T10:00:00Z") == after_the_concert
    assert await use_segment(commons, site_id, at=f"{year}-07-11T10:00:00Z") == (
        "event",
        f"{year}-07-11T00:00:00+02:00",
        f"{year}-07-12T00:00:00+02:00",
    )


async def test_a_use_longer_than_the_reach_shows_the_bound_the_schema_gives(commons, staff):
    site_id = await add_site(commons, staff, PARKING)  # parking since 2020, for good
    instant = dt.datetime.combine(dt.date.today(), dt.time(12), dt.UTC)
    use, start, end = await use_segment(commons, site_id, at=instant.isoformat())
    assert use == "parking"
    assert dt.datetime.fromisoformat(start) == max(
        instant - dt.timedelta(days=366), dt.datetime(2020, 1, 1, tzinfo=ZoneInfo("Europe/Warsaw"))
    )
    assert dt.datetime.fromisoformat(end) == instant + dt.timedelta(days=366)
    schema = (await commons.client.get("/openapi.json")).json()
    use_at = schema["components"]["schemas"]["UseAt"]["properties"]
    assert "up to 366 days before" in use_at["start"]["description"]
    assert "up to 366 days after" in use_at["end"]["description"]
