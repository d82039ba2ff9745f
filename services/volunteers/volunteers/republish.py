"""What `python -m volunteers.worker republish` re-announces: every hour entry in its current
state (submitted, approved or rejected), at its current version. A withdrawn entry is left out:
its withdrawal announced nothing, and announcing it as submitted would bring it back."""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import Announcer, each
from volunteers.hours import events as hour_events
from volunteers.hours.models import HourEntry, HourStatus


async def announce_hour_entries(session: AsyncSession) -> AsyncIterator[EventPayload]:
    query = select(HourEntry).where(col(HourEntry.status) != HourStatus.withdrawn)
    async for entry in each(session, query.order_by(col(HourEntry.id))):
        yield hour_events.current_state(entry)


ANNOUNCERS: list[Announcer] = [announce_hour_entries]
