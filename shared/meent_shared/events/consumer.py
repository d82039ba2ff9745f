"""The stream consumer: a durable pull consumer per (consuming service, stream), shared by replicas.

Before consuming, it reads the stream's config: a stream that is not as provisioned (wider
subjects, RePublish, sources, a mirror) could hold what another service put in, so it is refused
(logged, and /readyz is not ready) until an operator sets it right.

A fetched batch is applied in one transaction, each message in its own savepoint with its inbox
row (`inbox.apply_once`), and acked only after the commit. A message the consumer's checks reject
(`admission`: malformed, of an unknown type, forged) is parked as a dead letter with its reason,
in the same transaction, and terminated. A handler that fails is retried with a growing delay
(nak); on the last delivery JetStream makes (`max_deliver`) the event is parked instead, and the
message is terminated. A message that no delivery answered at all (the process died each time)
is parked from JetStream's advisory (`given_up`).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.events import dead_letters
from meent_shared.events.admission import FORGED, MALFORMED, Rejection, admit
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.given_up import GivenUp
from meent_shared.events.inbox import Handler, apply_once
from meent_shared.events.nats_link import NatsLink
from meent_shared.events.streams import (
    StreamMissing,
    StreamRefused,
    stream_name,
    trusted_stream,
)

log = logging.getLogger("meent.events.consumer")

# Idle fetches (of one second each) between checks that the subscription still receives.
STALL_CHECK_EVERY = 10
# What becomes of a message once its batch is committed.
ACK, TERM, NAK = "ack", "term", "nak"


@dataclass
class ConsumerStats:
    applied: int = 0  # events whose effect was committed by this process
    duplicates: int = 0  # redeliveries found in the inbox
    failed: int = 0  # handler errors that will be retried (the message is nak'ed)
    dead_lettered: int = 0  # handler errors on the last delivery: parked, terminated
    # Rejected by the checks (see admission), parked with the reason and terminated:
    rejected: int = 0  # malformed: no CloudEvent, or a payload its contract refuses
    unknown_type: int = 0  # a type this consumer does not know (yet)
    forged: int = 0  # not what it says: type, source, subject or stream disagree, or copied in


@dataclass
class RetryPolicy:
    """How often a failing event is delivered, and how long each retry waits (doubling)."""

    max_deliver: int = 5
    first_delay_seconds: float = 2.0
    max_delay_seconds: float = 60.0

    def delay(self, delivered: int) -> float:
        return min(self.first_delay_seconds * 2.0 ** max(delivered - 1, 0), self.max_delay_seconds)


@dataclass
class StreamConsumer:
    """Consumes one producer's stream on behalf of one service."""

    link: NatsLink
    session_factory: async_sessionmaker[AsyncSession]
    inbox: Table
    dead_letters: Table
    consumer_service: str
    producer_service: str
    handlers: dict[str, Handler]  # event type -> handler
    subjects: list[str]
    batch_size: int = 100
    ack_wait_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Called after each batch commits and before its acks; an observation point for tests/metrics.
    after_commit: Callable[[list[Msg]], Awaitable[None]] | None = None
    stats: ConsumerStats = field(default_factory=ConsumerStats)
    # The stream's max age in seconds as JetStream reports it (0: unlimited); None until subscribed.
    stream_max_age: float | None = None
    # Why the consumer is not consuming ("" while it is): "waiting: <the stream is missing>" or
    # "refused: <what is wrong with it>".
    waiting_for: str = "not started"
    _given_up: GivenUp | None = field(default=None, repr=False)

    @property
    def durable(self) -> str:
        return self.consumer_service

    @property
    def stream(self) -> str:
        return stream_name(self.producer_service)

    async def run(self, stop: asyncio.Event) -> None:
        self._given_up = GivenUp(self)
        parking = asyncio.create_task(self._given_up.run(stop), name="park-given-up")
        try:
            await self._consume(stop)
        finally:
            await self._given_up.close()
            parking.cancel()
            await asyncio.gather(parking, return_exceptions=True)

    async def _consume(self, stop: asyncio.Event) -> None:
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
                    # wait: check now and then (and that the stream is still as provisioned),
                    # and re-create it when that happened.
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
            except (StreamMissing, StreamRefused) as exc:
                await _unsubscribe(subscription)
                subscription = None
                await self._wait_for_stream(exc, stop)
            except Exception as exc:  # broker away, database away: wait and try again
                log.warning(
                    "consumer failed, will retry",
                    extra={"durable": self.durable, "stream": self.stream, "error": repr(exc)},
                )
                await _unsubscribe(subscription)
                subscription = None
                await self._wait_for_database(stop)
        await _unsubscribe(subscription)

    async def _wait_for_stream(self, exc: Exception, stop: asyncio.Event) -> None:
        """Consume nothing until the stream is provisioned, or set right (said once)."""
        refused = isinstance(exc, StreamRefused)
        state = f"{'refused' if refused else 'waiting'}: {exc}"
        if self.waiting_for != state:
            (log.error if refused else log.info)(
                "stream refused, not consuming" if refused else "waiting for the stream",
                extra={"stream": self.stream, "problem": str(exc)},
            )
        self.waiting_for = state
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)

    async def _wait_for_database(self, stop: asyncio.Event) -> None:
        """Pull nothing while the database is away: each message pulled then would use up one
        of its deliveries without a chance to apply, and a long outage would park them all."""
        delay = 0.5
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            try:
                async with asyncio.timeout(2), self.session_factory() as session:
                    await session.execute(text("SELECT 1"))
                return
            except Exception:  # still away
                delay = min(delay * 2, 5.0)

    async def _stalled(self) -> bool:
        await trusted_stream(self.link.js, self.producer_service)  # refused: stop consuming
        info = await self.link.js.consumer_info(self.stream, self.durable)
        return (info.num_pending or 0) > 0

    def consumer_config(self) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_seconds,
            max_deliver=self.retry.max_deliver,
            max_ack_pending=10_000,
            filter_subjects=self.subjects,
        )

    async def _subscribe(self):
        js = self.link.js
        stream = await trusted_stream(js, self.producer_service)
        self.stream_max_age = stream.config.max_age or 0.0
        # Creates the durable consumer, or updates it when its settings changed.
        await js.add_consumer(self.stream, self.consumer_config())
        if self._given_up is not None:
            await self._given_up.watch()
        subscription = await js.pull_subscribe_bind(durable=self.durable, stream=self.stream)
        if self.waiting_for:
            log.info("consuming", extra={"durable": self.durable, "stream": self.stream})
        self.waiting_for = ""
        return subscription

    async def process(self, messages: list[Msg]) -> None:
        """Apply a fetched batch in one transaction, each message in its own savepoint."""
        settled: list[tuple[Msg, str]] = []
        async with self.session_factory() as session, session.begin():
            for msg in messages:
                settled.append((msg, await self._apply(session, msg)))
        if self.after_commit is not None:
            await self.after_commit(messages)
        for msg, outcome in settled:
            if outcome == ACK:
                await msg.ack()
            elif outcome == TERM:
                await msg.term()
            else:
                await msg.nak(delay=self.retry.delay(_deliveries(msg)))

    async def _apply(self, session: AsyncSession, msg: Msg) -> str:
        event = admit(msg.subject, msg.data, msg.headers, self.producer_service)
        if isinstance(event, Rejection):
            await self.reject(session, msg, event)
            return TERM
        handler = self.handlers.get(event.type)
        if handler is None:
            return ACK
        try:
            applied = await apply_once(session, self.inbox, handler, event)
        except Exception as exc:
            return await self._failed(session, msg, event, exc)
        if applied:
            self.stats.applied += 1
        else:
            self.stats.duplicates += 1
        return ACK

    async def reject(self, session: AsyncSession, msg: Msg, rejection: Rejection) -> None:
        """Park a message the checks rejected, as it came: redelivering it would only repeat the
        refusal, and dropping it would lose it (a type this version does not know yet)."""
        sequence = msg.metadata.sequence.stream if msg.metadata and msg.metadata.sequence else 0
        dead_letter_id = await dead_letters.park_rejected(
            session,
            self.dead_letters,
            rejection=rejection,
            stream=self.stream,
            sequence=sequence,
            subject=msg.subject,
            body=msg.data,
            headers=msg.headers,
            deliveries=_deliveries(msg),
        )
        self.count_rejection(rejection)
        log.error(
            f"{rejection.reason} event parked",
            extra={"subject": msg.subject, "error": rejection.error, "id": str(dead_letter_id)},
        )

    def count_rejection(self, rejection: Rejection) -> None:
        if rejection.reason == MALFORMED:
            self.stats.rejected += 1
        elif rejection.reason == FORGED:
            self.stats.forged += 1
        else:
            self.stats.unknown_type += 1

    async def _failed(
        self, session: AsyncSession, msg: Msg, event: CloudEvent, exc: Exception
    ) -> str:
        deliveries = _deliveries(msg)
        context = {"type": event.type, "id": str(event.id), "deliveries": deliveries}
        if deliveries < self.retry.max_deliver:
            log.warning("event handler failed, will retry", exc_info=exc, extra=context)
            self.stats.failed += 1
            return NAK
        log.error("event handler failed on the last delivery: parked", exc_info=exc, extra=context)
        await dead_letters.park(
            session,
            self.dead_letters,
            event=event,
            stream=self.stream,
            subject=msg.subject,
            error=dead_letters.describe(exc),
            deliveries=deliveries,
        )
        self.stats.dead_lettered += 1
        return TERM


def _deliveries(msg: Msg) -> int:
    return (msg.metadata.num_delivered or 1) if msg.metadata else 1


async def _unsubscribe(subscription) -> None:
    """Drop a subscription; the durable consumer stays on the server, so nothing is lost: what
    was delivered to it and not acked is delivered again after the ack wait."""
    if subscription is not None:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
