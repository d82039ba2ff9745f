"""A volunteer's `POST /hours`: the hot path of the service, so one statement on asyncpg itself.

`log_hours` (migrations 0007, 0008) checks the facts the rules need (project and site known, not a future
day, a member that day), takes the (person, day) advisory lock, counts the day and inserts the
entry and its outbox row — one round trip. Without an Idempotency-Key the statement runs on a
connection of asyncpg's own pool (`open_pool`), outside any transaction (its own commit ends the
lock); with one, inside the session's transaction beside the key (the lock then lasts until that
commit). The rules, their order and their refusals are those of `service` (edits, corrections)
and the CSV import.
"""

import datetime as dt
import uuid
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import driver_connect_args
from meent_shared.events.outbox import outbox_json
from volunteers.hours import events, rules
from volunteers.hours.models import (
    MINUTES_PER_DAY,
    HourEntryCreate,
    HourEntryPublic,
    HourSource,
    HourStatus,
)

LOG_HOURS = (
    "SELECT refusal, day_minutes FROM log_hours("
    "$1::uuid, $2::uuid, $3::uuid, $4::text, $5::houractivity, $6::date, $7::int, $8::text, "
    "$9::date, $10::uuid, $11::text, $12::text::jsonb, $13::text::jsonb, $14::int, $15::int)"
)
# A statement that has not answered by then (a half-open connection) fails instead of hanging.
COMMAND_TIMEOUT_SECONDS = 30.0


async def open_pool(engine: AsyncEngine, size: int) -> asyncpg.Pool:
    """asyncpg's own pool for `submit_alone`, to the engine's database with the engine's URL
    options: taking a connection from SQLAlchemy's cost more than a tenth of the request.
    Released connections are not reset (asyncpg's reset is a round trip: advisory locks, cursors,
    listeners, settings; an open transaction is still rolled back): they only ever run
    `log_hours` outside a transaction, whose lock ends with its own commit."""
    return await asyncpg.create_pool(
        min_size=1,
        max_size=size,
        reset=_nothing_to_reset,
        command_timeout=COMMAND_TIMEOUT_SECONDS,
        **driver_connect_args(engine),
    )


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None


async def submit_alone(
    pool: asyncpg.Pool, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    """Log the caller's entry in a statement of its own (committed when this returns)."""
    async with pool.acquire() as connection:
        return await _log(connection, entry_in, person, today)


async def submit_in(
    session: AsyncSession, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    """Log the caller's entry in the session's transaction, which must have begun (a statement
    run in it): SQLAlchemy sends BEGIN only with its own first statement, so `log_hours` sent
    first on the driver would commit on its own, whatever the transaction did after."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if driver is None or not driver.is_in_transaction():
        raise RuntimeError("submit_in needs a transaction that has run a statement")
    return await _log(driver, entry_in, person, today)


async def _log(
    db: Any, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    entry = _new_entry(entry_in, person)
    event = outbox_json(events.hours_submitted(entry))
    refusal, day_minutes = await db.fetchrow(
        LOG_HOURS,
        entry.id,
        entry.project_id,
        entry.site_id,
        person.sub,
        entry.activity,
        entry.worked_on,
        entry.minutes,
        entry.note,
        today,
        event.id,
        event.subject,
        event.event,
        event.headers,
        rules.DAY_CAP_LOCK,
        MINUTES_PER_DAY,
    )
    if refusal is not None:
        _raise(refusal, entry, today, day_minutes)
    return entry


def _raise(refusal: str, entry: HourEntryPublic, today: dt.date, day_minutes: int) -> None:
    if refusal == "unknown_project":
        raise rules.unknown_project(entry.project_id)
    if refusal == "unknown_site":
        raise rules.unknown_site(entry.site_id)
    if refusal == "future_date":
        rules.check_not_future(entry.worked_on, today)
    if refusal == "not_a_member":
        raise rules.not_a_member(entry.worked_on)
    if refusal == "day_over_24_hours":
        rules.raise_over_day(entry.person_id, entry.worked_on, day_minutes, entry.minutes)
    raise AssertionError(f"log_hours refused with {refusal!r}")  # a refusal this code lacks


def _new_entry(entry_in: HourEntryCreate, person: Principal) -> HourEntryPublic:
    # Built, not validated: every field is a validated input's or one of these constants.
    return HourEntryPublic.model_construct(
        id=uuid.uuid4(),
        person_id=person.sub,
        logged_by=person.sub,
        status=HourStatus.submitted,
        source=HourSource.web,
        corrects_entry_id=None,
        version=1,
        decided_by=None,
        reason="",
        **dict(entry_in),
    )
