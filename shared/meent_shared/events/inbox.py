"""The inbox consumer: a durable pull consumer per (consuming service, stream), shared by replicas.

Each handler's effect and the event id land in one transaction, and the message is acked only after
that commit: a redelivery (after a crash, a lost ack, a broker restart) finds the id in the inbox and
changes nothing. Handlers drop stale entity versions themselves (see `projection.apply_if_newer`).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError
from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.events.contracts import EventPayload, UnknownEventType, contract_for_type
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.nats_link import NatsLink
from meent_shared.events.streams import ensure_stream, stream_name

log = logging.getLogger("meent.events.inbox")

# Idle fetches (of one second each) between checks that the subscription still receives.
STALL_CHECK_EVERY = 10

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


@dataclass
class ConsumerStats:
    applied: int = 0  # events whose effect was committed by this process
    duplicates: int = 0  # redeliveries found in the inbox
    failed: int = 0  # handler errors (the message is redelivered)
    rejected: int = 0  # malformed messages, terminated


@dataclass
class StreamConsumer:
    """Consumes one producer's stream on behalf of one service."""

    link: NatsLink
    session_factory: async_sessionmaker[AsyncSession]
    inbox: Table
    consumer_service: str
    producer_service: str
    handlers: dict[str, Handler]  # event type -> handler
    subjects: list[str]
    batch_size: int = 100
    ack_wait_seconds: float = 30.0
    stream_replicas: int = 1
    # Called after each batch commits and before its acks; an observation point for tests/metrics.
    after_commit: Callable[[list[Msg]], Awaitable[None]] | None = None
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    @property
    def durable(self) -> str:
        return self.consumer_service

    async def run(self, stop: asyncio.Event) -> None:
        subscription = None
        idle_fetches = 0
        while not stop.is_set():
            try:
                await self.link.wait_connected(within=1)
            except TimeoutError:
                continue
            try:
                if subscription is None:
                    subscription = await self._subscribe()
                try:
                    messages = await subscription.fetch(self.batch_size, timeout=1)
                except (NatsTimeoutError, TimeoutError):
                    idle_fetches += 1
                    # A pull subscription can go quiet after a broker restart while messages
                    # wait: check now and then, and re-create it when that happened.
                    if idle_fetches % STALL_CHECK_EVERY == 0 and await self._stalled():
                        log.warning(
                            "consumer stalled, subscribing again",
                            extra={"durable": self.durable, "stream": self.stream},
                        )
                        await _unsubscribe(subscription)
                        subscription = None
                    continue
                idle_fetches = 0
                await self.process(messages)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker away, database away: wait and try again
                log.warning(
                    "consumer failed, will retry",
                    extra={"durable": self.durable, "stream": self.stream, "error": repr(exc)},
                )
                await _unsubscribe(subscription)
                subscription = None
                await asyncio.sleep(0.5)
        await _unsubscribe(subscription)

    async def _stalled(self) -> bool:
        info = await self.link.js.consumer_info(self.stream, self.durable)
        return (info.num_pending or 0) > 0

    @property
    def stream(self) -> str:
        return stream_name(self.producer_service)

    async def _subscribe(self):
        js = self.link.js
        await ensure_stream(js, self.producer_service, self.stream_replicas)
        config = ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            max_ack_pending=10_000,
            filter_subjects=self.subjects,
        )
        await js.add_consumer(self.stream, config)
        return await js.pull_subscribe_bind(durable=self.durable, stream=self.stream)

    async def process(self, messages: list[Msg]) -> None:
        """Apply a fetched batch in one transaction, each message in its own savepoint."""
        done: list[Msg] = []
        failed: list[Msg] = []
        async with self.session_factory() as session, session.begin():
            for msg in messages:
                outcome = await self._apply(session, msg)
                (failed if outcome == "failed" else done).append(msg)
        if self.after_commit is not None:
            await self.after_commit(messages)
        for msg in done:
            await msg.ack()
        for msg in failed:
            delivered = msg.metadata.num_delivered if msg.metadata else 1
            await msg.nak(delay=min(2.0**delivered, 60.0))

    async def _apply(self, session: AsyncSession, msg: Msg) -> str:
        try:
            event = CloudEvent.model_validate_json(msg.data)
            payload = event.payload()
        except (ValidationError, UnknownEventType, ValueError) as exc:
            # Redelivering a message no one can read would only repeat the failure.
            log.error("malformed event, dropped", extra={"subject": msg.subject, "error": str(exc)})
            self.stats.rejected += 1
            return "rejected"
        handler = self.handlers.get(event.type)
        if handler is None:
            return "ignored"
        try:
            async with session.begin_nested():
                first_time = await session.execute(
                    insert(self.inbox)
                    .values(event_id=event.id, type=event.type)
                    .on_conflict_do_nothing()
                    .returning(self.inbox.c.event_id)
                )
                if first_time.first() is None:
                    self.stats.duplicates += 1
                    return "duplicate"
                await handler(session, payload, event)
        except Exception:
            log.exception("event handler failed", extra={"type": event.type, "id": str(event.id)})
            self.stats.failed += 1
            return "failed"
        self.stats.applied += 1
        return "applied"


async def _unsubscribe(subscription) -> None:
    """Drop a subscription; the durable consumer stays on the server, so nothing is lost: what
    was delivered to it and not acked is delivered again after the ack wait."""
    if subscription is not None:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()


def group_by_producer(handlers: dict[type[EventPayload], Handler]) -> dict[str, dict[str, Handler]]:
    """{producer service: {event type: handler}}: one durable consumer per producer's stream."""
    grouped: dict[str, dict[str, Handler]] = {}
    for model, handler in handlers.items():
        grouped.setdefault(model.contract.service, {})[model.contract.event_type] = handler
    return grouped


def subjects_for(event_types: Iterable[str]) -> list[str]:
    return sorted(contract_for_type(t).subject for t in event_types)
