"""Helpers for tests that watch the event path from outside: streams, databases, worker processes."""

import asyncio
import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import psycopg
from nats.aio.client import Client
from nats.js import JetStreamContext

from meent_shared.events.contracts import EventPayload
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.nats_access import local_admin


async def wait_for(
    check: Callable[[], Awaitable[bool]],
    *,
    within: float = 30,
    interval: float = 0.1,
    what: str = "",
) -> None:
    """Poll `check` until it is true; fail the test with `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what or check}")
        await asyncio.sleep(interval)


async def connect_admin(nats_url: str) -> tuple[Client, JetStreamContext]:
    """A connection that may do anything (the tests' stand-in for an operator)."""
    client = await nats.connect(nats_url, **local_admin())
    return client, client.jetstream()


def metric_value(exposition: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a Prometheus text exposition (labels in any order)."""
    wanted = {f'{key}="{value}"' for key, value in labels.items()}
    for line in exposition.splitlines():
        if line.startswith(name + "{") and "}" in line:
            found = set(line[len(name) + 1 : line.index("}")].split(","))
            if found == wanted:
                return float(line.rsplit(" ", 1)[1])
    return None


def sql_value(url: str, query: str, *params: Any) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query.encode(), params).fetchone()
    return None if row is None else row[0]


async def stream_state(nats_url: str, stream: str) -> Any:
    client, js = await connect_admin(nats_url)
    try:
        return (await js.stream_info(stream)).state
    finally:
        await client.close()


async def stream_message_count(nats_url: str, stream: str) -> int:
    try:
        return (await stream_state(nats_url, stream)).messages
    except nats.js.errors.NotFoundError:
        return 0


async def read_stream(nats_url: str, stream: str) -> list[tuple[dict[str, str], CloudEvent]]:
    """Every message in the stream, in order: its headers and its CloudEvent."""
    client, js = await connect_admin(nats_url)
    try:
        last = (await js.stream_info(stream)).state.last_seq
        found = []
        for seq in range(1, last + 1):
            try:
                msg = await js.get_msg(stream, seq)
            except nats.js.errors.NotFoundError:
                continue
            found.append((dict(msg.headers or {}), CloudEvent.model_validate_json(msg.data or b"")))
        return found
    finally:
        await client.close()


async def publish_events(nats_url: str, payloads: list[EventPayload], chunk: int = 500) -> None:
    """Publish events straight into JetStream (its streams provisioned), as a producer's relay
    would."""
    client, js = await connect_admin(nats_url)
    try:
        for start in range(0, len(payloads), chunk):
            batch = [CloudEvent.wrap(p) for p in payloads[start : start + chunk]]
            await asyncio.gather(
                *(
                    js.publish(
                        e.payload().contract.subject,
                        e.model_dump_json().encode(),
                        headers={"Nats-Msg-Id": str(e.id)},
                    )
                    for e in batch
                )
            )
    finally:
        await client.close()


async def consumer_info(nats_url: str, stream: str, durable: str) -> Any:
    client, js = await connect_admin(nats_url)
    try:
        return await js.consumer_info(stream, durable)
    finally:
        await client.close()


@dataclass
class WorkerProcess:
    """A `python -m <service>.worker` (or any script) running beside the test."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self, timeout: float = 30) -> dict[str, Any]:
        """SIGTERM, wait, and return the worker's final `worker_stopped` report."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        return self.report()

    def report(self) -> dict[str, Any]:
        for line in reversed(self.log_path.read_text().splitlines()):
            if '"worker_stopped"' in line:
                return json.loads(line)
        raise AssertionError(f"no worker report in {self.log_path}:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text()[-chars:]


def spawn(args: list[str], env: dict[str, str]) -> WorkerProcess:
    fd, log_path = tempfile.mkstemp(prefix="meent-worker-", suffix=".log")
    # Kept for the test run (a failing test prints its tail), then removed.
    atexit.register(Path(log_path).unlink, missing_ok=True)
    with open(fd, "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, *args],
            env={**os.environ, "MEENT_MODE": "local", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return WorkerProcess(process, Path(log_path))


def spawn_worker(service: str, env: dict[str, str], *flags: str) -> WorkerProcess:
    return spawn(["-m", f"{service}.worker", *flags], env)
