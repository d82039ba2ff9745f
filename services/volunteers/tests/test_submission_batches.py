"""Entries that queue up while the database is busy go in one statement (`SubmissionBatcher`,
`log_hours_batch`): each still by log_hours's rules and with its own event, and a batch the
database refuses falls back to one entry at a time, so one bad entry fails only itself."""

import asyncio
import datetime as dt
import uuid

import asyncpg
from sqlalchemy import text

from meent_shared.auth import Principal
from meent_shared.events.outbox import outbox_json
from volunteers.hours import events, submission
from volunteers.hours.models import HourActivity, HourEntryCreate, HourEntryPublic
from volunteers.hours.rules import DAY_CAP_LOCK


def _entry(project, person: str, minutes: int, days_ago: int = 0) -> HourEntryPublic:
    entry_in = HourEntryCreate(
        project_id=uuid.UUID(project.project_id),
        activity=HourActivity.gardening,
        worked_on=project.today - dt.timedelta(days=days_ago),
        minutes=minutes,
    )
    caller = Principal(sub=person, name=None, roles=frozenset({"citizen"}), scopes=frozenset())
    return submission._new_entry(entry_in, caller)


async def _log_all(project, batcher, entries: list[HourEntryPublic]) -> list:
    return await asyncio.gather(
        *(
            batcher.log(entry, outbox_json(events.hours_submitted(entry)), project.today)
            for entry in entries
        ),
        return_exceptions=True,
    )


async def _stored(project) -> tuple[set[str], set[str]]:
    """The ids of the stored entries, and those named by hours.submitted events in the outbox."""
    async with project.volunteers.runtime.session_factory() as session:
        entries = await session.execute(text("SELECT id::text FROM hour_entry"))
        named = await session.execute(
            text(
                "SELECT event->'data'->>'entry_id' FROM outbox "
                "WHERE subject LIKE '%hours.submitted'"
            )
        )
        return {row[0] for row in entries}, {row[0] for row in named}


async def test_queued_entries_go_together_and_keep_the_day_rule(hours_project):
    await hours_project.join(("vera", "skill"), ("ivo", "skill"))
    batcher = submission.SubmissionBatcher(
        hours_project.volunteers.app.state.submission_pool, in_flight=1
    )
    entries = [
        _entry(hours_project, "ivo", 60),  # goes at once, in a batch of one; the rest wait
        _entry(hours_project, "vera", 13 * 60),
        _entry(hours_project, "ivo", 30, days_ago=1),
        _entry(hours_project, "vera", 13 * 60),  # the same day, in the same batch: over 24 h
        _entry(hours_project, "vera", 45, days_ago=2),
    ]
    results = await _log_all(hours_project, batcher, entries)

    assert (batcher.batches, batcher.entries) == (2, 5)
    assert results == [(None, 0), (None, 0), (None, 0), ("day_over_24_hours", 13 * 60), (None, 0)]
    stored, named = await _stored(hours_project)
    logged = {
        str(entry.id) for entry, result in zip(entries, results, strict=True) if not result[0]
    }
    assert stored == named == logged


async def test_a_batch_the_database_refuses_is_logged_one_by_one(hours_project):
    await hours_project.join(("vera", "skill"), ("ivo", "skill"))
    batcher = submission.SubmissionBatcher(
        hours_project.volunteers.app.state.submission_pool, in_flight=1
    )
    broken = _entry(hours_project, "ivo", 30, days_ago=1)
    broken.minutes = 0  # past validation: the table's CHECK refuses it, and with it the batch
    entries = [
        _entry(hours_project, "ivo", 60),
        _entry(hours_project, "vera", 90),
        broken,
        _entry(hours_project, "vera", 45, days_ago=2),
    ]
    first, *others = await _log_all(hours_project, batcher, entries)

    assert (batcher.batches, batcher.entries, batcher.alone) == (2, 4, 3)
    assert first == (None, 0)
    assert others[0] == (None, 0) and others[2] == (None, 0)
    assert isinstance(others[1], asyncpg.CheckViolationError)
    stored, named = await _stored(hours_project)
    good = {str(entry.id) for entry in entries if entry is not broken}
    assert stored == named == good


