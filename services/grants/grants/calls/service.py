"""Funding calls: drafted by a grant officer, then published for citizens to apply to."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls import events
from grants.calls.models import CallStatus, FundingCall, FundingCallCreate
from grants.db import outbox
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event


async def create_call(
    *, session: AsyncSession, call_in: FundingCallCreate, by: Principal
) -> FundingCall:
    call = FundingCall.model_validate(call_in, update={"created_by": by.sub})
    session.add(call)
    await session.flush()
    return call


async def get_call(*, session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    call = await session.get(FundingCall, call_id)
    if call is None:
        raise NotFound(f"No funding call {call_id}")
    return call


async def list_calls(
    *, session: AsyncSession, limit: int, offset: int
) -> tuple[list[FundingCall], int]:
    query = (
        select(FundingCall).order_by(col(FundingCall.opens_on).desc()).limit(limit).offset(offset)
    )
    rows = await session.execute(query)
    count = await session.scalar(select(func.count()).select_from(FundingCall))
    return list(rows.scalars()), count or 0


async def publish_call(*, session: AsyncSession, call_id: uuid.UUID) -> FundingCall:
    call = await session.get(FundingCall, call_id, with_for_update=True)
    if call is None:
        raise NotFound(f"No funding call {call_id}")
    if call.status is not CallStatus.draft:
        raise Conflict(f"The call is {call.status.value}, not a draft", code="not_a_draft")
    call.status = CallStatus.open
    call.version += 1
    await session.flush()
    await record_event(session, outbox, events.call_published(call))
    return call
