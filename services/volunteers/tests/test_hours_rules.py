"""The rules of logging: members on that day only, 24 hours a day at most (also sent at once), no
future days in the city's time zone, and who approves whose hours."""

import asyncio
import datetime as dt

import pytest


async def test_two_thirteen_hour_entries_on_one_day_are_refused(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    first = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    assert first.status_code == 201, first.text
    second = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    assert second.status_code == 409
    assert second.json()["detail"][0]["type"] == "day_over_24_hours"
    assert await hours_project.entry_count() == 1
    # The rest of the day still fits, and another day is another day.
    rest = await client.post("/hours", json=hours_project.hours(11 * 60), headers=vera)
    assert rest.status_code == 201
    yesterday = hours_project.today - dt.timedelta(days=1)
    other_day = hours_project.hours(13 * 60, worked_on=yesterday)
    assert (await client.post("/hours", json=other_day, headers=vera)).status_code == 201


async def test_two_thirteen_hour_entries_sent_at_once_one_is_refused(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    answers = await asyncio.gather(
        *(client.post("/hours", json=hours_project.hours(13 * 60), headers=vera) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert await hours_project.entry_count() == 1


async def test_a_withdrawn_or_rejected_entry_frees_its_minutes(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    first = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    await client.post(f"/hours/{first.json()['id']}/withdraw", headers=vera)
    second = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    assert second.status_code == 201
    reject = {"reason": "not this project"}
    path = f"/hours/{second.json()['id']}/reject"
    assert (await client.post(path, json=reject, headers=auth_header("cora"))).status_code == 200
    third = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    assert third.status_code == 201


async def test_entries_outside_a_membership_are_refused(hours_project, auth_header):
    today = hours_project.today
    joined, left = today - dt.timedelta(days=30), today - dt.timedelta(days=10)
    await hours_project.join(("lena", None, joined, left, 2))
    client, lena = hours_project.volunteers.client, auth_header("lena")
    for day, status in [
        (joined - dt.timedelta(days=1), 403),
        (joined, 201),
        (left, 201),
        (left + dt.timedelta(days=1), 403),
        (today, 403),
    ]:
        answer = await client.post("/hours", json=hours_project.hours(60, day), headers=lena)
        assert answer.status_code == status, (day, answer.text)
        if status == 403:
            assert answer.json()["detail"][0]["type"] == "not_a_member_that_day"
    assert await hours_project.entry_count() == 2
    stranger = await client.post("/hours", json=hours_project.hours(60), headers=auth_header())
    assert stranger.status_code == 403


@pytest.mark.parametrize("minutes", [0, -30])
async def test_zero_or_negative_minutes_are_refused(hours_project, auth_header, minutes):
    await hours_project.join(("vera", "skill"))
    client = hours_project.volunteers.client
    answer = await client.post(
        "/hours", json=hours_project.hours(minutes), headers=auth_header("vera")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "minutes"]
    assert await hours_project.entry_count() == 0


@pytest.mark.parametrize("city", ["Pacific/Kiritimati", "Etc/GMT+12"])
async def test_today_is_the_citys_not_the_servers(make_hours_project, auth_header, city):
    """Kiritimati (UTC+14) is often a day ahead of the server's clock, Baker Island (UTC-12) a
    day behind: the city's today is accepted and its tomorrow refused, whatever the host's date."""
    project = await make_hours_project(city_timezone=city)
    await project.join(("vera", "skill"))
    client, vera = project.volunteers.client, auth_header("vera")
    tomorrow = project.today + dt.timedelta(days=1)
    refused = await client.post("/hours", json=project.hours(60, tomorrow), headers=vera)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "future_day"
    accepted = await client.post("/hours", json=project.hours(60, project.today), headers=vera)
    assert accepted.status_code == 201, accepted.text


async def _log(hours_project, person: str, auth_header, minutes: int = 60) -> str:
    answer = await hours_project.volunteers.client.post(
        "/hours", json=hours_project.hours(minutes), headers=auth_header(person)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_a_coordinators_own_entry_waits_for_another_coordinator(hours_project, auth_header):
    await hours_project.join(("cora", "coordinator"), ("cole", "coordinator"), ("kim", "core"))
    client = hours_project.volunteers.client
    entry_id = await _log(hours_project, "cora", auth_header)
    own = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("cora"))
    assert own.status_code == 403
    assert own.json()["detail"][0]["type"] == "own_hours"
    # Another coordinator exists, so a core member does not decide.
    core = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("kim"))
    assert core.status_code == 403
    assert core.json()["detail"][0]["type"] == "not_an_approver"
    still = await client.get(f"/hours/{entry_id}", headers=auth_header("cora"))
    assert still.json()["status"] == "submitted"
    other = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("cole"))
    assert other.status_code == 200
    assert other.json()["status"] == "approved"
    assert other.json()["decided_by"] == "cole"


async def test_a_lone_coordinators_entry_is_approved_by_a_core_member(hours_project, auth_header):
    await hours_project.join(("cora", "coordinator"), ("kim", "core"), ("sam", "skill"))
    client = hours_project.volunteers.client
    entry_id = await _log(hours_project, "cora", auth_header)
    skill = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("sam"))
    assert skill.status_code == 403
    core = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("kim"))
    assert core.status_code == 200, core.text
    # A skill member's entry is the coordinator's to decide, not a core member's.
    sams = await _log(hours_project, "sam", auth_header)
    by_core = await client.post(f"/hours/{sams}/approve", headers=auth_header("kim"))
    assert by_core.status_code == 403
    by_coordinator = await client.post(f"/hours/{sams}/approve", headers=auth_header("cora"))
    assert by_coordinator.status_code == 200


async def test_a_coordinator_who_left_no_longer_approves(hours_project, auth_header):
    today = hours_project.today
    await hours_project.join(("cora", "coordinator"), ("vera", "skill"))
    entry_id = await _log(hours_project, "vera", auth_header)
    await hours_project.join(("cora", None, today - dt.timedelta(days=400), today, 2))
    client = hours_project.volunteers.client
    answer = await client.post(f"/hours/{entry_id}/approve", headers=auth_header("cora"))
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "not_an_approver"
