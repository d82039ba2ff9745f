"""Listings as their callers see them: whose names each may see, and the cursors they accept."""

import base64
import uuid


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
