"""An entry's life after logging: its logger edits or withdraws it while submitted; approvers
decide several at once; an approved entry changes only by a correction, which changes the net."""

import uuid

from meent_shared.testing.helpers import read_stream, wait_for
from volunteers.republish import announce_hour_entries


async def _log(project, person, auth_header, minutes=120) -> dict:
    answer = await project.volunteers.client.post(
        "/hours", json=project.hours(minutes), headers=auth_header(person)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_only_the_logger_edits_while_submitted(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    entry = await _log(hours_project, "vera", auth_header)
    path = f"/hours/{entry['id']}"
    other = await client.patch(
        path, json={"minutes": 60, "version": 1}, headers=auth_header("cora")
    )
    assert other.status_code == 403
    edited = await client.patch(
        path, json={"minutes": 90, "activity": "planning", "version": 1}, headers=vera
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["minutes"], edited.json()["activity"]) == (90, "planning")
    assert edited.json()["version"] == 2
    stale = await client.patch(path, json={"minutes": 30, "version": 1}, headers=vera)
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["type"] == "version_conflict"
    zero = await client.patch(path, json={"minutes": 0, "version": 2}, headers=vera)
    assert zero.status_code == 422
    await client.post(f"{path}/approve", headers=auth_header("cora"))
    decided = await client.patch(path, json={"minutes": 30, "version": 3}, headers=vera)
    assert decided.status_code == 409
    assert (await client.get(path, headers=vera)).json()["minutes"] == 90


async def test_an_edit_is_held_to_the_day_cap(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    await _log(hours_project, "vera", auth_header, minutes=600)
    entry = await _log(hours_project, "vera", auth_header, minutes=600)
    path = f"/hours/{entry['id']}"
    over = await client.patch(path, json={"minutes": 900, "version": 1}, headers=vera)
    assert over.status_code == 409
    assert over.json()["detail"][0]["type"] == "day_over_24_hours"
    fits = await client.patch(path, json={"minutes": 840, "version": 1}, headers=vera)
    assert fits.status_code == 200, fits.text


async def test_only_the_logger_withdraws_while_submitted(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    entry = await _log(hours_project, "vera", auth_header)
    path = f"/hours/{entry['id']}"
    assert (await client.post(f"{path}/withdraw", headers=auth_header("cora"))).status_code == 403
    withdrawn = await client.post(f"{path}/withdraw", headers=vera)
    assert withdrawn.json()["status"] == "withdrawn"
    again = await client.post(f"{path}/withdraw", headers=vera)
    assert again.status_code == 409
    approve = await client.post(f"{path}/approve", headers=auth_header("cora"))
    assert approve.status_code == 409
    assert await hours_project.rollup_minutes() == 0
    # A republish does not bring it back as submitted.
    async with hours_project.volunteers.runtime.session_factory() as session:
        announced = [event async for event in announce_hour_entries(session)]
    assert announced == []


async def test_several_entries_are_decided_at_once_each_on_its_own(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client = hours_project.volunteers.client
    veras = [(await _log(hours_project, "vera", auth_header, 60))["id"] for _ in range(3)]
    coras = (await _log(hours_project, "cora", auth_header, 60))["id"]
    unknown = str(uuid.uuid4())
    ids = [veras[0], coras, veras[1], unknown, veras[2]]
    answer = await client.post(
        "/hours/decisions", json={"entry_ids": ids, "approve": True}, headers=auth_header("cora")
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["entry_id"] for r in results] == ids
    outcome = [r["entry"]["status"] if r["entry"] else r["error"]["type"] for r in results]
    assert outcome == ["approved", "own_hours", "approved", "not_found", "approved"]
    assert await hours_project.rollup_minutes() == 180
    too_many = {"entry_ids": [unknown] * 101, "approve": True}
    refused = await client.post("/hours/decisions", json=too_many, headers=auth_header("cora"))
    assert refused.status_code == 422


async def test_a_correction_changes_the_net_and_leaves_the_original(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client, vera, cora = hours_project.volunteers.client, auth_header("vera"), auth_header("cora")
    entry = await _log(hours_project, "vera", auth_header, minutes=120)
    path = f"/hours/{entry['id']}"
    early = await client.post(f"{path}/corrections", json={"minutes": -30}, headers=vera)
    assert early.status_code == 409  # only approved entries are corrected
    await client.post(f"{path}/approve", headers=cora)
    assert await hours_project.rollup_minutes() == 120
    too_far = await client.post(f"{path}/corrections", json={"minutes": -121}, headers=vera)
    assert too_far.status_code == 422
    zero = await client.post(f"{path}/corrections", json={"minutes": 0}, headers=vera)
    assert zero.status_code == 422
    stranger = await client.post(
        f"{path}/corrections", json={"minutes": -30}, headers=auth_header()
    )
    assert stranger.status_code == 403
    corrected = await client.post(
        f"{path}/corrections", json={"minutes": -30, "note": "left early"}, headers=vera
    )
    assert corrected.status_code == 201, corrected.text
    correction = corrected.json()
    assert (correction["corrects_entry_id"], correction["minutes"]) == (entry["id"], -30)
    assert (correction["source"], correction["status"]) == ("correction", "submitted")
    own = await client.post(f"/hours/{correction['id']}/approve", headers=vera)
    assert own.status_code == 403
    approved = await client.post(f"/hours/{correction['id']}/approve", headers=cora)
    assert approved.status_code == 200
    assert await hours_project.rollup_minutes() == 90
    original = (await client.get(path, headers=vera)).json()
    assert (original["minutes"], original["status"], original["version"]) == (120, "approved", 2)
    of_correction = await client.post(
        f"/hours/{correction['id']}/corrections", json={"minutes": 10}, headers=vera
    )
    assert of_correction.status_code == 409

    url = hours_project.volunteers.settings.nats_url

    async def announced() -> bool:
        return len(await read_stream(url, "MEENT_VOLUNTEERS")) == 4

    await wait_for(announced, what="two submissions and two approvals")
    last = [event for _, event in await read_stream(url, "MEENT_VOLUNTEERS")][-1]
    assert last.type == "org.meent.volunteers.hours.approved.v1"
    assert (last.data["corrects_entry_id"], last.data["minutes"]) == (entry["id"], -30)


async def test_a_coordinator_corrects_and_another_approver_decides(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"), ("kim", "core"))
    client, cora = hours_project.volunteers.client, auth_header("cora")
    entry = await _log(hours_project, "vera", auth_header, minutes=120)
    await client.post(f"/hours/{entry['id']}/approve", headers=cora)
    corrected = await client.post(
        f"/hours/{entry['id']}/corrections", json={"minutes": 60}, headers=cora
    )
    assert corrected.status_code == 201, corrected.text
    assert (corrected.json()["person_id"], corrected.json()["logged_by"]) == ("vera", "cora")
    path = f"/hours/{corrected.json()['id']}/approve"
    assert (await client.post(path, headers=cora)).status_code == 403  # cora logged it
    assert (await client.post(path, headers=auth_header("vera"))).status_code == 403
    assert (await client.post(path, headers=auth_header("kim"))).status_code == 200
    assert await hours_project.rollup_minutes() == 180
