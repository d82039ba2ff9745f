"""Approving and rejecting submitted entries, one or several at once; an approval adds the entry's
minutes to the project's rollup in the same transaction."""

import uuid
from collections import Counter
from collections.abc import Sequence

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
    *,
    session: AsyncSession,
    entry_id: uuid.UUID,
    by: Principal,
    approve: bool,
    reason: str = "",
    roll_up: bool = True,
) -> HourEntry:
    """Approve or reject a submitted entry: by an approver of its project, never its own.
    `roll_up=False` leaves the rollups to the caller (a batch adds all its entries at once)."""
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
    if approve and roll_up:
        await add_to_rollup(session, [entry])
    event = events.hours_approved(entry) if approve else events.hours_rejected(entry)
    await record_event(session, outbox, event)
    return entry


async def add_to_rollup(session: AsyncSession, entries: Sequence[HourEntry]) -> None:
    """The approved entries' (signed) minutes into their projects' months and activities, for the
    whole project (`hour_project_month`) and per person (`hour_rollup`).

    Rows are upserted in key order, the project's first: concurrent batches of one project share
    its month rows, and taking their locks in one order keeps them from deadlocking."""
    by_project: Counter[tuple] = Counter()
    by_person: Counter[tuple] = Counter()
    counts: Counter[tuple] = Counter()
    for entry in entries:
        key = (entry.project_id, entry.worked_on.replace(day=1), entry.activity.value)
        by_project[key] += entry.minutes
        by_person[(*key, entry.person_id)] += entry.minutes
        counts[key] += 1
        counts[(*key, entry.person_id)] += 1
    await _upsert_add(session, table_of(HourProjectMonth), by_project, counts)
    await _upsert_add(session, table_of(HourRollup), by_person, counts)


async def _upsert_add(
    session: AsyncSession, table: Table, minutes: Counter[tuple], counts: Counter[tuple]
) -> None:
    names = [c.name for c in table.primary_key.columns]
    rows = [
        {**dict(zip(names, key, strict=True)), "minutes": minutes[key], "entries": counts[key]}
        for key in sorted(minutes)
    ]
    row = insert(table).values(rows)
    await session.execute(
        row.on_conflict_do_update(
            index_elements=names,
            set_={
                "minutes": table.c.minutes + row.excluded.minutes,
                "entries": table.c.entries + row.excluded.entries,
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
    approved: list[HourEntry] = []
    # Locked in id order: two batches over the same entries cannot deadlock; the rollups are
    # added once every entry is locked, in their own key order (`add_to_rollup`).
    for entry_id in sorted(set(entry_ids)):
        result, entry = await _decide_one(session, entry_id, by, approve, reason)
        results[entry_id] = result
        if entry is not None and approve:
            approved.append(entry)
    if approved:
        await add_to_rollup(session, approved)
    return [results[entry_id] for entry_id in entry_ids]


async def _decide_one(
    session: AsyncSession, entry_id: uuid.UUID, by: Principal, approve: bool, reason: str
) -> tuple[HourDecisionResult, HourEntry | None]:
    try:
        async with session.begin_nested():
            entry = await decide_hours(
                session=session,
                entry_id=entry_id,
                by=by,
                approve=approve,
                reason=reason,
                roll_up=False,
            )
    except MeentError as refused:
        error = HourDecisionError(type=refused.code, msg=refused.msg)
        return HourDecisionResult(entry_id=entry_id, error=error), None
    public = HourEntryPublic.model_validate(entry)
    return HourDecisionResult(entry_id=entry_id, entry=public), entry
