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

from nats.aio.client import NO_RESPONDERS_STATUS, Client
from nats.aio.msg import Msg
from nats.js.api import Header
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from meent_shared.events.contracts import EventPayload
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.streams import PROVISION_COMMAND, StreamMissing, stream_name
from meent_shared.logging import traceparent_var

log = logging.getLogger("meent.events.outbox")


class PublishRefused(Exception):
    """JetStream answered a publish with an error: the batch stays unpublished, to be retried."""


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


def _refusal(data: bytes) -> list[str]:
    """Why JetStream did not store a publish, from its answer; [] for a stored one (an ack names
    the stream and the sequence)."""
    try:
        answer = json.loads(data)
    except ValueError:
        return [f"not a JetStream ack: {data[:80]!r}"]
    if not isinstance(answer, dict):
        return [f"not a JetStream ack: {data[:80]!r}"]
    if "error" in answer:
        error = answer["error"]
        return [str(error.get("description", error) if isinstance(error, dict) else error)]
    if "stream" not in answer or "seq" not in answer:
        return [f"not a JetStream ack: {data[:80]!r}"]
    return []


class OutboxRelay:
    """Publishes unpublished outbox rows in batches until told to stop."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        outbox: Table,
        nats: Callable[[], Client],
        service: str,
        batch_size: int = 500,
        poll_seconds: float = 0.2,
        ack_seconds: float = 5.0,
    ):
        self.engine = engine
        self.outbox = outbox
        self.nats = nats
        self.service = service
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.ack_seconds = ack_seconds
        self.published = 0  # rows this relay marked published, for logs and tests
        table = outbox.name
        # On the driver, not SQLAlchemy's Core: building rows and expanding `IN (…)` into 500
        # parameters cost more CPU per event than publishing it. The event as the JSON text
        # PostgreSQL stores, published as it is.
        self._select = (
            f"SELECT id, subject, event::text AS body, headers::text AS headers FROM {table} "
            "WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED"
        )
        self._mark = f"UPDATE {table} SET published_at = now() WHERE id = ANY($1::uuid[])"

    async def publish_batch(self) -> int:
        """Publish one batch of the oldest unpublished rows; return how many were published."""
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            if driver is None:  # a connection SQLAlchemy has invalidated
                raise ConnectionError("the outbox relay's database connection is gone")
            # The driver's own transaction: SQLAlchemy's would begin only with a statement of
            # its own, and the rows' locks (SKIP LOCKED keeps replicas apart) must hold until
            # they are marked.
            try:
                # READ COMMITTED as the engine pins it (the server's default may differ).
                async with driver.transaction(isolation="read_committed"):
                    rows = await driver.fetch(self._select, self.batch_size)
                    if not rows:
                        return 0
                    await self._publish(self.nats(), rows)
                    await driver.execute(self._mark, [row["id"] for row in rows])
            except BaseException:
                # SQLAlchemy did not see this transaction: a connection that failed or was
                # cancelled inside it must not go back to the pool (dead, or still in it).
                await conn.invalidate()
                raise
        self.published += len(rows)
        return len(rows)

    async def _publish(self, nc: Client, rows: Sequence[Any]) -> None:
        """Publish every row to JetStream and wait for all their acks (or raise).

        JetStream acks a publish on its reply subject: every row is sent at once with a reply
        subject of one inbox of this batch, and one subscription counts the acks. (`js.publish`
        awaits each as a request of its own — a task, a future and a timer per event — which was
        six times the CPU.)"""
        inbox = nc.new_inbox()
        all_acked = asyncio.get_running_loop().create_future()
        waiting = {str(number) for number in range(len(rows))}  # the rows not answered yet
        refusals: list[str] = []

        async def acked(msg: Msg) -> None:
            number = msg.subject.rsplit(".", 1)[-1]
            if number not in waiting:
                return  # not one of this batch's, or its answer came already
            if msg.headers and msg.headers.get(Header.STATUS) == NO_RESPONDERS_STATUS:
                refusals.append("no stream")
            else:
                refusals.extend(_refusal(msg.data))
            waiting.discard(number)
            if not waiting and not all_acked.done():
                all_acked.set_result(None)

        acks = await nc.subscribe(f"{inbox}.*", cb=acked)
        try:
            for number, row in enumerate(rows):
                headers = json.loads(row["headers"])
                headers["Nats-Msg-Id"] = str(row["id"])
                await nc.publish(
                    row["subject"], row["body"].encode(), reply=f"{inbox}.{number}", headers=headers
                )
            await asyncio.wait_for(all_acked, self.ack_seconds)
        finally:
            await acks.unsubscribe()
        if "no stream" in refusals:
            # No stream (a new broker, a wiped store): the rows wait until operators provision
            # it; the service may not create streams itself.
            raise StreamMissing(
                f"{stream_name(self.service)} does not exist (run `{PROVISION_COMMAND}`)"
            )
        if refusals:
            raise PublishRefused(f"JetStream refused {len(refusals)} events: {refusals[0]}")

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
