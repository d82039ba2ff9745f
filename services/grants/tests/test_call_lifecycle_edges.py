"""The edges of a call's life, on the real database and NATS: closing waits for ballots under
way, a decision needs every application decided, an officer's seat drawn too keeps the draw
verifiable, an erased person leaves the pool, a withdrawal is announced, an edit is checked
against the rules again, and keys are not people."""

import asyncio
import datetime as dt
import uuid

import psycopg
from psycopg.types.json import Jsonb

from grants.calls.service import _key
from grants.panels import draw
from meent_shared.events.contracts.spaces import MembershipChanged, PersonErased
from meent_shared.testing.helpers import publish_events, read_stream, sql_value, wait_for


async def test_closing_waits_for_a_ballot_under_way_and_no_ballot_lands_after(grants_world):
    world = await grants_world()
    grants = world.grants
    call = await world.open_call(mode="vote", ballot_kind="approval", ballot_max_choices=1)
    [project] = await world.announce_projects(1)
    application = await world.submitted_application(call["id"], project, "500.00")
    # A ballot under way holds the call's shared lock (as cast_ballot does).
    with psycopg.connect(grants.database_url) as ballot:
        ballot.execute("SELECT pg_advisory_xact_lock_shared(%s)", (_key(uuid.UUID(call["id"])),))
        closing = asyncio.ensure_future(
            grants.client.post(f"/calls/{call['id']}/close", headers=world.officer)
        )
        await asyncio.sleep(0.5)
        assert not closing.done(), "the call closed under a ballot"
        ballot.rollback()
    assert (await closing).status_code == 200
    late = await grants.client.put(
        f"/calls/{call['id']}/ballot",
        json={"choices": {application["id"]: 1}},
        headers=world.auth_header("late-voter"),
    )
    assert late.status_code == 409 and late.json()["detail"][0]["type"] == "call_closed"


async def test_a_first_ballot_under_way_when_the_call_closes_lands_and_the_close_follows(
    grants_world,
):
    """A first ballot inserts a row whose foreign key takes KEY SHARE on the call: a close that
    held the call's row while it waited for the ballots would deadlock with it (one of the two
    a 500)."""
    world = await grants_world()
    grants = world.grants
    call = await world.open_call(mode="vote", ballot_kind="approval", ballot_max_choices=1)
    [project] = await world.announce_projects(1)
    application = await world.submitted_application(call["id"], project, "500.00")
    key = _key(uuid.UUID(call["id"]))
    with psycopg.connect(grants.database_url) as ballot:
        ballot.execute("SELECT pg_advisory_xact_lock_shared(%s)", (key,))
        closing = asyncio.ensure_future(
            grants.client.post(f"/calls/{call['id']}/close", headers=world.officer)
        )
        await asyncio.sleep(0.5)  # the close is waiting now
        insert = "INSERT INTO ballot (call_id, voter, choices) VALUES (%s, 'first-voter', %s)"
        choices = Jsonb({application["id"]: 1})
        await asyncio.wait_for(
            asyncio.to_thread(ballot.execute, insert, (call["id"], choices)), timeout=5
        )
        ballot.commit()
    closed = await asyncio.wait_for(closing, timeout=10)
    assert closed.status_code == 200, closed.text
    query = "SELECT count(*) FROM ballot WHERE call_id = %s"
    assert sql_value(grants.database_url, query, call["id"]) == 1


async def test_a_decision_needs_every_application_decided(grants_world):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()
    first, second = await world.announce_projects(2)
    one = await world.submitted_application(call["id"], first, "500.00")
    two = await world.submitted_application(call["id"], second, "500.00")
    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    await grants.client.post(f"/applications/{one['id']}/award", json={}, headers=officer)
    early = await grants.client.post(f"/calls/{call['id']}/decide", headers=officer)
    assert early.status_code == 409
    assert early.json()["detail"][0]["type"] == "undecided_applications"
    await grants.client.post(f"/applications/{two['id']}/reject", json={}, headers=officer)
    assert (
        await grants.client.post(f"/calls/{call['id']}/decide", headers=officer)
    ).status_code == 200


async def test_an_assigned_reviewer_drawn_too_keeps_the_published_draw_verifiable(grants_world):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    pool = {}
    for n in range(6):
        person = f"pool-{n}-{uuid.uuid4().hex[:6]}"
        joined = await grants.client.post("/reviewers/me", headers=world.auth_header(person))
        pool[uuid.UUID(joined.json()["id"])] = person
    call = await world.open_call(panel_size=2)
    seed = sql_value(
        grants.database_url, "SELECT draw_seed FROM funding_call WHERE id = %s", call["id"]
    )
    first = draw.rank(bytes(seed), list(pool))[0]
    # The officer seats the person the draw will rank first, then draws.
    assign = {"person_id": pool[first]}
    assert (
        await grants.client.post(f"/calls/{call['id']}/panel/assign", json=assign, headers=officer)
    ).status_code == 200
    drawn = await grants.client.post(f"/calls/{call['id']}/panel/draw", headers=officer)
    assert drawn.json()["size"] == 2  # one seat each: the assigned person's, and the second
    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    await grants.client.post(f"/calls/{call['id']}/decide", headers=officer)
    shown = (await grants.client.get(f"/calls/{call['id']}/draw")).json()
    rerun = draw.draw(bytes.fromhex(shown["seed"]), [uuid.UUID(i) for i in shown["pool"]], 2)
    assert shown["drawn_entries"] == [str(e) for e in rerun]
    assert shown["drawn_entries"][0] == str(first)


