"""A call's pool, frozen at its opening (see grants.panels.models): the entries standing then, a
new secret seed, and the commitments the call publishes."""

import uuid

from sqlalchemy import Uuid, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls.models import FundingCall
from grants.panels import draw
from grants.panels.models import CallPoolEntry, PoolEntry
from meent_shared.db import table_of


async def freeze_pool(session: AsyncSession, call: FundingCall) -> None:
    """At the opening: the standing pool becomes this call's, with a new secret seed; the call
    keeps both commitments (its `call.published` event carries them)."""
    frozen = table_of(CallPoolEntry)
    standing = select(literal(call.id, Uuid), col(PoolEntry.id)).where(
        col(PoolEntry.left_at).is_(None)
    )
    await session.execute(insert(frozen).from_select(["call_id", "pool_entry_id"], standing))
    ids = await frozen_pool(session, call.id)
    seed = draw.new_seed()
    call.draw_seed = seed
    call.seed_commitment = draw.seed_commitment(seed)
    call.pool_commitment = draw.pool_commitment(ids)
    call.pool_size = len(ids)


async def frozen_pool(session: AsyncSession, call_id: uuid.UUID) -> list[uuid.UUID]:
    query = select(col(CallPoolEntry.pool_entry_id)).where(col(CallPoolEntry.call_id) == call_id)
    return list((await session.scalars(query)).all())
