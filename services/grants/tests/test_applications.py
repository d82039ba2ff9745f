"""Applications on the real database and NATS: who may write them, their amounts, and eligibility
from volunteers' approved hours and spaces' memberships as the events arrive."""

import datetime as dt
import uuid

from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.testing.helpers import publish_events, read_stream, sql_value, wait_for


def _approved(project_id: uuid.UUID, minutes: int, corrects: uuid.UUID | None = None):
    return HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="vera",
        project_id=project_id,
        activity="gardening",
        worked_on=dt.date(2026, 5, 1),
        minutes=minutes,
        approved_by="cora",
        corrects_entry_id=corrects,
    )


async def test_eligibility_flips_at_the_hundredth_approved_hour_and_back_on_a_correction(
    grants_world,
):
    world = await grants_world()
    grants = world.grants
    call = await world.open_call(min_hours=100)
    [project] = await world.announce_projects(1)
    nats = grants.settings.nats_url
    path = f"/calls/{call['id']}/eligibility"

    async def eligible() -> bool:
        answer = await grants.client.get(path, params={"project_id": str(project.project_id)})
        assert answer.status_code == 200, answer.text
        return answer.json()["eligible"]

    async def entries(count: int) -> bool:
        query = "SELECT count(*) FROM approved_hour_entry WHERE project_id = %s"
        return sql_value(grants.database_url, query, project.project_id) == count

    # 99 hours: not yet.
    hours = [_approved(project.project_id, 60) for _ in range(99)]
    await publish_events(nats, hours)
    await wait_for(lambda: entries(99), what="99 approved hours counted")
    assert not await eligible()
    coordinator = world.auth_header(project.coordinator)
    body = world.application_body(call["id"], project)
    drafted = await grants.client.post("/applications", json=body, headers=coordinator)
    assert drafted.status_code == 201, drafted.text
    submit = f"/applications/{drafted.json()['id']}/submit"
    refused = await grants.client.post(submit, headers=coordinator)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert (problem["type"], problem["loc"]) == ("not_eligible", ["rule", "min_hours"])
    assert "100 approved volunteer hours" in problem["msg"] and "99 h" in problem["msg"]

    # The 100th hour arrives by event: eligible.
    hundredth = _approved(project.project_id, 60)
    await publish_events(nats, [hundredth])
    await wait_for(lambda: entries(100), what="the 100th hour counted")
    assert await eligible()
    # The same approval again (a redelivery or a republish) counts once.
    await publish_events(nats, [hundredth])
    assert await eligible()
    # A correction of -30 minutes takes it below again.
    await publish_events(nats, [_approved(project.project_id, -30, corrects=hundredth.entry_id)])
    await wait_for(lambda: entries(101), what="the correction counted")
    assert not await eligible()
    assert (await grants.client.post(submit, headers=coordinator)).status_code == 422
    # 30 minutes more: eligible; the submission goes through and is announced.
    await publish_events(nats, [_approved(project.project_id, 30)])
    await wait_for(lambda: entries(102), what="the last half hour counted")
    submitted = await grants.client.post(submit, headers=coordinator)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    async def announced() -> bool:
        events = [e.type for _, e in await read_stream(nats, "MEENT_GRANTS")]
        return "org.meent.grants.application.submitted.v1" in events

    await wait_for(announced, what="application.submitted")


async def test_a_members_rule_counts_current_members_only(grants_world):
    world = await grants_world()
    call = await world.open_call(min_members=3)
    small, large = await world.announce_projects(1, members=2) + await world.announce_projects(
        1, members=3
    )
    for project, eligible in ((small, False), (large, True)):
        answer = await world.grants.client.get(
            f"/calls/{call['id']}/eligibility", params={"project_id": str(project.project_id)}
        )
        [rule] = answer.json()["rules"]
        assert (rule["rule"], rule["met"], rule["actual"]) == (
            "min_members",
            eligible,
            2 if small is project else 3,
        )


