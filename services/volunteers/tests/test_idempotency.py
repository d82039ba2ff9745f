"""`Idempotency-Key` on submissions: a retry logs nothing twice, a reused key with another body is
refused, two requests with one key at once make one entry and a clear conflict."""

import asyncio

from sqlalchemy import text

from meent_shared.testing.helpers import wait_for


async def test_a_retry_with_the_key_creates_one_entry(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client = hours_project.volunteers.client
    headers = {**auth_header("vera"), "Idempotency-Key": "phone-7f3a"}
    first = await client.post("/hours", json=hours_project.hours(120), headers=headers)
    assert first.status_code == 201, first.text
    retry = await client.post("/hours", json=hours_project.hours(120), headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await hours_project.entry_count() == 1


async def test_the_same_key_with_another_body_is_refused(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("lena", "skill"))
    client = hours_project.volunteers.client
    headers = {**auth_header("vera"), "Idempotency-Key": "k-1"}
    await client.post("/hours", json=hours_project.hours(120), headers=headers)
    other = await client.post("/hours", json=hours_project.hours(60), headers=headers)
    assert other.status_code == 422
    assert other.json()["detail"][0]["type"] == "idempotency_key_reused"
    assert await hours_project.entry_count() == 1
    # The key is the caller's: another person may use the same one.
    lenas = {**auth_header("lena"), "Idempotency-Key": "k-1"}
    assert (
        await client.post("/hours", json=hours_project.hours(60), headers=lenas)
    ).status_code == 201


async def test_concurrent_requests_with_one_key_make_one_entry(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client = hours_project.volunteers.client
    headers = {**auth_header("vera"), "Idempotency-Key": "same-moment"}
    answers = await asyncio.gather(
        *(client.post("/hours", json=hours_project.hours(60), headers=headers) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [201, 409]
    [conflict] = [a for a in answers if a.status_code == 409]
    assert conflict.json()["detail"][0]["type"] == "idempotency_key_in_flight"
    assert await hours_project.entry_count() == 1


async def test_a_refused_request_keeps_no_key(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client = hours_project.volunteers.client
    headers = {**auth_header("vera"), "Idempotency-Key": "first-try-too-long"}
    over = await client.post(
        "/hours", json=hours_project.hours(60, project_id="x"), headers=headers
    )
    assert over.status_code == 422
    unknown = hours_project.hours(60, project_id="00000000-0000-0000-0000-000000000001")
    assert (await client.post("/hours", json=unknown, headers=headers)).status_code == 422
    # Having failed, the key is free for the request as it should have been.
    fixed = await client.post("/hours", json=hours_project.hours(60), headers=headers)
    assert fixed.status_code == 201, fixed.text


async def test_a_bad_key_is_refused(hours_project, auth_header):
    await hours_project.join(("vera", "skill"))
    client = hours_project.volunteers.client
    for key in ["", "x" * 256, "caf\u00e9".encode()]:
        headers = {**auth_header("vera"), "Idempotency-Key": key}
        answer = await client.post("/hours", json=hours_project.hours(60), headers=headers)
        assert answer.status_code == 422, key
        assert answer.json()["detail"][0]["type"] == "bad_idempotency_key"
    assert await hours_project.entry_count() == 0


async def test_a_correction_retried_with_its_key_is_made_once(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"))
    client = hours_project.volunteers.client
    logged = await client.post("/hours", json=hours_project.hours(120), headers=auth_header("vera"))
    path = f"/hours/{logged.json()['id']}"
    await client.post(f"{path}/approve", headers=auth_header("cora"))
    headers = {**auth_header("vera"), "Idempotency-Key": "fix-1"}
    first = await client.post(f"{path}/corrections", json={"minutes": -15}, headers=headers)
    retry = await client.post(f"{path}/corrections", json={"minutes": -15}, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["id"] == first.json()["id"]
    assert await hours_project.entry_count() == 2
    # The same key on another request (a new submission) is another body.
    reused = await client.post("/hours", json=hours_project.hours(15), headers=headers)
    assert reused.status_code == 422


async def test_keys_older_than_a_day_are_forgotten_by_the_workers(make_hours_project, auth_header):
    hours_project = await make_hours_project(idempotency_forget_seconds=0.2)
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    for key in ("yesterday", "today"):
        answer = await client.post(
            "/hours", json=hours_project.hours(30), headers={**vera, "Idempotency-Key": key}
        )
        assert answer.status_code == 201, answer.text

    sessions = hours_project.volunteers.runtime.session_factory

    async def keys() -> list[str]:
        async with sessions() as session:
            query = text("SELECT key FROM idempotency_key ORDER BY key")
            return list((await session.execute(query)).scalars())

    assert await keys() == ["today", "yesterday"]
    async with sessions() as session, session.begin():
        await session.execute(
            text(
                "UPDATE idempotency_key SET created_at = now() - interval '25 hours' "
                "WHERE key = 'yesterday'"
            )
        )

    async def forgotten() -> bool:
        return await keys() == ["today"]

    await wait_for(forgotten, what="the day-old key to be forgotten")
    assert await hours_project.entry_count() == 2  # the entries stay: only the keys go
