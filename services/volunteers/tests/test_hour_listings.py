"""Listings as their callers see them: whose names each may see, and the cursors they accept."""

import base64
import uuid

from meent_shared.events.contracts.spaces import PersonUpdated
from meent_shared.testing.helpers import publish_events, sql_value, wait_for


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def test_a_forged_queue_cursor_is_a_clear_422(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("c1", "coordinator"))
    client = hours_project.volunteers.client
    entry = uuid.uuid4()
    forged = [
        "9999-12-31T23:59:59.999999-23:59",  # past year 9999 in UTC
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
        "2026-01-01T00:00:00",  # no offset: the queue never gives one
        "1899-12-31T23:00:00+00:00",
        "2201-01-01T00:00:00+00:00",
    ]
    for text in forged:
        answer = await client.get(
            "/hours/queue", params={"after": cursor(f"{text}|{entry}")}, headers=auth_header("c1")
        )
        assert answer.status_code == 422, (text, answer.text)
        assert answer.json()["detail"][0]["type"] == "bad_cursor"
    for day in ["0001-01-01", "9999-12-31"]:
        answer = await client.get("/hours", params={"after": cursor(f"{day}|{entry}")})
        assert answer.status_code == 422, (day, answer.text)
        assert answer.json()["detail"][0]["type"] == "bad_cursor"


async def test_a_queue_cursor_it_gave_still_pages(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("c1", "coordinator"))
    client = hours_project.volunteers.client
    for minutes in (30, 40):
        sent = await client.post(
            "/hours", json=hours_project.hours(minutes), headers=auth_header("vera")
        )
        assert sent.status_code == 201, sent.text
    first = (
        await client.get("/hours/queue", params={"first": 1}, headers=auth_header("c1"))
    ).json()
    after = first["end_cursor"]
    second = await client.get(
        "/hours/queue", params={"first": 1, "after": after}, headers=auth_header("c1")
    )
    assert second.status_code == 200, second.text
    assert [n["minutes"] for n in first["nodes"] + second.json()["nodes"]] == [30, 40]


async def named(project, person: str, name: str, public: bool) -> None:
    service = project.volunteers
    event = PersonUpdated(person_id=person, version=1, display_name=name, name_public=public)
    await publish_events(service.settings.nats_url, [event])

    async def applied() -> bool:
        query = "SELECT count(*) FROM known_person WHERE person_id = %s"
        return sql_value(service.database_url, query, person) == 1

    await wait_for(applied, what=f"{person}'s name")


async def test_a_core_member_sees_hidden_names_only_on_entries_they_decide(
    hours_project, auth_header
):
    project = hours_project  # one coordinator: a core member approves the coordinator's hours
    await project.join(("hidden", "skill"), ("c1", "coordinator"), ("kees", "core"))
    await named(project, "hidden", "Hidden Heidi", public=False)
    await named(project, "c1", "Cor Een", public=False)
    client = project.volunteers.client
    sent = {}
    for person in ("hidden", "c1"):
        answer = await client.post("/hours", json=project.hours(60), headers=auth_header(person))
        assert answer.status_code == 201, answer.text
        sent[person] = answer.json()["id"]

    async def seen(**params) -> dict[str, dict]:
        params = {"project_id": project.project_id, **params}
        answer = await client.get("/hours", params=params, headers=auth_header("kees"))
        return {node["id"]: node for node in answer.json()["nodes"]}

    # Kees decides the coordinator's own entry (no other coordinator) and sees whose it is...
    submitted = await seen(status="submitted")
    assert submitted[sent["c1"]]["person_id"] == "c1"
    # ...but not the hidden member's submitted entry: the coordinator decides that one.
    assert sent["hidden"] not in submitted
    exported = await client.get(
        "/hours/export.csv",
        params={"project_id": project.project_id, "status": "submitted"},
        headers=auth_header("kees"),
    )
    assert "hidden" not in exported.text and "Hidden Heidi" not in exported.text
    # Approved, her entry is public, still without her name (to kees as to anyone).
    approved = await client.post(f"/hours/{sent['hidden']}/approve", headers=auth_header("c1"))
    assert approved.status_code == 200, approved.text
    node = (await seen())[sent["hidden"]]
    assert (node["person_id"], node["person_name"]) == (None, None)


async def imported(world, make_sheet, person: str, minutes: int, by: str) -> str:
    today = world.service.settings.today().isoformat()
    row = {"person": person, "date": today, "minutes": minutes, "activity": "gardening"}
    answer = await world.import_sheet(make_sheet([row]), by=by)
    assert answer.status_code == 201, answer.text
    return answer.json()["entry_ids"][0]


async def listed(world, by: str | None, **params) -> dict[str, dict]:
    answer = await world.client.get(
        "/hours", params={"project_id": world.project_id, **params}, headers=world.as_(by)
    )
    assert answer.status_code == 200, answer.text
    return {node["id"]: node for node in answer.json()["nodes"]}


async def test_the_logger_and_approver_are_shown_by_their_own_profiles(hours_world, make_sheet):
    world = await hours_world()
    await world.add_members("skill", ["vera"], world.service.settings.today())
    await world.name("vera", "Vera Visser", public=True)
    await world.name("coordinator-2", "Cor Twee", public=False)
    entry = await imported(world, make_sheet, "vera", 60, by="coordinator-1")
    await world.approve_all([entry], by="coordinator-2")

    # The public sees Vera (her profile allows it), not the coordinators who logged and approved.
    public = (await listed(world, None))[entry]
    assert (public["person_id"], public["person_name"]) == ("vera", "Vera Visser")
    assert (public["logged_by"], public["decided_by"]) == (None, None)
    exported = await world.client.get("/hours/export.csv", params={"project_id": world.project_id})
    assert "coordinator-" not in exported.text
    # Once coordinator-1 makes their name public, the public sees that they logged it.
    await world.name("coordinator-1", "Cor Een", public=True)
    public = (await listed(world, None))[entry]
    assert (public["logged_by"], public["decided_by"]) == ("coordinator-1", None)
    # Vera, whose entry it is, sees who decided it.
    own = (await listed(world, "vera"))[entry]
    assert (own["logged_by"], own["decided_by"]) == ("coordinator-1", "coordinator-2")
