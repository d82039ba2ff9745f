"""Use schedules through the commons API, on real PostGIS: Coal Square and its seasons."""

import datetime as dt

import pytest

from meent_shared.testing.helpers import sql_value

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


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


@pytest.fixture
async def coal_square(commons, staff):
    site = await commons.client.post(
        "/sites",
        json={
            "name": "Plac Węglowy",
            "kind": "square",
            "timezone": "Europe/Warsaw",
            "geometry": COAL_SQUARE,
        },
        headers=staff,
    )
    site_id = site.json()["id"]
    for period in (PARKING, RECREATION):
        answer = await commons.client.post(f"/sites/{site_id}/periods", json=period, headers=staff)
        assert answer.status_code == 201, answer.text
    return site_id


async def use_at(commons, site_id: str, instant: str) -> str | None:
    answer = await commons.client.get(f"/sites/{site_id}/use", params={"at": instant})
    assert answer.status_code == 200, answer.text
    return answer.json()["use"] if answer.json() else None


@pytest.mark.parametrize("year", [2025, 2026, 2030, 2048])
async def test_coal_square_is_parking_in_october_and_a_park_in_july(commons, coal_square, year):
    assert await use_at(commons, coal_square, f"{year}-10-15T12:00:00+02:00") == "parking"
    assert await use_at(commons, coal_square, f"{year}-07-15T12:00:00+02:00") == "recreation"


async def test_the_flip_is_at_midnight_in_warsaw(commons, coal_square):
    assert await use_at(commons, coal_square, "2026-04-30T21:59:59Z") == "parking"
    assert await use_at(commons, coal_square, "2026-04-30T22:00:00Z") == "recreation"
    timeline = await commons.client.get(
        f"/sites/{coal_square}/timeline", params={"from": "2026-04-01", "to": "2026-06-01"}
    )
    segments = timeline.json()["segments"]
    assert [s["use"] for s in segments] == ["parking", "recreation"]
    assert segments[1]["start"] == "2026-05-01T00:00:00+02:00"


async def test_an_event_of_higher_priority_wins_its_day(commons, coal_square, staff):
    concert = {
        "use": "event",
        "priority": 20,
        "starts_on": "2026-07-11",
        "ends_on": "2026-07-11",
        "note": "Open-air concert",
    }
    assert (
        await commons.client.post(f"/sites/{coal_square}/periods", json=concert, headers=staff)
    ).status_code == 201
    assert await use_at(commons, coal_square, "2026-07-11T18:00:00+02:00") == "event"
    assert await use_at(commons, coal_square, "2026-07-12T18:00:00+02:00") == "recreation"


async def test_a_conflicting_period_is_refused_naming_the_other_and_the_date(
    commons, coal_square, staff
):
    # Next September: within the ten years conflicts are looked for, whatever year it is now.
    september = dt.date.today().year + 1
    first_day = f"{september}-09-20"
    market = {
        "use": "market",
        "priority": 10,
        "starts_on": first_day,
        "ends_on": f"{september}-10-10",
    }
    answer = await commons.client.post(f"/sites/{coal_square}/periods", json=market, headers=staff)
    assert answer.status_code == 409
    [item] = answer.json()["detail"]
    assert item["type"] == "schedule_conflict"
    assert item["ctx"]["use"] == "recreation"
    assert item["ctx"]["first_overlap"] == first_day
    assert first_day in item["msg"]
    count = "SELECT count(*) FROM use_period WHERE use = 'market'"
    assert sql_value(commons.database_url, count) == 0


async def test_which_squares_are_parks_on_15_july(commons, coal_square, staff):
    other = {
        "name": "Targ Węglowy",
        "kind": "square",
        "timezone": "Europe/Warsaw",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [18.6500, 54.3500],
                    [18.6510, 54.3500],
                    [18.6510, 54.3510],
                    [18.6500, 54.3510],
                    [18.6500, 54.3500],
                ]
            ],
        },
    }
    other_id = (await commons.client.post("/sites", json=other, headers=staff)).json()["id"]
    await commons.client.post(f"/sites/{other_id}/periods", json=PARKING, headers=staff)
    year = dt.date.today().year
    parks = await commons.client.get(
        "/sites", params={"bbox": "18.6,54.3,18.7,54.4", "on": f"{year}-07-15", "use": "recreation"}
    )
    assert [f["properties"]["name"] for f in parks.json()["features"]] == ["Plac Węglowy"]
    all_sites = await commons.client.get(
        "/sites", params={"bbox": "18.6,54.3,18.7,54.4", "on": f"{year}-07-15", "kind": "square"}
    )
    uses = {f["properties"]["name"]: f["properties"]["use"] for f in all_sites.json()["features"]}
    assert uses == {"Plac Węglowy": "recreation", "Targ Węglowy": "parking"}
    # Beyond the materialized horizon the engine answers, with the same result.
    far = await commons.client.get(
        "/sites", params={"bbox": "18.6,54.3,18.7,54.4", "on": "2060-07-15", "use": "recreation"}
    )
    assert [f["properties"]["name"] for f in far.json()["features"]] == ["Plac Węglowy"]


