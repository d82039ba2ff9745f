"""What one service process holds: its database engine, its NATS link, and its background workers
(the outbox relay and one inbox consumer per stream it consumes).

The web app and the headless worker (`python -m <service>.worker`) are both built on it.
"""

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, text

from meent_shared.auth import TokenVerifier
from meent_shared.db import create_engine, make_session_factory
from meent_shared.events import dead_letters
from meent_shared.events.consumer import RetryPolicy, StreamConsumer
from meent_shared.events.contracts import EventPayload
from meent_shared.events.inbox import Handler, by_event_type, group_by_producer, subjects_for
from meent_shared.events.nats_link import NatsLink
from meent_shared.events.outbox import OutboxRelay
from meent_shared.events.replay import ReplayReport, ReplayRequest, replay
from meent_shared.events.republish import Announcer, RepublishReport, republish
from meent_shared.events.retention import prune, prune_periodically
from meent_shared.events.streams import StreamMissing, StreamRefused, stream_of, trusted_stream
from meent_shared.settings import INBOX_MARGIN, ServiceSettings

log = logging.getLogger("meent.runtime")


@dataclass
class ServiceEvents:
    """A process's event wiring: its outbox (if it publishes), its inbox and what it consumes.

    The gateway has neither: it only reads events, for subscriptions, without an inbox.
    """

    outbox: Table | None = None
    inbox: Table | None = None
    # Events whose handler failed on every delivery, parked for a replay.
    dead_letters: Table | None = None
    handlers: dict[type[EventPayload], Handler] = field(default_factory=dict)
    # What `republish` re-announces: one announcer per kind of entity the service publishes.
    announcers: Sequence[Announcer] = ()

    @property
    def publishes(self) -> bool:
        return self.outbox is not None


