"""Stewards: projects learnt from spaces' events; their coordinators propose uses, staff accept."""

import datetime as dt
import uuid

import pytest

from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.testing.helpers import publish_events, read_stream, wait_for

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[5.387, 52.155], [5.389, 52.155], [5.389, 52.157], [5.387, 52.157], [5.387, 52.155]]
    ],
}
CONCERT = {"use": "event", "priority": 20, "starts_on": "2026-06-20", "ends_on": "2026-06-20"}


@pytest.fixture
async def stewarded(start_service, auth_header):
    """Amersfoort's Elisabeth green area, stewarded by a project with a coordinator and a member."""
    commons = await start_service("commons")
    project_id = uuid.uuid4()
    await publish_events(
        commons.settings.nats_url,
        [
            ProjectCreated(
                project_id=project_id, version=1, name="Elisabeth groen", slug="elisabeth"
            ),
            MembershipChanged(
                membership_id=uuid.uuid4(),
                version=1,
                project_id=project_id,
                person_id="cora",
                role="coordinator",
                joined_on=dt.date(2020, 1, 1),
            ),
            MembershipChanged(
                membership_id=uuid.uuid4(),
                version=1,
                project_id=project_id,
                person_id="sami",
                role="skill",
                joined_on=dt.date(2020, 1, 1),
            ),
        ],
    )

    async def known() -> bool:
        return (await commons.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(known, what="commons to learn of the project")
    staff = auth_header("marek", ["maintenance"])
    site = await commons.client.post(
        "/sites",
        json={"name": "Elisabeth", "kind": "green_area", "geometry": SQUARE},
        headers=staff,
    )
    site_id = site.json()["id"]
    steward = await commons.client.post(
        f"/sites/{site_id}/stewards",
        json={"project_id": str(project_id), "starts_on": "2025-01-01"},
        headers=staff,
    )
    assert steward.status_code == 201, steward.text
    return commons, site_id, project_id, staff


async def test_stewards_are_listed_with_the_project_name(stewarded):
    commons, site_id, project_id, _ = stewarded
    stewards = (await commons.client.get(f"/sites/{site_id}/stewards")).json()
    assert [(s["project_id"], s["project_name"]) for s in stewards] == [
        (str(project_id), "Elisabeth groen")
    ]

    async def announced() -> bool:
        events = await read_stream(commons.settings.nats_url, "MEENT_COMMONS")
        return any(e.type == "org.meent.commons.stewardship.changed.v1" for _, e in events)

    await wait_for(announced, what="stewardship.changed")


async def test_a_coordinator_proposes_and_staff_accept(stewarded, auth_header):
    commons, site_id, _, staff = stewarded
    proposed = await commons.client.post(
        f"/sites/{site_id}/periods", json=CONCERT, headers=auth_header("cora")
    )
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["status"] == "proposed"
    at = {"at": "2026-06-20T20:00:00+02:00"}
    assert (await commons.client.get(f"/sites/{site_id}/use", params=at)).json() is None
    accepted = await commons.client.post(f"/periods/{proposed.json()['id']}/accept", headers=staff)
    assert accepted.json()["status"] == "active"
    assert (await commons.client.get(f"/sites/{site_id}/use", params=at)).json()["use"] == "event"


async def test_a_skill_member_or_a_stranger_cannot_propose(stewarded, auth_header):
    commons, site_id, _, _ = stewarded
    for person in ("sami", "stranger"):
        answer = await commons.client.post(
            f"/sites/{site_id}/periods", json=CONCERT, headers=auth_header(person)
        )
        assert answer.status_code == 403, person


async def test_a_coordinator_cannot_accept_their_own_proposal(stewarded, auth_header):
    commons, site_id, _, _ = stewarded
    proposed = await commons.client.post(
        f"/sites/{site_id}/periods", json=CONCERT, headers=auth_header("cora")
    )
    answer = await commons.client.post(
        f"/periods/{proposed.json()['id']}/accept", headers=auth_header("cora")
    )
    assert answer.status_code == 403


async def test_a_project_page_lists_the_sites_it_stewards(stewarded):
    commons, site_id, project_id, staff = stewarded
    answer = await commons.client.get(f"/projects/{project_id}/stewardships")
    assert answer.status_code == 200, answer.text
    assert [(s["site_id"], s["site_name"], s["starts_on"]) for s in answer.json()] == [
        (site_id, "Elisabeth", "2025-01-01")
    ]
    other = await commons.client.get(f"/projects/{uuid.uuid4()}/stewardships")
    assert other.json() == []