@pytest.mark.parametrize(
    ("period", "status", "words"),
    [
        (
            {
                "use": "market",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-01",
                "rule": "FREQ=WEEKLY;BYDAY=SA;BYHOUR=8",
            },
            422,
            "finer than daily",
        ),
        (
            {
                "use": "market",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-01",
                "rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
            },
            422,
            "no occurrence",
        ),
        (
            {
                "use": "market",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-01",
                "rule": "FREQ=YEARLY;BYDAY=NOPE",
            },
            422,
            "malformed",
        ),
        (
            {
                "use": "market",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-01",
                "rule": "FREQ=YEARLY;INTERVAL=0",
            },
            422,
            "INTERVAL must be from 1 to 1000",
        ),
        (
            {
                "use": "market",
                "starts_on": "2026-05-01",
                "ends_on": "2026-05-01",
                "rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
            },
            422,
            "never falls in February",
        ),
        ({"use": "market", "starts_on": "2026-05-10", "ends_on": "2026-05-01"}, 422, "before"),
        ({"use": "Market!", "starts_on": "2026-05-01"}, 422, "pattern"),
        ({"use": "market", "starts_on": "2026-05-01", "day_starts_at": "08:00"}, 422, "both"),
    ],
)
async def test_bad_periods_are_refused_and_nothing_stored(
    commons, coal_square, staff, period, status, words
):
    answer = await commons.client.post(f"/sites/{coal_square}/periods", json=period, headers=staff)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert sql_value(commons.database_url, "SELECT count(*) FROM use_period") == 2


async def test_reversed_or_too_long_timeline_ranges_are_refused(commons, coal_square):
    reversed_range = await commons.client.get(
        f"/sites/{coal_square}/timeline", params={"from": "2026-06-01", "to": "2026-05-01"}
    )
    assert reversed_range.status_code == 422
    assert reversed_range.json()["detail"][0]["type"] == "reversed_dates"
    too_long = await commons.client.get(
        f"/sites/{coal_square}/timeline", params={"from": "2020-01-01", "to": "2030-01-01"}
    )
    assert too_long.status_code == 422


async def test_citizens_cannot_schedule(commons, coal_square, auth_header):
    answer = await commons.client.post(
        f"/sites/{coal_square}/periods", json=PARKING, headers=auth_header("someone")
    )
    assert answer.status_code == 403


async def test_dates_far_away_are_refused_not_crashed_on(commons, coal_square, staff):
    for path, params, named in (
        (f"/sites/{coal_square}/use", {"at": "9999-12-31T12:00:00Z"}, "at"),
        (f"/sites/{coal_square}/use", {"on": "0001-01-01"}, "on"),  # the day asked for, not `at`
        ("/sites", {"on": "9999-12-31"}, "on"),
        (f"/sites/{coal_square}/timeline", {"from": "0001-01-01", "to": "0002-01-01"}, "from"),
    ):
        answer = await commons.client.get(path, params=params)
        assert answer.status_code == 422, (path, answer.text)
        [item] = answer.json()["detail"]
        assert item["type"] == "date_out_of_range"
        assert item["loc"] == ["query", named] and item["msg"].startswith(f"{named} must be")
    far = {
        "use": "event",
        "starts_on": "9999-12-01",
        "ends_on": "9999-12-31",
        "rule": "FREQ=YEARLY",
    }
    answer = await commons.client.post(f"/sites/{coal_square}/periods", json=far, headers=staff)
    assert answer.status_code == 422
    assert "between 1900 and 2200" in answer.text
