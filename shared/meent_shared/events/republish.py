"""Republishing: a publishing service re-announces its current state, so a consumer that is new,
or whose projection was rebuilt, reaches the right state after old messages aged out of the stream.

Each service names its announcers (one per kind of entity: every project, every site ...); each
yields the event that the entity's current state corresponds to, at its current version. They go
through the outbox with new event ids, so the relay publishes them like any change, and consumers
that already hold that version change nothing (`projection.apply_if_newer`).

`python -m <service>.worker republish` runs it.
"""

import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.events.contracts import EventPayload
from meent_shared.events.outbox import record_events

# Yields one event per entity of a kind, reading through the session it is given.
Announcer = Callable[[AsyncSession], AsyncIterator[EventPayload]]
# Rows read per round trip, and outbox rows written per transaction.
BATCH = 500


@dataclass
class RepublishReport:
    events: dict[str, int] = field(default_factory=dict)  # event type -> count
    seconds: float = 0.0


async def each(session: AsyncSession, query: Select[Any]) -> AsyncIterator[Any]:
    """The query's entities, fetched `BATCH` at a time through a server-side cursor."""
    result = await session.stream_scalars(query.execution_options(yield_per=BATCH))
    async for entity in result:
        yield entity


async def republish(
    session_factory: async_sessionmaker[AsyncSession],
    outbox: Table,
    announcers: Sequence[Announcer],
    *,
    batch_size: int = BATCH,
) -> RepublishReport:
    """Write an outbox row for every entity the announcers yield, `batch_size` per transaction.

    The entities are read in one transaction (a consistent snapshot per announcer) while the
    outbox rows commit batch by batch, so a large republish holds no long write transaction.
    """
    started = time.monotonic()
    counts: Counter[str] = Counter()
    batch: list[EventPayload] = []
    async with session_factory() as reader, reader.begin():
        for announce in announcers:
            async for payload in announce(reader):
                batch.append(payload)
                counts[payload.contract.event_type] += 1
                if len(batch) >= batch_size:
                    await _write(session_factory, outbox, batch)
                    batch = []
    await _write(session_factory, outbox, batch)
    return RepublishReport(dict(sorted(counts.items())), round(time.monotonic() - started, 3))


async def _write(
    session_factory: async_sessionmaker[AsyncSession], outbox: Table, batch: list[EventPayload]
) -> None:
    if batch:
        async with session_factory() as writer, writer.begin():
            await record_events(writer, outbox, batch)
