"""`POST /hours` writes the entry and its one `hours.submitted` event together, or neither."""

import asyncio

from sqlalchemy import text

from volunteers.hours.rules import DAY_CAP_LOCK


async def _submitted_events(hours_project) -> list[dict]:
    query = text(
        "SELECT event FROM outbox WHERE subject LIKE '%hours.submitted' ORDER BY created_at"
    )
    async with hours_project.volunteers.runtime.session_factory() as session:
        return [row[0] for row in await session.execute(query)]


async def test_an_entry_comes_with_its_event_and_a_refused_one_with_none(
    hours_project, auth_header
):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    first = await client.post("/hours", json=hours_project.hours(13 * 60, note="dug"), headers=vera)
    assert first.status_code == 201, first.text
    entry = first.json()
    assert entry["status"] == "submitted" and entry["version"] == 1 and entry["note"] == "dug"
    assert (await client.get(f"/hours/{entry['id']}", headers=vera)).json() == entry

    refused = await client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
    assert refused.status_code == 409
    error = refused.json()["detail"][0]
    assert error["type"] == "day_over_24_hours"
    assert error["ctx"] == {"logged_minutes": 13 * 60, "added_minutes": 13 * 60}

    assert await hours_project.entry_count() == 1
    [event] = await _submitted_events(hours_project)
    assert event["data"]["entry_id"] == entry["id"]
    assert event["data"]["minutes"] == 13 * 60
    assert event["data"]["person_id"] == "vera"
    assert event["data"]["version"] == 1


async def test_many_entries_sent_at_once_never_pass_the_day(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    answers = await asyncio.gather(
        *(client.post("/hours", json=hours_project.hours(13 * 60), headers=vera) for _ in range(20))
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 19
    assert await hours_project.entry_count() == 1
    assert len(await _submitted_events(hours_project)) == 1


async def test_entries_waiting_for_the_same_day_are_counted_one_after_the_other(
    hours_project, auth_header
):
    """Two 13-hour entries queue behind whoever holds the person's day (here the test); once it
    lets go, one gets the day and the other waits until that one is committed, then is refused."""
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    day_lock = text("SELECT pg_advisory_xact_lock(:space, hashtext(:person || '|' || :day))")
    lock = {"space": DAY_CAP_LOCK, "person": "vera", "day": hours_project.today.isoformat()}
    async with hours_project.volunteers.runtime.session_factory() as session, session.begin():
        await session.execute(day_lock, lock)
        sent = [
            asyncio.create_task(
                client.post("/hours", json=hours_project.hours(13 * 60), headers=vera)
            )
            for _ in range(2)
        ]
        await asyncio.sleep(1.0)  # both are waiting for the day now
        assert not any(task.done() for task in sent)
    answers = await asyncio.gather(*sent)
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert await hours_project.entry_count() == 1
