"""Keeps the outbox and the inbox from growing for ever.

Published outbox rows are only history once JetStream holds the event; inbox rows guard against
redelivery, which JetStream attempts within minutes (ack wait, back-off), so a month is generous.
"""

import asyncio
import contextlib
import datetime as dt
import logging

from sqlalchemy import Table, delete, func
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("meent.events.retention")

OUTBOX_DAYS = 7
INBOX_DAYS = 30
EVERY_SECONDS = 3600.0


async def prune(
    engine: AsyncEngine,
    *,
    outbox: Table | None,
    inbox: Table | None,
    outbox_days: int = OUTBOX_DAYS,
    inbox_days: int = INBOX_DAYS,
) -> tuple[int, int]:
    """Delete published outbox rows and inbox rows older than their retention; return counts."""
    removed = [0, 0]
    async with engine.begin() as conn:
        if outbox is not None:
            cutoff = func.now() - dt.timedelta(days=outbox_days)
            result = await conn.execute(
                delete(outbox).where(
                    outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff
                )
            )
            removed[0] = result.rowcount or 0
        if inbox is not None:
            cutoff = func.now() - dt.timedelta(days=inbox_days)
            result = await conn.execute(delete(inbox).where(inbox.c.received_at < cutoff))
            removed[1] = result.rowcount or 0
    return removed[0], removed[1]


async def prune_periodically(
    engine: AsyncEngine, stop: asyncio.Event, *, outbox: Table | None, inbox: Table | None
) -> None:
    while not stop.is_set():
        try:
            published, received = await prune(engine, outbox=outbox, inbox=inbox)
            if published or received:
                log.info("pruned events", extra={"outbox": published, "inbox": received})
        except Exception as exc:  # database away: try at the next round
            log.warning("pruning failed", extra={"error": repr(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), EVERY_SECONDS)
