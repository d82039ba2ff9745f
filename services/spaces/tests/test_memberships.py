"""Memberships: open groups, roles, stints and history, and the project's last coordinator."""

import asyncio

import pytest

from meent_shared.auth import Principal
from meent_shared.testing.helpers import sql_value
from spaces.memberships import service as membership_service


@pytest.fixture
async def spaces(start_service):
    return await start_service("spaces")


async def new_project(spaces, auth_header, coordinator="anna"):
    answer = await spaces.client.post(
        "/projects", json={"name": "Elisabeth park"}, headers=auth_header(coordinator)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def join(spaces, auth_header, project_id, sub):
    answer = await spaces.client.post(
        f"/projects/{project_id}/members", json={}, headers=auth_header(sub)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def members(spaces, project_id, current=True):
    answer = await spaces.client.get(
        f"/projects/{project_id}/members", params={"current": str(current).lower()}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


async def test_the_starter_coordinates_and_anyone_joins_the_skill_group(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    bram = await join(spaces, auth_header, project_id, "bram")
    assert bram["role"] == "skill" and bram["left_on"] is None
    assert bram["joined_on"] == spaces.settings.today().isoformat()
    roles = {m["person_id"]: m["role"] for m in await members(spaces, project_id)}
    assert roles == {"anna": "coordinator", "bram": "skill"}
    # names are not public unless the person says so
    assert {m["display_name"] for m in await members(spaces, project_id)} == {"a member"}


async def test_coordinators_change_roles_on_the_same_stint(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    bram = await join(spaces, auth_header, project_id, "bram")
    answer = await spaces.client.patch(
        f"/projects/{project_id}/members/{bram['id']}",
        json={"role": "core"},
        headers=auth_header("anna"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == bram["id"]
    assert answer.json()["role"] == "core" and answer.json()["version"] == bram["version"] + 1


async def test_a_skill_member_cannot_promote_themselves_and_nothing_changes(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    bram = await join(spaces, auth_header, project_id, "bram")
    answer = await spaces.client.patch(
        f"/projects/{project_id}/members/{bram['id']}",
        json={"role": "coordinator"},
        headers=auth_header("bram"),
    )
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "not_a_member"
    assert (
        sql_value(spaces.database_url, "SELECT role::text FROM membership WHERE person_id = 'bram'")
        == "skill"
    )


async def test_leaving_and_rejoining_keeps_the_history(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    first = await join(spaces, auth_header, project_id, "bram")
    left = await spaces.client.post(
        f"/projects/{project_id}/members/me/leave", headers=auth_header("bram")
    )
    assert left.status_code == 200, left.text
    assert left.json()["left_on"] == spaces.settings.today().isoformat()
    second = await join(spaces, auth_header, project_id, "bram")
    assert second["id"] != first["id"]
    history = [
        m for m in await members(spaces, project_id, current=False) if m["person_id"] == "bram"
    ]
    assert [m["id"] for m in history] == [first["id"], second["id"]]
    assert [m["person_id"] for m in await members(spaces, project_id)] == ["anna", "bram"]


async def test_a_coordinator_removes_a_member(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    bram = await join(spaces, auth_header, project_id, "bram")
    gone = await spaces.client.delete(
        f"/projects/{project_id}/members/{bram['id']}", headers=auth_header("anna")
    )
    assert gone.status_code == 200, gone.text
    assert gone.json()["left_on"] is not None
    again = await spaces.client.delete(
        f"/projects/{project_id}/members/{bram['id']}", headers=auth_header("anna")
    )
    assert again.status_code == 409


async def test_the_last_coordinator_cannot_leave(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    answer = await spaces.client.post(
        f"/projects/{project_id}/members/me/leave", headers=auth_header("anna")
    )
    assert answer.status_code == 409
    assert answer.json()["detail"][0]["type"] == "last_coordinator"
    assert [m["role"] for m in await members(spaces, project_id)] == ["coordinator"]


async def test_two_coordinators_leaving_at_once_one_is_refused(spaces, auth_header):
    """Anna's leave holds the project's lock; Bram's waits, then finds himself the last one."""
    project_id = await new_project(spaces, auth_header)
    await spaces.client.post(
        f"/projects/{project_id}/members",
        json={"person_id": "bram", "role": "skill"},
        headers=auth_header("bram"),
    )
    bram = (await members(spaces, project_id))[1]
    await spaces.client.patch(
        f"/projects/{project_id}/members/{bram['id']}",
        json={"role": "coordinator"},
        headers=auth_header("anna"),
    )
    anna = Principal(sub="anna", name=None, roles=frozenset({"citizen"}), scopes=frozenset())
    async with spaces.runtime.session_factory() as session, session.begin():
        await membership_service.leave_project(
            session, project_id=project_id, by=anna, today=spaces.settings.today()
        )
        bram_leaves = asyncio.create_task(
            spaces.client.post(
                f"/projects/{project_id}/members/me/leave", headers=auth_header("bram")
            )
        )
        await asyncio.sleep(0.5)
        assert not bram_leaves.done(), "Bram's leave ran past Anna's open transaction"
    answer = await bram_leaves
    assert answer.status_code == 409
    assert answer.json()["detail"][0]["type"] == "last_coordinator"
    assert [(m["person_id"], m["role"]) for m in await members(spaces, project_id)] == [
        ("bram", "coordinator")
    ]


@pytest.mark.parametrize(
    ("body", "status"),
    [({"role": "chief"}, 422), ({"person_id": "nobody-ever", "role": "core"}, 404)],
)
async def test_bad_additions_are_refused_and_store_nothing(spaces, auth_header, body, status):
    project_id = await new_project(spaces, auth_header)
    answer = await spaces.client.post(
        f"/projects/{project_id}/members", json=body, headers=auth_header("anna")
    )
    assert answer.status_code == status, answer.text
    assert sql_value(spaces.database_url, "SELECT count(*) FROM membership") == 1


async def test_joining_twice_or_an_unknown_project_is_refused(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    await join(spaces, auth_header, project_id, "bram")
    again = await spaces.client.post(
        f"/projects/{project_id}/members", json={}, headers=auth_header("bram")
    )
    assert again.status_code == 409
    assert again.json()["detail"][0]["type"] == "already_member"
    unknown = await spaces.client.post(
        "/projects/00000000-0000-0000-0000-000000000000/members", json={}, headers=auth_header()
    )
    assert unknown.status_code == 404
    missing = await spaces.client.patch(
        f"/projects/{project_id}/members/00000000-0000-0000-0000-000000000000",
        json={"role": "core"},
        headers=auth_header("anna"),
    )
    assert missing.status_code == 404
    assert sql_value(spaces.database_url, "SELECT count(*) FROM membership") == 2


async def test_coordinators_change_the_project_and_skill_members_cannot(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    await join(spaces, auth_header, project_id, "bram")
    refused = await spaces.client.patch(
        f"/projects/{project_id}", json={"status": "active"}, headers=auth_header("bram")
    )
    assert refused.status_code == 403
    answer = await spaces.client.patch(
        f"/projects/{project_id}", json={"status": "active"}, headers=auth_header("anna")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "active"


async def test_each_stint_is_announced_with_its_dates(spaces, auth_header):
    project_id = await new_project(spaces, auth_header)
    bram = await join(spaces, auth_header, project_id, "bram")
    await spaces.client.post(
        f"/projects/{project_id}/members/me/leave", headers=auth_header("bram")
    )
    events = sql_value(
        spaces.database_url,
        "SELECT json_agg(event->'data' ORDER BY created_at) FROM outbox"
        " WHERE subject = 'meent.spaces.membership.changed' AND event->>'subject' = %s",
        bram["id"],
    )
    today = spaces.settings.today().isoformat()
    assert [(e["role"], e["joined_on"], e["left_on"], e["version"]) for e in events] == [
        ("skill", today, None, 1),
        (None, today, today, 2),
    ]
