"""`POST /hours` writes the entry and its one `hours.submitted` event together, or neither."""

from sqlalchemy import text


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
