"""What `python -m grants.worker republish` re-announces: every published call (open or closed),
at its current version. Drafts were never announced."""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls import events as call_events
from grants.calls.models import CallStatus, FundingCall
from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import Announcer, each


async def announce_calls(session: AsyncSession) -> AsyncIterator[EventPayload]:
    published = col(FundingCall.status) != CallStatus.draft
    query = select(FundingCall).where(published).order_by(col(FundingCall.id))
    async for call in each(session, query):
        yield call_events.call_published(call)


ANNOUNCERS: list[Announcer] = [announce_calls]