async def test_concurrent_requests_share_statements(hours_project, auth_header):
    people = [f"v{n}" for n in range(40)]
    await hours_project.join(*((person, "skill") for person in people))
    client = hours_project.volunteers.client
    batcher = hours_project.volunteers.app.state.submission_batcher
    before = (batcher.batches, batcher.entries)

    answers = await asyncio.gather(
        *(
            client.post("/hours", json=hours_project.hours(30), headers=auth_header(person))
            for person in people
        )
    )

    assert [answer.status_code for answer in answers] == [201] * 40
    batches, entries = batcher.batches - before[0], batcher.entries - before[1]
    assert entries == 40
    assert batches < 40, "40 requests at once and never two in one statement"
    stored, named = await _stored(hours_project)
    assert stored == named == {answer.json()["id"] for answer in answers}


async def test_a_request_gone_before_its_batch_leaves_nothing(hours_project):
    await hours_project.join(("vera", "skill"), ("ivo", "skill"))
    batcher = submission.SubmissionBatcher(
        hours_project.volunteers.app.state.submission_pool, in_flight=1
    )
    first, gone = _entry(hours_project, "ivo", 60), _entry(hours_project, "vera", 60)
    # Tasks start in the order they are made: the first goes to the database at once, and
    # the second waits for it (one batch in flight) — and is cancelled while it waits.
    running = asyncio.ensure_future(
        batcher.log(first, outbox_json(events.hours_submitted(first)), hours_project.today)
    )
    waiting = asyncio.ensure_future(
        batcher.log(gone, outbox_json(events.hours_submitted(gone)), hours_project.today)
    )
    await asyncio.sleep(0)
    waiting.cancel()
    assert await running == (None, 0)
    await batcher.drain(5)

    stored, named = await _stored(hours_project)
    assert stored == named == {str(first.id)}
    assert (batcher.batches, batcher.entries) == (1, 1)


async def test_a_held_lock_delays_only_the_entry_that_needs_it(hours_project):
    """An edit, an import or an idempotent submission holding ivo's day: vera's entry, queued
    behind ivo's, is logged at once; ivo's waits, alone, and is logged when the lock is free."""
    await hours_project.join(("vera", "skill"), ("ivo", "skill"))
    batcher = submission.SubmissionBatcher(
        hours_project.volunteers.app.state.submission_pool, in_flight=1
    )
    ivo, vera = _entry(hours_project, "ivo", 60), _entry(hours_project, "vera", 60)
    ahead = _entry(hours_project, "vera", 30, days_ago=1)  # takes the slot: ivo and vera queue
    lock = text("SELECT pg_advisory_xact_lock(:space, hashtext(:person || '|' || :day))")
    async with hours_project.volunteers.runtime.session_factory() as holder, holder.begin():
        day = hours_project.today.isoformat()
        await holder.execute(lock, {"space": DAY_CAP_LOCK, "person": "ivo", "day": day})
        ahead_logged = asyncio.ensure_future(
            batcher.log(ahead, outbox_json(events.hours_submitted(ahead)), hours_project.today)
        )
        ivo_logged = asyncio.ensure_future(
            batcher.log(ivo, outbox_json(events.hours_submitted(ivo)), hours_project.today)
        )
        vera_logged = asyncio.ensure_future(
            batcher.log(vera, outbox_json(events.hours_submitted(vera)), hours_project.today)
        )
        assert await asyncio.wait_for(vera_logged, 5) == (None, 0)
        assert await ahead_logged == (None, 0)
        await asyncio.sleep(0.2)
        assert not ivo_logged.done()  # still waiting for the lock
    assert await asyncio.wait_for(ivo_logged, 5) == (None, 0)
    # ivo and vera in one statement: vera logged, ivo `lock_busy` and sent again alone
    assert (batcher.batches, batcher.entries, batcher.alone) == (2, 3, 1)
    stored, named = await _stored(hours_project)
    assert stored == named == {str(ivo.id), str(vera.id), str(ahead.id)}
