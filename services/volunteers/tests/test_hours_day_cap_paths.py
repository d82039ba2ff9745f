"""The 24-hour day holds across every path that adds minutes, sent at once, and whatever the
database's default isolation: the count after the (person, day) lock needs READ COMMITTED."""

import asyncio
import datetime as dt
import random

import asyncpg
import pytest
from sqlalchemy import text

from meent_shared.db import driver_connect_args
from volunteers.hours import submission

COUNTING = (
    "SELECT coalesce(sum(minutes), 0) FROM hour_entry WHERE person_id = :p AND worked_on = :d "
    "AND (status = 'approved' OR (status = 'submitted' AND minutes > 0))"
)


@pytest.fixture
async def world(hours_world):
    world = await hours_world()
    await world.add_members(
        "core", ["bram"], world.service.settings.today() - dt.timedelta(days=99)
    )
    return world


def _hours(world, minutes: int, day: dt.date) -> dict:
    return {
        "project_id": world.project_id,
        "activity": "gardening",
        "worked_on": day.isoformat(),
        "minutes": minutes,
    }


async def test_entries_keys_edits_corrections_and_a_sheet_at_once_never_pass_the_day(
    world, make_sheet
):
    client, bram = world.client, world.as_("bram")
    today = world.service.settings.today()
    for round_ in range(4):
        day = today - dt.timedelta(days=round_ + 1)
        small = (await client.post("/hours", json=_hours(world, 1, day), headers=bram)).json()
        approved = (await client.post("/hours", json=_hours(world, 100, day), headers=bram)).json()
        decided = await client.post(
            f"/hours/{approved['id']}/approve", headers=world.as_("coordinator-2")
        )
        assert decided.status_code == 200, decided.text
        elsewhere = day - dt.timedelta(days=40)
        moved = (await client.post("/hours", json=_hours(world, 1, elsewhere), headers=bram)).json()
        sheet = make_sheet(
            [{"person": "bram", "date": day.isoformat(), "minutes": 400, "activity": "gardening"}]
        )
        calls = [client.post("/hours", json=_hours(world, 400, day), headers=bram) for _ in "abc"]
        calls += [
            client.post(
                "/hours",
                json=_hours(world, 400, day),
                headers={**bram, "Idempotency-Key": f"key-{round_}-{i}"},
            )
            for i in range(3)
        ]
        calls += [
            client.patch(
                f"/hours/{small['id']}", json={"minutes": 400, "version": 1}, headers=bram
            ),
            client.patch(
                f"/hours/{moved['id']}",
                json={"minutes": 400, "worked_on": day.isoformat(), "version": 1},
                headers=bram,
            ),
            client.post(
                f"/hours/{approved['id']}/corrections", json={"minutes": 400}, headers=bram
            ),
            world.import_sheet(sheet, by="coordinator-1"),
        ]
        random.shuffle(calls)
        answers = await asyncio.gather(*calls)
        assert all(answer.status_code < 500 for answer in answers), [a.text for a in answers]
        assert sum(answer.status_code in (200, 201) for answer in answers) >= 3
        async with world.service.runtime.session_factory() as session:
            counted = (await session.execute(text(COUNTING), {"p": "bram", "d": day})).scalar()
        # 101 minutes, then about 400 at a time while they fit: three of them, never four.
        assert 1040 < counted <= 101 + 3 * 400


async def test_the_day_is_counted_under_read_committed_whatever_the_database_says(world):
    runtime = world.service.runtime
    async with runtime.engine.connect() as connection:
        database = (await connection.execute(text("SELECT current_database()"))).scalar()
        await connection.execute(
            text(
                f"ALTER DATABASE \"{database}\" SET default_transaction_isolation = 'repeatable read'"
            )
        )
        await connection.commit()
    await runtime.engine.dispose()  # new connections, which take the database's default
    async with runtime.session_factory() as session, session.begin():
        level = (await session.execute(text("SHOW transaction_isolation"))).scalar()
    assert level == "read committed"
    pool = await submission.open_pool(runtime.engine, 1)
    async with pool, pool.acquire() as connection:
        assert await connection.fetchval("SHOW transaction_isolation") == "read committed"

    # A connection of another making gets a refusal from log_hours, not a wrong count.
    plain = {k: v for k, v in driver_connect_args(runtime.engine).items() if k != "server_settings"}
    connection = await asyncpg.connect(**plain)
    try:
        assert await connection.fetchval("SHOW transaction_isolation") == "repeatable read"
        with pytest.raises(asyncpg.RaiseError, match="READ COMMITTED"):
            await connection.fetchrow(
                "SELECT * FROM log_hours(gen_random_uuid(), $1::uuid, NULL, 'bram', 'gardening', "
                "current_date, 30, '', current_date, gen_random_uuid(), 's', '{}', '{}', 9001, 1440)",
                world.project_id,
            )
    finally:
        await connection.close()