async def test_only_a_coordinator_of_the_project_applies(grants_world):
    world = await grants_world()
    call = await world.open_call()
    [project] = await world.announce_projects(1, members=2)
    member = sql_value(
        world.grants.database_url,
        "SELECT person_id FROM project_member WHERE project_id = %s AND role = 'skill'",
        project.project_id,
    )
    body = world.application_body(call["id"], project)
    for who in (member, "stranger"):
        answer = await world.grants.client.post(
            "/applications", json=body, headers=world.auth_header(who)
        )
        assert answer.status_code == 403, (who, answer.text)
    anonymous = await world.grants.client.post("/applications", json=body)
    assert anonymous.status_code == 401
    assert sql_value(world.grants.database_url, "SELECT count(*) FROM application") == 0


async def test_bad_amounts_and_dates_are_refused_and_nothing_is_stored(grants_world):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    bad_calls = [
        ({"budget": "10000.001"}, ["body", "budget"]),  # more than 2 decimals
        ({"budget": "-5.00"}, ["body", "budget"]),
        ({"budget": "NaN"}, ["body", "budget"]),
        ({"budget": "1e400"}, ["body", "budget"]),
        ({"budget": 12.345}, ["body", "budget"]),  # a JSON number, read exactly
        ({"min_award": "0"}, ["body", "min_award"]),
        ({"closes_on": "2020-01-01"}, ["body"]),  # before it opens
        ({"scale_min": 5, "scale_max": 5}, ["body"]),
        ({"mode": "vote"}, ["body"]),  # a vote without a ballot kind
        ({"criteria": []}, ["body", "criteria"]),
        ({"criteria": [{"name": "a", "weight": 1}, {"name": "a", "weight": 2}]}, ["body"]),
    ]
    for change, loc in bad_calls:
        answer = await grants.client.post("/calls", json=_call(change), headers=officer)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["detail"][0]["loc"][: len(loc)] == loc, (change, answer.text)
    assert sql_value(grants.database_url, "SELECT count(*) FROM funding_call") == 0

    call = await world.open_call()
    [project] = await world.announce_projects(1)
    coordinator = world.auth_header(project.coordinator)
    good = world.application_body(call["id"], project, "500.00")
    bad_applications = [
        {"requested": "500.005", "budget_lines": [{"label": "Trees", "amount": "500.005"}]},
        {"requested": "-500.00", "budget_lines": [{"label": "Trees", "amount": "-500.00"}]},
        {"budget_lines": [{"label": "Trees", "amount": "300.00"}]},  # lines sum to 300.00
        {"budget_lines": []},
        {"requested": "5000.00", "budget_lines": [{"label": "Trees", "amount": "5000.00"}]},
    ]
    for change in bad_applications:
        answer = await grants.client.post(
            "/applications", json={**good, **change}, headers=coordinator
        )
        assert answer.status_code == 422, (change, answer.text)
    assert sql_value(grants.database_url, "SELECT count(*) FROM application") == 0
    lines = await grants.client.post(
        "/applications",
        json={**good, "budget_lines": [{"label": "Trees", "amount": "300.00"}]},
        headers=coordinator,
    )
    assert "add up to 300.00, not the requested 500.00" in lines.text


async def test_an_application_is_written_until_the_call_closes(grants_world):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()
    [project] = await world.announce_projects(1)
    coordinator = world.auth_header(project.coordinator)
    application = await world.submitted_application(call["id"], project, "400.00")
    rewrite = {**world.application_body(call["id"], project, "450.00")}
    del rewrite["call_id"], rewrite["project_id"]
    edited = await grants.client.put(
        f"/applications/{application['id']}", json=rewrite, headers=coordinator
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["requested"], edited.json()["status"]) == ("450.00", "submitted")
    again = await grants.client.post(
        "/applications", json=world.application_body(call["id"], project), headers=coordinator
    )
    assert again.status_code == 409 and again.json()["detail"][0]["type"] == "already_applied"
    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    late = await grants.client.put(
        f"/applications/{application['id']}", json=rewrite, headers=coordinator
    )
    assert late.status_code == 409 and late.json()["detail"][0]["type"] == "call_closed"
    listed = (await grants.client.get("/applications", params={"call_id": call["id"]})).json()
    assert [(a["project_name"], a["requested"], a["currency"]) for a in listed["data"]] == [
        (project.name, "450.00", "EUR")
    ]


