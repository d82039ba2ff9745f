"""The two rollups — per person (`hour_rollup`) and per project (`hour_project_month`) — agree
with the approved entries after approvals, a rejection and a correction, and every summary's
total is the sum of its groups."""

import asyncio
import datetime as dt
import uuid

from sqlalchemy import text

# (project, month, activity, [person]) → (net minutes, entries), as the approved entries say.
FROM_ENTRIES = (
    "SELECT project_id, date_trunc('month', worked_on)::date, activity::text, {person} "
    "sum(minutes), count(*) FROM hour_entry WHERE status = 'approved' GROUP BY {groups}"
)
FROM_PERSON_ROLLUP = (
    "SELECT project_id, month, activity::text, person_id, minutes, entries FROM hour_rollup"
)
FROM_PROJECT_ROLLUP = (
    "SELECT project_id, month, activity::text, minutes, entries FROM hour_project_month"
)


async def _rows(project, query: str) -> set[tuple]:
    async with project.volunteers.runtime.session_factory() as session:
        return {tuple(row) for row in (await session.execute(text(query))).all()}


async def _log(project, person: str, auth_header, **hours) -> str:
    answer = await project.volunteers.client.post(
        "/hours", json=project.hours(**hours), headers=auth_header(person)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_both_rollups_agree_with_the_entries(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("ivo", "skill"), ("cora", "coordinator"))
    client, cora = hours_project.volunteers.client, auth_header("cora")
    last_month = hours_project.today.replace(day=1) - dt.timedelta(days=1)
    first = await _log(hours_project, "vera", auth_header, minutes=120)
    ids = [
        first,
        await _log(hours_project, "ivo", auth_header, minutes=90),  # same month and activity
        await _log(hours_project, "vera", auth_header, minutes=60, worked_on=last_month),
        await _log(hours_project, "ivo", auth_header, minutes=45, activity="planning"),
    ]
    rejected = await _log(hours_project, "vera", auth_header, minutes=30, activity="outreach")
    batch = await client.post(
        "/hours/decisions", json={"entry_ids": ids, "approve": True}, headers=cora
    )
    assert [result["error"] for result in batch.json()["results"]] == [None] * 4
    await client.post(f"/hours/{rejected}/reject", json={"reason": "twice"}, headers=cora)
    correction = await client.post(
        f"/hours/{first}/corrections", json={"minutes": -30}, headers=auth_header("vera")
    )
    assert correction.status_code == 201, correction.text
    approved = await client.post(f"/hours/{correction.json()['id']}/approve", headers=cora)
    assert approved.status_code == 200, approved.text

    by_person = FROM_ENTRIES.format(person="person_id,", groups="1, 2, 3, 4")
    by_project = FROM_ENTRIES.format(person="", groups="1, 2, 3")
    assert await _rows(hours_project, FROM_PERSON_ROLLUP) == await _rows(hours_project, by_person)
    project_rows = await _rows(hours_project, FROM_PROJECT_ROLLUP)
    assert project_rows == await _rows(hours_project, by_project)
    # this month's gardening: vera's 120 - 30 and ivo's 90, three entries, in one row
    assert {(m, n) for *_, m, n in project_rows} == {(180, 3), (60, 1), (45, 1)}

    for group_by in ("month", "activity", "person"):
        summary = await client.get(
            f"/projects/{hours_project.project_id}/hours/summary", params={"group_by": group_by}
        )
        body = summary.json()
        assert (body["total_minutes"], body["entries"]) == (285, 5), group_by
        assert sum(group["minutes"] for group in body["groups"]) == 285
    totals = await client.get("/projects/totals", params={"ids": hours_project.project_id})
    assert totals.json()["totals"][0]["total_minutes"] == 285


async def test_a_summary_of_no_hours_is_zero_and_of_an_unknown_project_not_found(hours_project):
    client = hours_project.volunteers.client
    empty = await client.get(f"/projects/{hours_project.project_id}/hours/summary")
    assert empty.status_code == 200, empty.text
    assert (empty.json()["total_minutes"], empty.json()["value"], empty.json()["groups"]) == (
        0,
        "0.00",
        [],
    )
    unknown = await client.get(f"/projects/{uuid.uuid4()}/hours/summary?group_by=activity")
    assert unknown.status_code == 404


def _crossing(ones: list[str], twos: list[str]) -> tuple[list[str], list[str]] | None:
    """Two batches that lock their entries (in id order) in opposite rollup-row orders."""
    for a in ones:
        for b in twos:
            for c in ones:
                for d in twos:
                    if len({a, b, c, d}) == 4 and a < b and d < c:
                        return [a, b], [d, c]
    return None


async def test_concurrent_batches_over_the_same_months_all_succeed(hours_project, auth_header):
    await hours_project.join(("vera", "skill"), ("cora", "coordinator"), ("cato", "coordinator"))
    client = hours_project.volunteers.client
    last_month = hours_project.today.replace(day=1) - dt.timedelta(days=1)
    approved = 0
    for _ in range(4):
        # Entry ids are random, so four of each cross only most of the time (all of one
        # month's ids below all of the other's: 2 in 70); log more until two batches cross.
        ones: list[str] = []
        twos: list[str] = []
        while (batches := _crossing(ones, twos)) is None:
            assert len(ones) < 12, "twelve random ids a month and still no crossing"
            ones.append(await _log(hours_project, "vera", auth_header, minutes=10))
            twos.append(
                await _log(hours_project, "vera", auth_header, minutes=10, worked_on=last_month)
            )
        answers = await asyncio.gather(
            *(
                client.post(
                    "/hours/decisions",
                    json={"entry_ids": batch, "approve": True},
                    headers=auth_header(approver),
                )
                for batch, approver in zip(batches, ("cora", "cato"), strict=True)
            )
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        approved += 4
    summary = await client.get(f"/projects/{hours_project.project_id}/hours/summary")
    assert (summary.json()["total_minutes"], summary.json()["entries"]) == (10 * approved, approved)
