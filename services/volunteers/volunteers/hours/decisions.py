"""Approving and rejecting submitted entries, one or several at once; an approval adds the entry's
minutes to the project's rollup in the same transaction."""

import uuid
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Conflict, MeentError, NotFound
from meent_shared.events.outbox import record_event
from volunteers.db import outbox
from volunteers.hours import events, rules
from volunteers.hours.models import (
    HourDecisionError,
    HourDecisionResult,
    HourEntry,
    HourEntryPublic,
    HourProjectMonth,
    HourRollup,
    HourStatus,
)


async def decide_hours(
    *, session: AsyncSession, entry_id: uuid.UUID, by: Principal, approve: bool, reason: str = ""
) -> HourEntry:
    """Approve or reject a submitted entry: by an approver of its project, never its own."""
    entry = await session.get(HourEntry, entry_id, with_for_update=True)
    if entry is None:
        raise NotFound(f"No hour entry {entry_id}")
    await rules.may_decide(session, entry, by)
    if entry.status is not HourStatus.submitted:
        raise Conflict(f"This entry is already {entry.status.value}", code="already_decided")
    entry.status = HourStatus.approved if approve else HourStatus.rejected
    entry.decided_by = by.sub
    entry.decided_at = func.now()  # type: ignore[assignment]
    entry.reason = reason
    entry.version += 1
    entry.updated_at = func.now()  # type: ignore[assignment]
    await session.flush()
    await session.refresh(entry)
    if approve:
        await add_to_rollup(session, entry)
    event = events.hours_approved(entry) if approve else events.hours_rejected(entry)
    await record_event(session, outbox, event)
    return entry


async def add_to_rollup(session: AsyncSession, entry: HourEntry) -> None:
    """The approved entry's (signed) minutes into its project's month and activity, both per
    person (`hour_rollup`) and for the whole project (`hour_project_month`)."""
    month = entry.worked_on.replace(day=1)
    await _upsert_add(
        session,
        table_of(HourProjectMonth),
        project_id=entry.project_id,
        month=month,
        activity=entry.activity,
        minutes=entry.minutes,
    )
    await _upsert_add(
        session,
        table_of(HourRollup),
        project_id=entry.project_id,
        month=month,
        activity=entry.activity,
        person_id=entry.person_id,
        minutes=entry.minutes,
    )


async def _upsert_add(session: AsyncSession, table: Table, *, minutes: int, **key: Any) -> None:
    row = insert(table).values(**key, minutes=minutes, entries=1)
    await session.execute(
        row.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={
                "minutes": table.c.minutes + row.excluded.minutes,
                "entries": table.c.entries + 1,
            },
        )
    )


async def decide_many(
    *,
    session: AsyncSession,
    entry_ids: list[uuid.UUID],
    by: Principal,
    approve: bool,
    reason: str = "",
) -> list[HourDecisionResult]:
    """One result per asked id, in order; each decided in its own savepoint, so one refusal
    leaves the others decided."""
    results: dict[uuid.UUID, HourDecisionResult] = {}
    # Locked in id order: two batches over the same entries cannot deadlock.
    for entry_id in sorted(set(entry_ids)):
        results[entry_id] = await _decide_one(session, entry_id, by, approve, reason)
    return [results[entry_id] for entry_id in entry_ids]


async def _decide_one(
    session: AsyncSession, entry_id: uuid.UUID, by: Principal, approve: bool, reason: str
) -> HourDecisionResult:
    try:
        async with session.begin_nested():
            entry = await decide_hours(
                session=session, entry_id=entry_id, by=by, approve=approve, reason=reason
            )
    except MeentError as refused:
        error = HourDecisionError(type=refused.code, msg=refused.msg)
        return HourDecisionResult(entry_id=entry_id, error=error)
    return HourDecisionResult(entry_id=entry_id, entry=HourEntryPublic.model_validate(entry))