class ServiceRuntime:
    def __init__(self, settings: ServiceSettings, events: ServiceEvents):
        self.settings = settings
        self.events = events
        self.engine = create_engine(
            settings.database_url_or_default, pool_size=settings.database_pool_size
        )
        self.session_factory = make_session_factory(self.engine)
        self.verifier = TokenVerifier(settings)
        self.link = NatsLink(
            settings.nats_url,
            name=settings.service_name,
            user=settings.nats_user_or_default,
            password=settings.nats_password_or_default,
        )
        self.relay = (
            OutboxRelay(
                engine=self.engine,
                outbox=events.outbox,
                nats=lambda: self.link.connected,
                service=settings.service_name,
                batch_size=settings.relay_batch_size,
                poll_seconds=settings.relay_poll_seconds,
            )
            if events.outbox is not None
            else None
        )
        if events.handlers and (events.inbox is None or events.dead_letters is None):
            raise ValueError("consuming events needs an inbox and a dead-letter table")
        retry = RetryPolicy(
            max_deliver=settings.consumer_max_deliver,
            first_delay_seconds=settings.consumer_retry_seconds,
            max_delay_seconds=settings.consumer_retry_max_seconds,
        )
        self.consumers = [
            StreamConsumer(
                link=self.link,
                session_factory=self.session_factory,
                inbox=events.inbox,  # type: ignore[arg-type]  # checked above
                dead_letters=events.dead_letters,  # type: ignore[arg-type]  # checked above
                consumer_service=settings.service_name,
                producer_service=producer,
                handlers=handlers,
                subjects=subjects_for(handlers),
                batch_size=settings.consumer_batch_size,
                ack_wait_seconds=settings.consumer_ack_wait_seconds,
                retry=retry,
            )
            for producer, handlers in group_by_producer(events.handlers).items()
        ]
        # Background jobs run beside the consumers: pruning old event rows, and the service's own
        # (e.g. commons' scheduler).
        self.background: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = []
        if events.outbox is not None or events.inbox is not None:
            self.background.append(lambda stop: prune_periodically(self.prune_event_rows, stop))
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._consuming = False

    async def start(self, *, relay: bool = True, consumers: bool = True) -> None:
        self._stop.clear()
        await self.link.start()
        if relay and self.relay is not None:
            self._tasks.append(asyncio.create_task(self.relay.run(self._stop), name="relay"))
        if consumers:
            self._consuming = bool(self.consumers)
            for job in self.background:
                self._tasks.append(asyncio.create_task(job(self._stop), name="background"))
            for consumer in self.consumers:
                name = f"consume-{consumer.producer_service}"
                self._tasks.append(asyncio.create_task(consumer.run(self._stop), name=name))

    async def stop(self) -> None:
        """Let the workers finish their current batch, then drain NATS and close the pool."""
        self._stop.set()
        self._consuming = False
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=10)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        await self.link.close()
        await self.engine.dispose()

    async def inbox_keep(self) -> dt.timedelta | None:
        """How long inbox rows must stay: the configured retention, or longer when a consumed
        stream keeps its messages longer, as JetStream reports it now. None (keep every row) when
        a stream keeps messages for ever, or when a consumed stream's age cannot be read: right
        after a start, with NATS away, a prune must not go by the configured age alone."""
        keep = self.settings.inbox_keep
        for consumer in self.consumers:
            try:
                await self.link.wait_connected(within=10)
                async with asyncio.timeout(5):
                    stream = await stream_of(self.link.js, consumer.producer_service)
            except Exception as exc:  # not connected, stream missing, JetStream not answering
                log.info("inbox kept whole this round", extra={"reason": repr(exc)})
                return None
            max_age = stream.config.max_age or 0.0
            if max_age <= 0:
                return None
            keep = max(keep, dt.timedelta(seconds=max_age) + INBOX_MARGIN)
        return keep

    async def prune_event_rows(self) -> tuple[int, int]:
        """One round of the pruning job: (published outbox rows, inbox rows) removed."""
        inbox_keep = await self.inbox_keep() if self.events.inbox is not None else None
        return await prune(
            self.engine,
            outbox=self.events.outbox,
            inbox=self.events.inbox,
            inbox_keep=inbox_keep,
        )

    async def republish(self) -> RepublishReport:
        """Re-announce the service's current state through the outbox (see `republish`)."""
        if self.events.outbox is None or not self.events.announcers:
            raise ValueError(f"{self.settings.service_name} has nothing to republish")
        return await republish(self.session_factory, self.events.outbox, self.events.announcers)

    async def replay_dead_letters(
        self, ids: Sequence[uuid.UUID] = (), limit: int = 1000, *, accept_forged: bool = False
    ) -> ReplayReport:
        """Apply parked events again, through the inbox (see `events.replay`)."""
        if self.events.dead_letters is None or self.events.inbox is None:
            return ReplayReport(not_waiting=[str(i) for i in ids])
        return await replay(
            self.session_factory,
            dead_letters=self.events.dead_letters,
            inbox=self.events.inbox,
            handlers=by_event_type(self.events.handlers),
            request=ReplayRequest(ids=ids, limit=limit, accept_forged=accept_forged),
        )

    async def dead_letters_waiting(self) -> int | None:
        """Parked events not replayed yet (None: this process keeps none, or the database is away)."""
        if self.events.dead_letters is None:
            return None
        try:
            async with asyncio.timeout(2), self.session_factory() as session:
                return await dead_letters.count_waiting(session, self.events.dead_letters)
        except Exception:  # /metrics answers without the figure rather than failing
            return None

    async def readiness(self) -> dict[str, str]:
        checks = {"database": await self._check_database(), "nats": await self._check_nats()}
        if self.events.publishes or self._consuming:
            checks["streams"] = await self._check_streams()
        return checks

    async def _check_streams(self) -> str:
        """Its own stream (a publisher waits until it is provisioned) and, while this process
        consumes, the streams it reads: each must exist and be configured as provisioned."""
        services = [self.settings.service_name] if self.events.publishes else []
        if self._consuming:
            services += [c.producer_service for c in self.consumers]
        problems = []
        for service in services:
            try:
                async with asyncio.timeout(2):
                    await trusted_stream(self.link.js, service)
            except (StreamMissing, StreamRefused) as exc:
                problems.append(
                    f"{'waiting' if isinstance(exc, StreamMissing) else 'refused'}: {exc}"
                )
            except Exception as exc:  # not connected, or JetStream not answering
                return f"unknown: {type(exc).__name__}"
        return "; ".join(problems) or "ok"

    async def _check_database(self) -> str:
        try:
            async with asyncio.timeout(2), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means "not ready"; the reason helps the operator
            return f"unavailable: {type(exc).__name__}"
        return "ok"

    async def _check_nats(self) -> str:
        if not self.link.is_connected:
            return "unavailable: not connected"
        try:
            async with asyncio.timeout(2):
                await self.link.js.account_info()
        except Exception as exc:  # connected but JetStream not answering
            return f"unavailable: JetStream {type(exc).__name__}"
        return "ok"
