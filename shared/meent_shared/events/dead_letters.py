"""Dead letters: an event whose handler failed on every delivery JetStream makes, parked with the
error so the stream moves on. Each service keeps its own, in its own database, like the inbox.

An operator fixes the cause (a bug, a missing row) and replays the parked events through the
same inbox path as a delivery (`python -m <service>.worker replay-dead-letters`): an event that
was applied meanwhile, or is replayed twice, is found in the inbox and changes nothing.
"""

import logging
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.events.envelope import CloudEvent
from meent_shared.events.inbox import Handler, apply_once

log = logging.getLogger("meent.events.dead_letters")

# Enough of a traceback to find the failing line; the event itself is stored whole.
ERROR_CHARS = 4000


def dead_letter_table(metadata: MetaData) -> Table:
    return Table(
        "dead_letter",
        metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("stream", String, nullable=False),
        Column("subject", String, nullable=False),
        Column("type", String, nullable=False),
        Column("event", JSONB, nullable=False),
        Column("error", Text, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("replayed_at", DateTime(timezone=True)),
        # Operators and /metrics look at the ones still waiting for a replay.
        Index("ix_dead_letter_waiting", "parked_at", postgresql_where=text("replayed_at IS NULL")),
    )


def describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))[-ERROR_CHARS:]


async def park(
    session: AsyncSession,
    table: Table,
    *,
    event: CloudEvent,
    stream: str,
    subject: str,
    error: str,
    deliveries: int,
) -> None:
    """Record the event as dead, inside the caller's transaction (once per event id)."""
    values: dict[str, Any] = {
        "event_id": event.id,
        "stream": stream,
        "subject": subject,
        "type": event.type,
        "event": event.model_dump(mode="json"),
        "error": error,
        "deliveries": deliveries,
    }
    statement = insert(table).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["event_id"],
            set_={"error": error, "deliveries": deliveries, "replayed_at": None},
        )
    )


async def count_waiting(session: AsyncSession, table: Table) -> int:
    query = select(func.count()).select_from(table).where(table.c.replayed_at.is_(None))
    return int(await session.scalar(query) or 0)


@dataclass
class ReplayReport:
    replayed: list[str] = field(default_factory=list)  # applied now
    duplicates: list[str] = field(default_factory=list)  # already in the inbox: no effect
    failed: dict[str, str] = field(default_factory=dict)  # still failing: stays parked
    not_waiting: list[str] = field(default_factory=list)  # unknown id, or replayed before


async def replay(
    session_factory: async_sessionmaker[AsyncSession],
    *,
    dead_letters: Table,
    inbox: Table,
    handlers: dict[str, Handler],
    ids: Sequence[uuid.UUID] = (),
    limit: int = 1000,
) -> ReplayReport:
    """Apply parked events (the given ids, or the oldest `limit` waiting), each in its own
    transaction, through the inbox; a success marks the row replayed, a failure keeps it."""
    report = ReplayReport()
    async with session_factory() as session:
        query = select(dead_letters.c.event_id).where(dead_letters.c.replayed_at.is_(None))
        if ids:
            query = query.where(dead_letters.c.event_id.in_(ids))
        waiting = list(await session.scalars(query.order_by("parked_at").limit(limit)))
    report.not_waiting = [str(i) for i in ids if i not in set(waiting)]
    for event_id in waiting:
        async with session_factory() as session, session.begin():
            await _replay_one(session, dead_letters, inbox, handlers, event_id, report)
    return report


async def _replay_one(
    session: AsyncSession,
    dead_letters: Table,
    inbox: Table,
    handlers: dict[str, Handler],
    event_id: uuid.UUID,
    report: ReplayReport,
) -> None:
    row = (
        await session.execute(
            select(dead_letters.c.event)
            .where(dead_letters.c.event_id == event_id, dead_letters.c.replayed_at.is_(None))
            .with_for_update(skip_locked=True)  # another replay has it: leave it to that one
        )
    ).first()
    if row is None:
        report.not_waiting.append(str(event_id))
        return
    event = CloudEvent.model_validate(row.event)
    try:
        handler = handlers[event.type]
        applied = await apply_once(session, inbox, handler, event)
    except Exception as exc:
        log.warning("replay failed", extra={"id": str(event_id), "error": repr(exc)})
        report.failed[str(event_id)] = f"{type(exc).__name__}: {exc}"
        done = dead_letters.c.event_id == event_id
        await session.execute(update(dead_letters).where(done).values(error=describe(exc)))
        return
    (report.replayed if applied else report.duplicates).append(str(event_id))
    await session.execute(
        update(dead_letters)
        .where(dead_letters.c.event_id == event_id)
        .values(replayed_at=func.now())
    )
