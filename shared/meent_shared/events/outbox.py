"""The transactional outbox: an event row is written in the same transaction as the change it
describes, and a relay publishes it afterwards with `Nats-Msg-Id` = event id.

A rolled-back change leaves no row, so it publishes nothing; a committed one is published however
long the broker is away. Several relay replicas share the rows with `FOR UPDATE SKIP LOCKED`, and
JetStream drops the duplicate of a row re-sent after a failure between publish and mark.
"""

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from nats.js.errors import NoStreamResponseError
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    Text,
    cast,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from meent_shared.events.contracts import EventPayload
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.streams import PROVISION_COMMAND, StreamMissing, stream_name
from meent_shared.logging import traceparent_var

log = logging.getLogger("meent.events.outbox")


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("subject", String, nullable=False),
        Column("event", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        # The relay only ever looks at unpublished rows, oldest first.
        Index("ix_outbox_unpublished", "created_at", postgresql_where=text("published_at IS NULL")),
    )


@dataclass(frozen=True)
class OutboxJson:
    """An event's outbox row with its event and headers as JSON text, for a caller that writes
    it with its own statement: a hot path that sends its change and its event in one round trip
    (pydantic writes the JSON itself, without a dict in between)."""

    id: uuid.UUID
    subject: str
    event: str
    headers: str


def event_headers() -> dict[str, str]:
    """The NATS headers an event written now carries: the request's trace context, if any."""
    return {"traceparent": tp} if (tp := traceparent_var.get()) else {}


def outbox_json(payload: EventPayload) -> OutboxJson:
    event = CloudEvent.wrap(payload)
    headers = json.dumps(event_headers())
    return OutboxJson(event.id, payload.contract.subject, event.model_dump_json(), headers)


def _outbox_row(event: CloudEvent, subject: str) -> dict[str, Any]:
    return {
        "id": event.id,
        "subject": subject,
        "event": event.model_dump(mode="json"),
        "headers": event_headers(),
    }


async def record_event(session: AsyncSession, outbox: Table, payload: EventPayload) -> CloudEvent:
    """Write the event into the outbox, inside the caller's transaction."""
    event = CloudEvent.wrap(payload)
    await session.execute(insert(outbox).values(**_outbox_row(event, payload.contract.subject)))
    return event


async def record_events(
    session: AsyncSession, outbox: Table, payloads: Sequence[EventPayload]
) -> None:
    """Write several events in one statement, inside the caller's transaction."""
    if payloads:
        rows = [_outbox_row(CloudEvent.wrap(p), p.contract.subject) for p in payloads]
        await session.execute(insert(outbox), rows)


class OutboxRelay:
    """Publishes unpublished outbox rows in batches until told to stop."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        outbox: Table,
        js: Callable[[], JetStreamContext],
        service: str,
        batch_size: int = 500,
        poll_seconds: float = 0.2,
    ):
        self.engine = engine
        self.outbox = outbox
        self.js = js
        self.service = service
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.published = 0  # rows this relay marked published, for logs and tests

    async def publish_batch(self) -> int:
        """Publish one batch of the oldest unpublished rows; return how many were published."""
        o = self.outbox
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    # The event as the JSON text PostgreSQL stores, published as it is: decoding
                    # it to encode it again was a tenth of a busy service's CPU.
                    select(o.c.id, o.c.subject, cast(o.c.event, Text).label("body"), o.c.headers)
                    .where(o.c.published_at.is_(None))
                    .order_by(o.c.created_at)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            js = self.js()
            await asyncio.gather(*(self._publish(js, row) for row in rows))
            ids = [row.id for row in rows]
            await conn.execute(update(o).where(o.c.id.in_(ids)).values(published_at=func.now()))
        self.published += len(rows)
        return len(rows)

    async def _publish(self, js: JetStreamContext, row) -> None:
        headers = {**row.headers, "Nats-Msg-Id": str(row.id)}
        try:
            await js.publish(row.subject, row.body.encode(), headers=headers, timeout=5)
        except NoStreamResponseError:
            # No stream (a new broker, a wiped store): the rows wait until operators provision
            # it; the service may not create streams itself.
            raise StreamMissing(
                f"{stream_name(self.service)} does not exist (run `{PROVISION_COMMAND}`)"
            ) from None

    async def run(self, stop: asyncio.Event) -> None:
        delay = self.poll_seconds
        while not stop.is_set():
            try:
                count = await self.publish_batch()
                delay = self.poll_seconds
            except Exception as exc:  # broker or database away: keep the rows, try again later
                log.warning("outbox relay failed, will retry", extra={"error": repr(exc)})
                count = 0
                delay = min(max(delay * 2, 0.5), 5.0)
            if count < self.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