async def test_an_erased_person_leaves_the_pool_for_the_calls_to_come(grants_world):
    world = await grants_world()
    grants = world.grants
    joined = await grants.client.post("/reviewers/me", headers=world.auth_header("erin"))
    assert joined.status_code == 200
    before = await world.open_call()
    await publish_events(
        grants.settings.nats_url,
        [PersonErased(person_id="erin", pseudonym=f"erased:{uuid.uuid4()}", version=2)],
    )

    async def left() -> bool:
        query = "SELECT count(*) FROM pool_entry WHERE left_at IS NULL"
        return sql_value(grants.database_url, query) == 0

    await wait_for(left, what="the erased person's pool entry to end")
    after = await world.open_call()
    assert (await grants.client.get(f"/calls/{after['id']}/draw")).json()["pool_size"] == 0
    assert (await grants.client.get(f"/calls/{before['id']}/draw")).json()["pool_size"] == 1


async def test_a_withdrawal_is_announced_and_an_edit_meets_the_rules_again(grants_world):
    world = await grants_world()
    grants = world.grants
    call = await world.open_call(min_members=2)
    small, large = await world.announce_projects(1, members=2) + await world.announce_projects(
        1, members=2
    )
    withdrawn = await world.submitted_application(call["id"], small, "400.00")
    answer = await grants.client.post(
        f"/applications/{withdrawn['id']}/withdraw", headers=world.auth_header(small.coordinator)
    )
    assert answer.status_code == 200, answer.text

    async def announced() -> bool:
        types = [e.type for _, e in await read_stream(grants.settings.nats_url, "MEENT_GRANTS")]
        return "org.meent.grants.application.withdrawn.v1" in types

    await wait_for(announced, what="application.withdrawn")

    edited = await world.submitted_application(call["id"], large, "400.00")
    member = sql_value(
        grants.database_url,
        "SELECT membership_id FROM project_member WHERE project_id = %s AND role = 'skill'",
        large.project_id,
    )
    today = world.grants.settings.today()
    left = MembershipChanged(
        membership_id=member,
        project_id=large.project_id,
        person_id="gone",
        role=None,
        joined_on=today - dt.timedelta(days=30),
        left_on=today,
        version=2,
    )
    await publish_events(grants.settings.nats_url, [left])

    async def one_member() -> bool:
        query = "SELECT count(*) FROM project_member WHERE project_id = %s AND role IS NOT NULL"
        return sql_value(grants.database_url, query, large.project_id) == 1

    await wait_for(one_member, what="the member's leaving")
    body = world.application_body(call["id"], large, "450.00")
    del body["call_id"], body["project_id"]
    refused = await grants.client.put(
        f"/applications/{edited['id']}", json=body, headers=world.auth_header(large.coordinator)
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "not_eligible"
    stored = sql_value(
        grants.database_url, "SELECT requested FROM application WHERE id = %s", edited["id"]
    )
    assert str(stored) == "400.00"  # nothing changed


async def test_keys_neither_sit_on_panels_nor_review_and_amounts_are_written_exactly(
    grants_world,
):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()
    seated = await grants.client.post(
        f"/calls/{call['id']}/panel/assign", json={"person_id": "key:abc"}, headers=officer
    )
    assert seated.status_code == 422, seated.text
    [project] = await world.announce_projects(1)
    coordinator = world.auth_header(project.coordinator)
    good = world.application_body(call["id"], project, "500.00")
    for written in ("1_000", " 500 ", "١٠٠٠", "5e2", "+500", 500.5, True):
        body = {**good, "requested": written, "budget_lines": [{"label": "a", "amount": written}]}
        answer = await grants.client.post("/applications", json=body, headers=coordinator)
        assert answer.status_code == 422, (written, answer.text)
    whole = {**good, "requested": 500, "budget_lines": [{"label": "a", "amount": "500"}]}
    assert (
        await grants.client.post("/applications", json=whole, headers=coordinator)
    ).status_code == 201


async def test_a_panel_filled_by_hand_stops_at_its_limit(grants_world):
    world = await grants_world(max_panel_seats=3)
    grants, officer = world.grants, world.officer
    call = await world.open_call(panel_size=3)

    async def seat(person: str):
        body = {"person_id": person}
        return await grants.client.post(
            f"/calls/{call['id']}/panel/assign", json=body, headers=officer
        )

    for n in range(3):
        assert (await seat(f"expert-{n}")).status_code == 200
    full = await seat("expert-3")
    assert full.status_code == 409, full.text
    assert full.json()["detail"][0]["type"] == "panel_full"
    panel = (await grants.client.get(f"/calls/{call['id']}/panel", headers=officer)).json()
    assert panel["size"] == 3 and "expert-3" not in {m["person_id"] for m in panel["members"]}


async def test_the_reviewer_pool_stops_at_its_limit_and_takes_someone_when_another_leaves(
    grants_world,
):
    world = await grants_world(max_reviewer_pool=2)
    grants = world.grants
    people = [world.auth_header(f"citizen-{n}-{uuid.uuid4().hex[:6]}") for n in range(3)]
    for person in people[:2]:
        assert (await grants.client.post("/reviewers/me", headers=person)).status_code == 200
    full = await grants.client.post("/reviewers/me", headers=people[2])
    assert full.status_code == 409, full.text
    assert full.json()["detail"][0]["type"] == "pool_full"
    assert (await grants.client.get("/reviewers/me", headers=people[2])).status_code == 404
    # Joining again when already in is no new entry, full or not.
    assert (await grants.client.post("/reviewers/me", headers=people[0])).status_code == 200
    assert (await grants.client.delete("/reviewers/me", headers=people[1])).status_code == 200
    assert (await grants.client.post("/reviewers/me", headers=people[2])).status_code == 200
