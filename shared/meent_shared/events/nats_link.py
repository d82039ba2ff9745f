"""One NATS connection per process that keeps trying: a service starts (and keeps its outbox) while
the broker is down, and everything waiting on the connection resumes when it comes back."""

import asyncio
import contextlib
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext

from meent_shared.events.nats_access import inbox_prefix

log = logging.getLogger("meent.events.nats")


class NatsLink:
    def __init__(self, url: str, name: str, *, user: str = "", password: str = ""):
        self.url = url
        self.name = name
        # The process's own NATS user (see nats_access); replies come under its own inbox prefix.
        self.user = user
        self.password = password
        self.client: Client | None = None
        # Bumped on every (re)connect, so pull subscriptions know to re-create themselves.
        self.generation = 0
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def is_connected(self) -> bool:
        return self.client is not None and self.client.is_connected

    @property
    def connected(self) -> Client:
        """The client while it is connected, else ConnectionError: a reconnecting client would
        buffer what the relay sends (subscriptions included) and replay it stale."""
        if self.client is None or not self.client.is_connected:
            raise ConnectionError("not connected to NATS")
        return self.client

    @property
    def js(self) -> JetStreamContext:
        if self.client is None:
            raise ConnectionError("not connected to NATS yet")
        return self.client.jetstream()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._connect_until_done(), name="nats-connect")

    async def wait_connected(self, within: float | None = None) -> None:
        await asyncio.wait_for(self._connected.wait(), within)

    async def _connect_until_done(self) -> None:
        delay = 0.2
        while True:
            try:
                self.client = await nats.connect(
                    self.url,
                    name=self.name,
                    user=self.user or None,
                    password=self.password or None,
                    inbox_prefix=inbox_prefix(self.user) if self.user else "_INBOX",
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                    error_cb=self._on_error,
                )
            except Exception as exc:  # any failure: try again, the broker may be starting
                log.warning("cannot reach NATS, retrying", extra={"error": repr(exc)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.generation += 1
            self._connected.set()
            log.info("connected to NATS", extra={"url": self.url})
            return

    async def _on_disconnected(self) -> None:
        self._connected.clear()
        log.warning("disconnected from NATS")

    async def _on_reconnected(self) -> None:
        self.generation += 1
        self._connected.set()
        log.info("reconnected to NATS")

    async def _on_error(self, exc: Exception) -> None:
        log.debug("NATS error", extra={"error": repr(exc)})

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.client is None or self.client.is_closed:
            return
        try:
            await asyncio.wait_for(self.client.drain(), 5)
        except Exception:  # broker away or slow: drop the connection instead
            with contextlib.suppress(Exception):
                await self.client.close()
