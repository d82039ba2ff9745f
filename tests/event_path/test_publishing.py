"""The outbox: what is committed is published once, what is rolled back never is, and a broker
outage loses nothing."""

import asyncio

from sqlalchemy import func, select

from meent_shared.auth import Principal
from meent_shared.testing.helpers import read_stream, sql_value, stream_message_count, wait_for
from spaces.projects.models import ProjectCreate
from spaces.projects.service import create_project

ANNA = Principal(sub="anna", name="Anna", roles=frozenset({"citizen"}), scopes=frozenset())


async def test_a_committed_change_is_published_and_delivered_once(start_service, auth_header):
    spaces = await start_service("spaces")
    volunteers = await start_service("volunteers")
    answer = await spaces.client.post(
        "/projects", json={"name": "Elisabeth groen"}, headers=auth_header("anna")
    )
    assert answer.status_code == 201
    project_id = answer.json()["id"]
    url = spaces.settings.nats_url

    async def volunteers_know_it() -> bool:
        return (await volunteers.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(volunteers_know_it, what="volunteers to learn of the project")
    await asyncio.sleep(0.5)  # several more relay and consumer rounds: still one of everything
    messages = await read_stream(url, "MEENT_SPACES")
    # the project, and its starter's stint as its coordinator
    assert sorted(event.type for _, event in messages) == [
        "org.meent.spaces.membership.changed.v1",
        "org.meent.spaces.project.created.v1",
    ]
    headers, event = next(m for m in messages if m[1].type.endswith("project.created.v1"))
    assert event.subject == project_id
    assert headers["Nats-Msg-Id"] == str(event.id)

    # volunteers applied each once: the project and the membership (members log hours)
    async def both_applied() -> bool:
        return sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") >= 2

    await wait_for(both_applied, what="volunteers to apply the membership too")
    await asyncio.sleep(0.3)
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") == 2
    assert (
        sql_value(spaces.database_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        == 0
    )


async def test_a_rolled_back_change_publishes_nothing(start_service, auth_header):
    spaces = await start_service("spaces")
    url = spaces.settings.nats_url
    async with spaces.runtime.session_factory() as session:
        await session.begin()
        await create_project(
            session=session,
            project_in=ProjectCreate(name="Never"),
            created_by=ANNA,
            today=spaces.settings.today(),
        )
        await session.rollback()
    # A request that fails half-way (the slug is taken) rolls back its event as well.
    first = await spaces.client.post("/projects", json={"name": "Twice"}, headers=auth_header())
    second = await spaces.client.post("/projects", json={"name": "Twice"}, headers=auth_header())
    assert (first.status_code, second.status_code) == (201, 409)
    # A later commit proves the relay has run past the rolled-back work.
    last = await spaces.client.post("/projects", json={"name": "Later"}, headers=auth_header())

    async def both_published() -> bool:
        return await stream_message_count(url, "MEENT_SPACES") >= 4

    await wait_for(both_published, what="two project.created events (and their memberships)")
    await asyncio.sleep(0.3)
    messages = await read_stream(url, "MEENT_SPACES")
    subjects = [e.subject for _, e in messages if e.type.endswith("project.created.v1")]
    assert subjects == [first.json()["id"], last.json()["id"]]
    async with spaces.runtime.session_factory() as session:
        from spaces.db import outbox

        assert await session.scalar(select(func.count()).select_from(outbox)) == 4


async def test_events_committed_while_nats_is_down_all_arrive_once(
    restartable_nats, start_service, auth_header
):
    nats_url = restartable_nats.url
    spaces = await start_service("spaces", nats_url=nats_url)
    volunteers = await start_service("volunteers", nats_url=nats_url)
    await spaces.runtime.link.wait_connected(within=10)
    headers = auth_header("anna")
    await spaces.client.post("/projects", json={"name": "Before the outage"}, headers=headers)

    async def known_projects(expected: int):
        async def check() -> bool:
            count = sql_value(volunteers.database_url, "SELECT count(*) FROM known_project")
            return count == expected

        return check

    await wait_for(await known_projects(1), what="the first project to reach volunteers")

    restartable_nats.stop()
    for n in range(1000):
        answer = await spaces.client.post("/projects", json={"name": f"Buurt {n}"}, headers=headers)
        assert answer.status_code == 201
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    # kept, not lost, while NATS is away: each project and its starter's membership
    assert sql_value(spaces.database_url, unpublished) == 2000

    restartable_nats.start()
    await wait_for(await known_projects(1001), within=60, what="1,001 projects in volunteers")
    await asyncio.sleep(0.5)
    messages = await read_stream(nats_url, "MEENT_SPACES")
    assert len(messages) == 2002
    assert len({event.id for _, event in messages}) == 2002
    assert sql_value(spaces.database_url, unpublished) == 0

    # each project and each membership applied once in volunteers (members log hours)
    async def all_applied() -> bool:
        return sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") >= 2002

    await wait_for(all_applied, within=60, what="volunteers to apply every membership too")
    await asyncio.sleep(0.3)
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") == 2002
