"""A site's schedule has bounds, and each is refused with a 422 that names it, storing nothing:
a cap on active periods and on proposals (configured), and the time windows one answer expands."""

import datetime as dt
import uuid

import pytest

from commons.schedules.engine import MAX_INTERVALS
from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.testing.helpers import publish_events, sql_value, wait_for

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}
CAP = 3
TODAY = dt.date.today()


def one_day_event(days_ahead: int) -> dict[str, object]:
    day = (TODAY + dt.timedelta(days=days_ahead)).isoformat()
    return {"use": "event", "priority": 20, "starts_on": day, "ends_on": day}


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", max_periods_per_site=CAP)


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


async def new_site(commons, staff) -> str:
    site = {"name": "Plac", "kind": "square", "timezone": "Europe/Warsaw", "geometry": SQUARE}
    return (await commons.client.post("/sites", json=site, headers=staff)).json()["id"]


def schedule_version(commons, site_id: str) -> int:
    query = "SELECT coalesce(max(version), 0) FROM site_schedule WHERE site_id = %s"
    return sql_value(commons.database_url, query, site_id)


async def test_a_site_holds_at_most_the_configured_number_of_active_periods(commons, staff):
    site_id = await new_site(commons, staff)
    periods = f"/sites/{site_id}/periods"
    for days_ahead in range(CAP):
        added = await commons.client.post(periods, json=one_day_event(days_ahead), headers=staff)
        assert added.status_code == 201, added.text
    version = schedule_version(commons, site_id)
    refused = await commons.client.post(periods, json=one_day_event(10), headers=staff)
    assert refused.status_code == 422
    [item] = refused.json()["detail"]
    assert item["type"] == "too_many_periods" and item["loc"] == ["path", "site_id"]
    assert f"at most {CAP} active periods" in item["msg"]
    assert len((await commons.client.get(periods)).json()) == CAP  # nothing stored
    assert schedule_version(commons, site_id) == version  # nor announced
    other = await new_site(commons, staff)  # the cap is per site
    added = await commons.client.post(
        f"/sites/{other}/periods", json=one_day_event(10), headers=staff
    )
    assert added.status_code == 201, added.text


async def test_proposals_have_a_cap_of_their_own_and_accepting_one_keeps_the_cap(
    commons, staff, auth_header
):
    site_id = await new_site(commons, staff)
    await make_coordinator(commons, staff, site_id, "cora")
    periods, cora = f"/sites/{site_id}/periods", auth_header("cora")
    proposals = []
    for days_ahead in range(CAP):
        proposed = await commons.client.post(periods, json=one_day_event(days_ahead), headers=cora)
        assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
        proposals.append(proposed.json()["id"])
    refused = await commons.client.post(periods, json=one_day_event(10), headers=cora)
    assert refused.status_code == 422
    assert f"at most {CAP} proposed periods" in refused.json()["detail"][0]["msg"]
    for days_ahead in range(20, 20 + CAP):  # staff fill the active ones: proposals do not count
        added = await commons.client.post(periods, json=one_day_event(days_ahead), headers=staff)
        assert added.status_code == 201, added.text
    refused = await commons.client.post(f"/periods/{proposals[0]}/accept", headers=staff)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "too_many_periods"
    period = await commons.client.get(f"/periods/{proposals[0]}")
    assert period.json()["status"] == "proposed"  # unchanged


async def make_coordinator(commons, staff, site_id: str, person: str) -> None:
    """A project stewarding the site, with `person` as its coordinator (learnt from events)."""
    project_id = uuid.uuid4()
    events = [
        ProjectCreated(project_id=project_id, version=1, name="Plac", slug=f"plac-{project_id}"),
        MembershipChanged(
            membership_id=uuid.uuid4(),
            version=1,
            project_id=project_id,
            person_id=person,
            role="coordinator",
            joined_on=dt.date(2020, 1, 1),
        ),
    ]
    await publish_events(commons.settings.nats_url, events)

    async def known() -> bool:
        return (await commons.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(known, what="commons to learn of the project")
    steward = {
        "project_id": str(project_id),
        "starts_on": (TODAY - dt.timedelta(days=1)).isoformat(),
    }
    answer = await commons.client.post(f"/sites/{site_id}/stewards", json=steward, headers=staff)
    assert answer.status_code == 201, answer.text


def daily_window(hour: int, priority: int) -> dict[str, object]:
    return {
        "use": f"u{hour}",
        "priority": priority,
        "starts_on": "2020-01-01",
        "ends_on": "2020-01-01",
        "rule": "FREQ=DAILY",
        "day_starts_at": f"{hour:02}:00:00",
        "day_ends_at": f"{hour:02}:30:00",
    }


async def test_a_span_too_long_for_the_sites_schedule_is_refused_a_shorter_one_answered(
    start_service, staff
):
    commons = await start_service("commons", max_periods_per_site=20)
    site_id = await new_site(commons, staff)
    windows = MAX_INTERVALS // (5 * 365) + 1  # daily windows: too many for five years
    for hour in range(windows):
        added = await commons.client.post(
            f"/sites/{site_id}/periods", json=daily_window(hour, priority=hour), headers=staff
        )
        assert added.status_code == 201, added.text
    path = f"/sites/{site_id}/timeline"
    five_years = {"from": str(TODAY), "to": str(TODAY + dt.timedelta(days=5 * 365))}
    refused = await commons.client.get(path, params=five_years)
    assert refused.status_code == 422
    [item] = refused.json()["detail"]
    assert item["type"] == "schedule_too_dense" and item["loc"] == ["query", "to"]
    assert str(MAX_INTERVALS) in item["msg"] and "shorter" in item["msg"]
    a_year = {"from": str(TODAY), "to": str(TODAY + dt.timedelta(days=365))}
    answered = await commons.client.get(path, params=a_year)
    assert answered.status_code == 200
    assert len(answered.json()["segments"]) >= windows * 364