def _call(change: dict) -> dict:
    today = dt.date.today()
    return {
        "title": "Groen",
        "budget": "10000.00",
        "min_award": "100.00",
        "max_award": "1000.00",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        **change,
    }


async def test_a_call_takes_at_most_its_configured_number_of_applications(grants_world):
    """Its ranking and page answer with every application: the setting bounds them."""
    world = await grants_world(max_applications_per_call=2)
    call = await world.open_call()
    first, second, third = await world.announce_projects(3)
    await world.submitted_application(call["id"], first, "400.00")
    withdrawn = await world.submitted_application(call["id"], second, "400.00")
    full = await world.grants.client.post(
        "/applications",
        json=world.application_body(call["id"], third),
        headers=world.auth_header(third.coordinator),
    )
    assert full.status_code == 409 and full.json()["detail"][0]["type"] == "call_full"
    # A withdrawn application leaves room for another.
    await world.grants.client.post(
        f"/applications/{withdrawn['id']}/withdraw", headers=world.auth_header(second.coordinator)
    )
    await world.submitted_application(call["id"], third, "400.00")


async def test_a_coordinator_finds_their_projects_draft_again_and_no_one_else_sees_it(
    grants_world,
):
    world = await grants_world()
    grants = world.grants
    first, second = await world.open_call(), await world.open_call()
    [project] = await world.announce_projects(1, members=2)
    coordinator = world.auth_header(project.coordinator)
    body = world.application_body(first["id"], project)
    draft = (await grants.client.post("/applications", json=body, headers=coordinator)).json()
    other = await world.submitted_application(second["id"], project, "300.00")

    async def listed(headers=None, **params) -> list[tuple[str, str]]:
        params = {"project_id": str(project.project_id), **params}
        answer = await grants.client.get("/applications", params=params, headers=headers or {})
        assert answer.status_code == 200, answer.text
        assert answer.json()["count"] == len(answer.json()["data"])
        return [(a["id"], a["status"]) for a in answer.json()["data"]]

    # Its coordinator (and an officer) get the draft too, after the submitted ones…
    expected = [(other["id"], "submitted"), (draft["id"], "draft")]
    assert await listed(coordinator) == expected
    assert await listed(world.officer) == expected
    assert await listed(coordinator, call_id=first["id"]) == [(draft["id"], "draft")]
    # …no one else does: not the public, not a member who does not coordinate, not by call.
    assert await listed() == [(other["id"], "submitted")]
    member = world.auth_header("someone-else")
    assert await listed(member) == [(other["id"], "submitted")]
    by_call = await grants.client.get(
        "/applications", params={"call_id": first["id"]}, headers=coordinator
    )
    assert by_call.json()["data"] == []


async def test_a_discarded_draft_stays_its_projects(grants_world):
    """Withdrawing a draft discards it: never submitted, it is never public."""
    world = await grants_world()
    grants = world.grants
    call = await world.open_call()
    [project] = await world.announce_projects(1)
    coordinator = world.auth_header(project.coordinator)
    body = {**world.application_body(call["id"], project), "title": "Half an idea"}
    draft = (await grants.client.post("/applications", json=body, headers=coordinator)).json()
    withdrawn = await grants.client.post(
        f"/applications/{draft['id']}/withdraw", headers=coordinator
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    for headers in ({}, world.auth_header("a-neighbour")):
        one = await grants.client.get(f"/applications/{draft['id']}", headers=headers)
        assert one.status_code == 404
        listed = await grants.client.get(
            "/applications", params={"call_id": call["id"]}, headers=headers
        )
        assert listed.json() == {"data": [], "count": 0}
    theirs = await grants.client.get(f"/applications/{draft['id']}", headers=coordinator)
    assert theirs.status_code == 200 and theirs.json()["title"] == "Half an idea"
