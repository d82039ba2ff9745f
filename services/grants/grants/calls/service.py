"""Funding calls: drafted by a grant officer, published (open), closed, then decided."""

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls import events
from grants.calls.models import CallStatus, FundingCall, FundingCallCreate
from grants.db import outbox
from grants.districts.service import require_known_district
from grants.panels.freeze import freeze_pool
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event


async def create_call(
    *, session: AsyncSession, call_in: FundingCallCreate, by: Principal
) -> FundingCall:
    await require_known_district(session, call_in.district_id)
    call = FundingCall(**call_in.model_dump(), created_by=by.sub)
    session.add(call)
    await session.flush()
    return call


async def get_call(
    *, session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None = None
) -> FundingCall:
    """A call; a draft only to grant officers (drafts are not public)."""
    call = await session.get(FundingCall, call_id)
    if call is None or (call.status is CallStatus.draft and not _officer(viewer)):
        raise NotFound(f"No funding call {call_id}")
    return call


async def lock_call(session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    """The call, its row locked until the transaction ends: whatever changes its totals or its
    status takes this lock first, so awards on one call run one after another. FOR NO KEY
    UPDATE: it never changes the call's id, so rows that refer to the call (a first ballot or
    review, whose foreign key takes KEY SHARE) need not wait for it."""
    call = await session.get(
        FundingCall, call_id, with_for_update={"key_share": True}, populate_existing=True
    )
    if call is None:
        raise NotFound(f"No funding call {call_id}")
    return call


async def share_call(session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    """The call, with its shared lock held until the transaction ends: a ballot or a review
    takes it, so closing or deciding the call (which takes it exclusively, `settle_call`) waits
    for them, and they for it — none lands after the call closed, while ballots and reviews never
    wait for each other. (An advisory lock: row share locks on one hot row cost a multixact each.)"""
    await session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": _key(call_id)})
    call = await session.get(FundingCall, call_id, populate_existing=True)
    if call is None or call.status is CallStatus.draft:
        raise NotFound(f"No funding call {call_id}")
    return call


async def settle_call(session: AsyncSession, call_id: uuid.UUID) -> None:
    """Waits for the ballots and reviews under way on the call (see `share_call`)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _key(call_id)})


def _key(call_id: uuid.UUID) -> int:
    """A call's advisory-lock key: 64 bits of its id (a clash only makes two calls wait)."""
    return int.from_bytes(call_id.bytes[:8], "big", signed=True)


def _officer(viewer: Principal | None) -> bool:
    return viewer is not None and viewer.has_role("grant_officer")


async def list_calls(
    *,
    session: AsyncSession,
    limit: int,
    offset: int,
    status: CallStatus | None = None,
    viewer: Principal | None = None,
) -> tuple[list[FundingCall], int]:
    """Calls, newest opening first (then the newest drafted, then by id, so pages neither
    repeat nor skip one); drafts only to grant officers."""
    filters = []
    if status is not None:
        filters.append(col(FundingCall.status) == status)
    if not _officer(viewer):
        filters.append(col(FundingCall.status) != CallStatus.draft)
    query = (
        select(FundingCall)
        .where(*filters)
        .order_by(
            col(FundingCall.opens_on).desc(),
            col(FundingCall.created_at).desc(),
            col(FundingCall.id),
        )
        .limit(limit)
        .offset(offset)
    )
    rows = await session.execute(query)
    count = await session.scalar(select(func.count()).select_from(FundingCall).where(*filters))
    return list(rows.scalars()), count or 0


async def update_draft(
    *, session: AsyncSession, call_id: uuid.UUID, call_in: FundingCallCreate
) -> FundingCall:
    """A draft, rewritten whole (a published call's terms no longer change)."""
    call = await lock_call(session, call_id)
    if call.status is not CallStatus.draft:
        raise Conflict(f"The call is {call.status.value}; only a draft changes", code="not_a_draft")
    await require_known_district(session, call_in.district_id)
    for name, value in call_in.model_dump().items():
        setattr(call, name, value)
    call.version += 1
    await session.flush()
    return call


async def publish_call(*, session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    call = await lock_call(session, call_id)
    if call.status is not CallStatus.draft:
        raise Conflict(f"The call is {call.status.value}, not a draft", code="not_a_draft")
    call.status = CallStatus.open
    call.version += 1
    await freeze_pool(session, call)
    await session.flush()
    await record_event(session, outbox, events.call_published(call))
    return call


async def close_call(*, session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    """No more applications, edits or ballots; the officer may now award. The ballots and
    reviews under way end first (`settle_call`), before the call's row is locked: one holding
    the row while it waits for them would deadlock with their inserts' foreign-key checks."""
    await settle_call(session, call_id)
    call = await lock_call(session, call_id)
    if call.status is not CallStatus.open:
        raise Conflict(f"The call is {call.status.value}, not open", code="not_open")
    call.status = CallStatus.closed
    call.closed_at = dt.datetime.now(dt.UTC)
    call.version += 1
    await session.flush()
    await record_event(session, outbox, events.call_closed(call))
    return call


async def decide_call(*, session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    """The awards are made: the call is decided, and its draw (seed and pool) is shown. (Locks
    in close_call's order.)"""
    await settle_call(session, call_id)
    call = await lock_call(session, call_id)
    if call.status is not CallStatus.closed:
        raise Conflict(f"The call is {call.status.value}, not closed", code="not_closed")
    waiting = await session.scalar(
        text("SELECT count(*) FROM application WHERE call_id = :c AND status = 'submitted'"),
        {"c": call_id},
    )
    if waiting:
        raise Conflict(
            f"{waiting} application(s) still wait for a decision: award or reject each first",
            code="undecided_applications",
            ctx={"waiting": waiting},
        )
    call.status = CallStatus.decided
    call.decided_at = dt.datetime.now(dt.UTC)
    call.version += 1
    await session.flush()
    return call


def accepts_applications(call: FundingCall, today: dt.date) -> bool:
    """Open, and today (in the city) within its dates."""
    return call.status is CallStatus.open and call.opens_on <= today <= call.closes_on
