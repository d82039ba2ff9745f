"""Keeps the outbox and the inbox from growing for ever.

Published outbox rows are only history once JetStream holds the event. Inbox rows guard against
a second application of an event that is still in a stream (a redelivery, a re-created durable
consumer reading the stream from its start): they are kept at least as long as the streams keep
messages (`ServiceSettings.inbox_keep`, and never less than what the consumed streams really keep,
as read from JetStream at each round: while that cannot be read, no inbox row goes).
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import Table, delete, func
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("meent.events.retention")

OUTBOX_KEEP = dt.timedelta(days=7)
EVERY_SECONDS = 3600.0


async def prune(
    engine: AsyncEngine,
    *,
    outbox: Table | None,
    inbox: Table | None,
    inbox_keep: dt.timedelta | None,
    outbox_keep: dt.timedelta = OUTBOX_KEEP,
) -> tuple[int, int]:
    """Delete published outbox rows and inbox rows older than their retention; return counts.

    `inbox_keep` None keeps every inbox row (a consumed stream keeps its messages for ever).
    """
    removed = [0, 0]
    async with engine.begin() as conn:
        if outbox is not None:
            cutoff = func.now() - outbox_keep
            result = await conn.execute(
                delete(outbox).where(
                    outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff
                )
            )
            removed[0] = result.rowcount or 0
        if inbox is not None and inbox_keep is not None:
            cutoff = func.now() - inbox_keep
            result = await conn.execute(delete(inbox).where(inbox.c.received_at < cutoff))
            removed[1] = result.rowcount or 0
    return removed[0], removed[1]


async def prune_periodically(
    prune_once: Callable[[], Awaitable[tuple[int, int]]], stop: asyncio.Event
) -> None:
    """Run `prune_once` now and then every `EVERY_SECONDS` until told to stop."""
    while not stop.is_set():
        try:
            published, received = await prune_once()
            if published or received:
                log.info("pruned events", extra={"outbox": published, "inbox": received})
        except Exception as exc:  # database away: try at the next round
            log.warning("pruning failed", extra={"error": repr(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), EVERY_SECONDS)
