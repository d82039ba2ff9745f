"""Messages JetStream gave up on without an answer from a handler: the consumer process died (or
ran past the ack wait) on every delivery, so the consumer never saw a failure to park.

JetStream announces each one (a MAX_DELIVERIES advisory); the consumer's process parks it as a
dead letter like any other, unless the inbox shows the event was applied after all.
"""

import json
import logging
from typing import TYPE_CHECKING

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from sqlalchemy import select

from meent_shared.events import dead_letters
from meent_shared.events.envelope import CloudEvent

if TYPE_CHECKING:
    from meent_shared.events.consumer import StreamConsumer

log = logging.getLogger("meent.events.given_up")

ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
NO_ANSWER = (
    "JetStream stopped delivering after {deliveries} deliveries without an ack or a failure: "
    "the consumer died, or ran past the ack wait, on each of them"
)


def advisory_subject(stream: str, durable: str) -> str:
    return f"{ADVISORY}.{stream}.{durable}"


async def watch(consumer: "StreamConsumer") -> Subscription:
    """Listen for the consumer's given-up messages (a core subscription: while connected)."""

    async def given_up(advisory: Msg) -> None:
        await park_given_up(consumer, advisory)

    client = consumer.link.client
    assert client is not None, "subscribe only once connected"
    return await client.subscribe(advisory_subject(consumer.stream, consumer.durable), cb=given_up)


async def park_given_up(consumer: "StreamConsumer", advisory: Msg) -> None:
    try:
        notice = json.loads(advisory.data)
        stored = await consumer.link.js.get_msg(consumer.stream, int(notice["stream_seq"]))
        event = CloudEvent.model_validate_json(stored.data or b"")
        async with consumer.session_factory() as session, session.begin():
            inbox = consumer.inbox
            seen = select(inbox.c.event_id).where(inbox.c.event_id == event.id)
            if (await session.execute(seen)).first() is not None:
                return  # applied after all (its ack came too late)
            deliveries = int(notice.get("deliveries", consumer.retry.max_deliver))
            await dead_letters.park(
                session,
                consumer.dead_letters,
                event=event,
                stream=consumer.stream,
                subject=stored.subject or "",
                error=NO_ANSWER.format(deliveries=deliveries),
                deliveries=deliveries,
            )
    except Exception:  # the advisory is gone once handled: say loudly what was not parked
        log.exception(
            "could not park a message JetStream gave up on", extra={"advisory": advisory.data}
        )
        return
    consumer.stats.dead_lettered += 1
    log.error("a message no process could answer was parked", extra={"id": str(event.id)})
