"""Logging hours on a known project, deciding on them, and what that announces."""

import datetime as dt
import uuid

import pytest

from meent_shared.testing.helpers import publish_events, read_stream, wait_for


@pytest.fixture
async def volunteers_with_project(hours_project):
    await hours_project.join(("vera", "skill"), ("ada", "core"), ("cora", "coordinator"))
    return hours_project.volunteers, hours_project.project_id


def hours(project_id: str, minutes: int = 120, worked_on: dt.date | None = None) -> dict:
    day = worked_on or dt.date.today()
    return {
        "project_id": project_id,
        "activity": "gardening",
        "worked_on": day.isoformat(),
        "minutes": minutes,
    }


async def test_submitted_then_approved_hours_are_announced(volunteers_with_project, auth_header):
    volunteers, project_id = volunteers_with_project
    logged = await volunteers.client.post(
        "/hours", json=hours(project_id), headers=auth_header("vera")
    )
    assert logged.status_code == 201, logged.text
    assert logged.json()["status"] == "submitted"
    entry_id = logged.json()["id"]
    approved = await volunteers.client.post(
        f"/hours/{entry_id}/approve", headers=auth_header("admin-1", ["admin"])
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["version"] == 2
    url = volunteers.settings.nats_url

    async def two_events() -> bool:
        return len(await read_stream(url, "MEENT_VOLUNTEERS")) == 2

    await wait_for(two_events, what="hours.submitted and hours.approved")
    events = [event for _, event in await read_stream(url, "MEENT_VOLUNTEERS")]
    assert [e.type for e in events] == [
        "org.meent.volunteers.hours.submitted.v1",
        "org.meent.volunteers.hours.approved.v1",
    ]
    assert events[1].data["minutes"] == 120
    assert events[1].data["approved_by"] == "admin-1"


async def test_no_one_approves_their_own_hours(volunteers_with_project, auth_header):
    volunteers, project_id = volunteers_with_project
    admin = auth_header("ada", ["admin"])
    logged = await volunteers.client.post("/hours", json=hours(project_id), headers=admin)
    answer = await volunteers.client.post(f"/hours/{logged.json()['id']}/approve", headers=admin)
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "own_hours"


async def test_a_citizen_cannot_approve(volunteers_with_project, auth_header):
    volunteers, project_id = volunteers_with_project
    logged = await volunteers.client.post(
        "/hours", json=hours(project_id), headers=auth_header("vera")
    )
    answer = await volunteers.client.post(
        f"/hours/{logged.json()['id']}/approve", headers=auth_header()
    )
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "not_an_approver"


async def test_hours_on_an_unknown_project_or_in_the_future_are_refused(
    volunteers_with_project, auth_header
):
    volunteers, project_id = volunteers_with_project
    vera = auth_header("vera")
    unknown = await volunteers.client.post("/hours", json=hours(str(uuid.uuid4())), headers=vera)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "project_id"]
    assert unknown.json()["detail"][0]["type"] == "unknown_project"
    tomorrow = volunteers.settings.today() + dt.timedelta(days=1)
    future = await volunteers.client.post(
        "/hours", json=hours(project_id, worked_on=tomorrow), headers=vera
    )
    assert future.status_code == 422
    assert future.json()["detail"][0]["type"] == "future_day"
    too_long = await volunteers.client.post(
        "/hours", json=hours(project_id, minutes=1441), headers=vera
    )
    assert too_long.status_code == 422


async def test_a_decided_entry_cannot_be_decided_again(volunteers_with_project, auth_header):
    volunteers, project_id = volunteers_with_project
    logged = await volunteers.client.post(
        "/hours", json=hours(project_id), headers=auth_header("vera")
    )
    admin = auth_header("adm", ["admin"])
    path = f"/hours/{logged.json()['id']}"
    rejected = await volunteers.client.post(f"{path}/reject", json={"reason": "dup"}, headers=admin)
    assert rejected.json()["status"] == "rejected"
    again = await volunteers.client.post(f"{path}/approve", headers=admin)
    assert again.status_code == 409
    assert again.json()["detail"][0]["type"] == "already_decided"


async def test_hours_may_name_only_a_site_commons_announced(volunteers_with_project, auth_header):
    from meent_shared.events.contracts.commons import SiteCreated

    volunteers, project_id = volunteers_with_project
    site_id = uuid.uuid4()
    body = {**hours(project_id), "site_id": str(site_id)}
    unknown = await volunteers.client.post("/hours", json=body, headers=auth_header("vera"))
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "site_id"]
    assert unknown.json()["detail"][0]["type"] == "unknown_site"
    await publish_events(
        volunteers.settings.nats_url,
        [
            SiteCreated(
                site_id=site_id,
                version=1,
                name="Elisabeth",
                kind="green_area",
                timezone="Europe/Amsterdam",
                area_m2=12_000.0,
                bbox=(5.39, 52.15, 5.40, 52.16),
                centroid=(5.395, 52.155),
            )
        ],
    )

    async def accepted() -> bool:
        answer = await volunteers.client.post("/hours", json=body, headers=auth_header("vera"))
        return answer.status_code == 201

    await wait_for(accepted, what="hours on the site once commons announced it")
