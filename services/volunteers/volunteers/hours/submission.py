"""A volunteer's `POST /hours`: the hot path of the service, so two statements on asyncpg itself.

The (person, day) advisory lock and every fact the rules need (project and site known, a member
that day) in one statement; then the entry and its outbox row in one INSERT that inserts nothing
when the day would pass 24 h. The INSERT is a later statement than the lock, so its snapshot
holds every entry committed by whoever held the lock before: two 13-hour entries sent at once are
counted one after the other, as `rules.check_day_cap` counts them on the other paths. The rules,
their order and their refusals are those of `service` (edits, corrections) and the CSV import.
"""

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.events.outbox import outbox_row
from volunteers.hours import events, rules
from volunteers.hours.models import (
    MINUTES_PER_DAY,
    HourEntryCreate,
    HourEntryPublic,
    HourSource,
    HourStatus,
)

# Through the session, not asyncpg: its first statement begins the session's transaction, which
# the lock lasts for (a statement sent on the bare driver before it would run on its own).
LOCK_AND_FACTS = text("""
SELECT pg_advisory_xact_lock(:space, hashtext(CAST(:person AS text) || '|' || :day)) IS NULL,
       EXISTS (SELECT 1 FROM known_project WHERE project_id = :project) AS project_known,
       (CAST(:site AS uuid) IS NULL
        OR EXISTS (SELECT 1 FROM known_site WHERE site_id = CAST(:site AS uuid))) AS site_known,
       EXISTS (
           SELECT 1 FROM project_member
           WHERE project_id = :project AND person_id = :person
             AND joined_on <= :worked_on AND coalesce(left_on, :worked_on) >= :worked_on
       ) AS member_that_day
""")

# What counts towards the person's day (as rules.counts_towards_the_day: approved minutes, and
# submitted ones only when they add), for the refusal.
DAY_MINUTES = """
SELECT coalesce(sum(minutes), 0) FROM hour_entry
WHERE person_id = $1::text AND worked_on = $2::date
  AND (status = 'approved' OR (status = 'submitted' AND minutes > 0))
"""

INSERT_WITHIN_DAY = f"""
WITH new_entry AS (
    INSERT INTO hour_entry (id, project_id, site_id, person_id, logged_by, activity, worked_on,
                            minutes, note, status, source, version, reason)
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $4::text, $5::houractivity, $6::date, $7::int,
           $8::text, 'submitted', 'web', 1, ''
    WHERE (
        SELECT coalesce(sum(minutes), 0) FROM hour_entry
        WHERE person_id = $4::text AND worked_on = $6::date
          AND (status = 'approved' OR (status = 'submitted' AND minutes > 0))
    ) + $7::int <= {MINUTES_PER_DAY}
    RETURNING id
), new_event AS (
    INSERT INTO outbox (id, subject, event, headers)
    SELECT $9::uuid, $10::text, CAST($11::text AS jsonb), CAST($12::text AS jsonb) FROM new_entry
)
SELECT count(*) FROM new_entry
"""


async def submit(
    session: AsyncSession, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    """Log the caller's entry (status submitted) in the session's transaction, or refuse it."""
    day, site_id = entry_in.worked_on, entry_in.site_id
    params = {
        "space": rules.DAY_CAP_LOCK,
        "person": person.sub,
        "day": day.isoformat(),
        "project": entry_in.project_id,
        "site": site_id,
        "worked_on": day,
    }
    facts = (await session.execute(LOCK_AND_FACTS, params)).mappings().one()
    db = await _asyncpg_connection(session)  # in the transaction the lock began
    _check_facts(facts, entry_in, today)
    entry = _new_entry(entry_in, person)
    event = outbox_row(events.hours_submitted(entry))
    inserted = await db.fetchval(
        INSERT_WITHIN_DAY,
        entry.id,
        entry.project_id,
        site_id,
        person.sub,
        entry.activity,
        day,
        entry.minutes,
        entry.note,
        event["id"],
        event["subject"],
        json.dumps(event["event"]),
        json.dumps(event["headers"]),
    )
    if not inserted:
        logged = int(await db.fetchval(DAY_MINUTES, person.sub, day))
        rules.raise_over_day(person.sub, day, logged, entry.minutes)
    return entry


async def _asyncpg_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session's transaction (begun on first use)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


def _check_facts(facts: Any, entry_in: HourEntryCreate, today: dt.date) -> None:
    if not facts["project_known"]:
        raise rules.unknown_project(entry_in.project_id)
    if not facts["site_known"]:
        raise rules.unknown_site(entry_in.site_id)
    rules.check_not_future(entry_in.worked_on, today)
    if not facts["member_that_day"]:
        raise rules.not_a_member(entry_in.worked_on)


def _new_entry(entry_in: HourEntryCreate, person: Principal) -> HourEntryPublic:
    return HourEntryPublic(
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
