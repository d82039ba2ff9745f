"""Maintenance: what is due per team and week, overdue work, clashes with the site's use, and
who completes what."""

import datetime as dt

import pytest

from meent_shared.testing.helpers import sql_value

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.649, 54.3507],
            [18.649, 54.352],
            [18.6466, 54.352],
            [18.6466, 54.3507],
        ]
    ],
}
MOW = {
    "title": "Mow the lawn",
    "due_on": "2026-05-04",
    "rule": "FREQ=WEEKLY;INTERVAL=2;BYMONTH=5,6,7,8,9",
}


@pytest.fixture
async def square(start_service, auth_header):
    commons = await start_service("commons", run_workers=False)
    staff = auth_header("marek", ["maintenance"])
    site = await commons.client.post(
        "/sites",
        json={
            "name": "Plac Węglowy",
            "kind": "square",
            "timezone": "Europe/Warsaw",
            "geometry": SQUARE,
        },
        headers=staff,
    )
    site_id = site.json()["id"]
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
        await commons.client.post(f"/sites/{site_id}/periods", json=period, headers=staff)
    team = await commons.client.post("/teams", json={"name": "Śródmieście"}, headers=staff)
    team_id = team.json()["id"]
    await commons.client.put(f"/teams/{team_id}/members/tomek", headers=staff)
    return commons, site_id, team_id, staff


async def add_task(commons, site_id, team_id, staff, **task):
    answer = await commons.client.post(
        f"/sites/{site_id}/tasks", json={**task, "team_id": team_id}, headers=staff
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_mowing_every_two_weeks_from_may_to_september(square):
    commons, site_id, team_id, staff = square
    await add_task(commons, site_id, team_id, staff, **MOW)
    season = await commons.client.get(
        "/tasks/due", params={"team_id": team_id, "from": "2026-04-01", "to": "2026-10-31"}
    )
    dates = [o["due_on"] for o in season.json()]
    assert dates[:3] == ["2026-05-04", "2026-05-18", "2026-06-01"]
    assert dates[-1] == "2026-09-21"
    assert len(dates) == 11
    week = await commons.client.get("/tasks/due", params={"team_id": team_id, "week": "2026-W21"})
    assert [o["due_on"] for o in week.json()] == ["2026-05-18"]


async def test_heavy_work_in_the_park_season_is_flagged(square):
    commons, site_id, team_id, staff = square
    await add_task(
        commons, site_id, team_id, staff, title="Resurface", due_on="2026-07-14", heavy=True
    )
    await add_task(
        commons, site_id, team_id, staff, title="Repaint lines", due_on="2026-11-03", heavy=True
    )
    due = await commons.client.get(
        "/tasks/due", params={"site_id": site_id, "from": "2026-07-01", "to": "2026-11-30"}
    )
    clashes = {o["title"]: o["clashes_with_use"] for o in due.json()}
    assert clashes == {"Resurface": "recreation", "Repaint lines": None}


async def test_overdue_until_a_team_member_completes_it(square, auth_header):
    commons, site_id, team_id, staff = square
    last_week = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    task_id = await add_task(commons, site_id, team_id, staff, title="Empty bins", due_on=last_week)
    window = {"team_id": team_id, "from": last_week, "to": dt.date.today().isoformat()}
    [before] = (await commons.client.get("/tasks/due", params=window)).json()
    assert before["overdue"] is True and before["done"] is False
    stranger = await commons.client.post(
        f"/tasks/{task_id}/complete", json={}, headers=auth_header("someone", ["maintenance"])
    )
    assert stranger.status_code == 403
    done = await commons.client.post(
        f"/tasks/{task_id}/complete", json={}, headers=auth_header("tomek", ["maintenance"])
    )
    assert done.status_code == 200, done.text
    assert done.json()["done"] is True and done.json()["completed_by"] == "tomek"
    assert done.json()["overdue"] is False
    again = await commons.client.post(
        f"/tasks/{task_id}/complete",
        json={"due_on": last_week},
        headers=auth_header("tomek", ["maintenance"]),
    )
    assert again.status_code == 409
    completed = (
        "SELECT count(*) FROM outbox WHERE subject = 'meent.commons.maintenance.task_completed'"
    )
    assert sql_value(commons.database_url, completed) == 1


async def test_a_task_with_a_bad_rule_or_an_unknown_team_is_refused(square):
    commons, site_id, team_id, staff = square
    bad_rule = await commons.client.post(
        f"/sites/{site_id}/tasks", json={**MOW, "rule": "FREQ=MINUTELY"}, headers=staff
    )
    assert bad_rule.status_code == 422
    assert "finer than daily" in bad_rule.text
    unknown_team = await commons.client.post(
        f"/sites/{site_id}/tasks",
        json={
            "title": "x",
            "due_on": "2026-05-01",
            "team_id": "00000000-0000-0000-0000-000000000000",
        },
        headers=staff,
    )
    assert unknown_team.status_code == 422
    bad_week = await commons.client.get("/tasks/due", params={"week": "soon"})
    assert bad_week.status_code == 422
