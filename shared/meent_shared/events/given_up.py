"""Messages JetStream gave up on without an answer from a handler: the consumer process died (or
ran past the ack wait) on every delivery, so the consumer never saw a failure to park.

JetStream announces each one (a MAX_DELIVERIES advisory); the consumer's process parks it as a
dead letter like any other (through the same checks as a delivery: a rejected one is parked with
its reason), unless the inbox shows the event was applied after all. The advisory comes only once:
while parking fails (the database is away), the message is kept in a list and parking is tried
again, with a growing delay, until it succeeds or the process stops.
"""

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.errors import NotFoundError
from sqlalchemy import select

from meent_shared.events import dead_letters
from meent_shared.events.admission import Rejection, admit

if TYPE_CHECKING:
    from meent_shared.events.consumer import StreamConsumer

log = logging.getLogger("meent.events.given_up")

ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
NO_ANSWER = (
    "JetStream stopped delivering after {deliveries} deliveries without an ack or a failure: "
    "the consumer died, or ran past the ack wait, on each of them"
)
# Messages waiting for a second try at parking, at most (each is one advisory's stream sequence).
MAX_WAITING = 10_000
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0


def advisory_subject(stream: str, durable: str) -> str:
    return f"{ADVISORY}.{stream}.{durable}"


class GivenUp:
    """Parks one consumer's given-up messages, retrying those whose parking failed."""

    def __init__(self, consumer: "StreamConsumer"):
        self.consumer = consumer
        self.waiting: dict[int, int] = {}  # stream sequence -> deliveries, not parked yet
        self._subscription: Subscription | None = None
        # The advisory callback and the retry loop take turns: a message is parked once.
        self._parking = asyncio.Lock()

    async def watch(self) -> None:
        """Listen for the advisories (a core subscription: while connected, so again after each
        new subscription of the consumer)."""
        await self.close_subscription()
        client = self.consumer.link.client
        assert client is not None, "subscribe only once connected"
        subject = advisory_subject(self.consumer.stream, self.consumer.durable)
        self._subscription = await client.subscribe(subject, cb=self._advised)

    async def _advised(self, advisory: Msg) -> None:
        try:
            notice = json.loads(advisory.data)
            sequence = int(notice["stream_seq"])
            deliveries = int(notice.get("deliveries", self.consumer.retry.max_deliver))
        except (ValueError, KeyError, TypeError):
            log.error("unreadable advisory", extra={"advisory": advisory.data[:1000]})
            return
        if len(self.waiting) >= MAX_WAITING and sequence not in self.waiting:
            log.error("too many messages wait to be parked: not this one", extra={"seq": sequence})
            return
        self.waiting[sequence] = deliveries
        await self.park_waiting()

    async def run(self, stop: asyncio.Event) -> None:
        """Try again to park what could not be parked, with a doubling delay."""
        delay = FIRST_RETRY_SECONDS
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if self.waiting:
                parked_all = await self.park_waiting()
                delay = FIRST_RETRY_SECONDS if parked_all else min(delay * 2, MAX_RETRY_SECONDS)

    async def park_waiting(self) -> bool:
        """Park every waiting message; False if some must wait for another try."""
        async with self._parking:
            return await self._park_each()

    async def _park_each(self) -> bool:
        for sequence, deliveries in sorted(self.waiting.items()):
            try:
                await self._park(sequence, deliveries)
            except NotFoundError:  # aged out or deleted: there is nothing left to park
                log.error("a message JetStream gave up on is gone", extra={"seq": sequence})
            except Exception as exc:  # database or broker away: the next round tries again
                log.warning(
                    "could not park a message JetStream gave up on, will retry",
                    extra={"stream": self.consumer.stream, "seq": sequence, "error": repr(exc)},
                )
                return False
            self.waiting.pop(sequence, None)
        return True

    async def _park(self, sequence: int, deliveries: int) -> None:
        consumer = self.consumer
        stored = await consumer.link.js.get_msg(consumer.stream, sequence)
        subject, body = stored.subject or "", stored.data or b""
        admitted = admit(subject, body, stored.headers, consumer.producer_service)
        async with consumer.session_factory() as session, session.begin():
            if isinstance(admitted, Rejection):
                await dead_letters.park_rejected(
                    session,
                    consumer.dead_letters,
                    rejection=admitted,
                    stream=consumer.stream,
                    sequence=sequence,
                    subject=subject,
                    body=body,
                    headers=stored.headers,
                    deliveries=deliveries,
                )
                consumer.count_rejection(admitted)
                return
            inbox = consumer.inbox
            seen = select(inbox.c.event_id).where(inbox.c.event_id == admitted.id)
            if (await session.execute(seen)).first() is not None:
                return  # applied after all (its ack came too late)
            await dead_letters.park(
                session,
                consumer.dead_letters,
                event=admitted,
                stream=consumer.stream,
                subject=subject,
                error=NO_ANSWER.format(deliveries=deliveries),
                deliveries=deliveries,
                reason=dead_letters.NO_ANSWER,
            )
        consumer.stats.dead_lettered += 1
        log.error("a message no process could answer was parked", extra={"id": str(admitted.id)})

    async def close_subscription(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None

    async def close(self) -> None:
        await self.close_subscription()
        if self.waiting:
            log.error(
                "stopping with messages JetStream gave up on not parked",
                extra={"stream": self.consumer.stream, "seqs": sorted(self.waiting)[:100]},
            )
