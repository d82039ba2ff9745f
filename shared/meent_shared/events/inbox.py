"""The inbox: the ids of the events a service has applied, written in the same transaction as
each event's effect, so a redelivery (after a crash, a lost ack, a broker restart, a replay of a
dead letter) finds its id there and changes nothing.

Rows are kept at least as long as the streams keep messages (see `retention`); projections are
keyed by the producer's ids and drop stale versions (see `projection.apply_if_newer`), so even an
event whose row is gone is harmless.
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.events.contracts import EventPayload, contract_for_type
from meent_shared.events.envelope import CloudEvent

# The payload is the contract the handler is registered for (typed in the handler itself).
Handler = Callable[[AsyncSession, Any, CloudEvent], Awaitable[None]]


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("type", String, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


async def apply_once(
    session: AsyncSession, inbox: Table, handler: Handler, event: CloudEvent
) -> bool:
    """Record the event id and run its handler in one savepoint of the caller's transaction.

    Returns False (and changes nothing) when the id is already in the inbox. A handler's error
    rolls back the savepoint, inbox row included, and propagates.
    """
    payload = event.payload()
    async with session.begin_nested():
        first_time = await session.execute(
            insert(inbox)
            .values(event_id=event.id, type=event.type)
            .on_conflict_do_nothing()
            .returning(inbox.c.event_id)
        )
        if first_time.first() is None:
            return False
        await handler(session, payload, event)
    return True


def group_by_producer(handlers: dict[type[EventPayload], Handler]) -> dict[str, dict[str, Handler]]:
    """{producer service: {event type: handler}}: one durable consumer per producer's stream."""
    grouped: dict[str, dict[str, Handler]] = {}
    for model, handler in handlers.items():
        grouped.setdefault(model.contract.service, {})[model.contract.event_type] = handler
    return grouped


def by_event_type(handlers: dict[type[EventPayload], Handler]) -> dict[str, Handler]:
    return {model.contract.event_type: handler for model, handler in handlers.items()}


def subjects_for(event_types: Iterable[str]) -> list[str]:
    return sorted(contract_for_type(t).subject for t in event_types)
