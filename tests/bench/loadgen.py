"""The open-loop load generator: requests leave on a fixed schedule, whatever the server does.

It runs in a process of its own (spawned), so its work never shares a CPU queue with the parent's,
and it measures every request from its *scheduled* start: when the generator or a server falls
behind, the time spent waiting counts (no coordinated omission). Nothing waits for a response
before sending the next request; the connection limit is far above any concurrency we expect.
"""

import asyncio
import json
import multiprocessing
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import uvloop

from tests.bench.http1 import Origin

LEAD_SECONDS = 0.2  # between building the schedule and its first request
MAX_ERROR_TEXT = 120


@dataclass(frozen=True)
class Plan:
    """Everything the generator needs, picklable: one request per body, `1 / rate` apart."""

    method: str
    url: str
    headers: dict[str, str]
    bodies: list[bytes | None]
    rate: float
    check: str  # a key of CHECKS
    timeout: float = 10.0
    max_connections: int = 1000


@dataclass(frozen=True)
class Record:
    """One request. Times in seconds; `scheduled` counts from the schedule's start."""

    scheduled: float
    start_lag: float  # from the scheduled start until the request left the generator
    latency: float  # from the scheduled start until the response was read (or the failure)
    status: int | None
    error: str | None


@dataclass(frozen=True)
class Run:
    """What one generator process reports back: its records and its own CPU use."""

    records: list[Record]
    cpu_seconds: float
    wall_seconds: float


def check_http_200(status: int, body: bytes) -> str | None:
    return None if status == 200 else f"HTTP {status}"


def check_graphql(status: int, body: bytes) -> str | None:
    """200 with `data` and no `errors`; otherwise a short reason."""
    if status != 200:
        return f"HTTP {status}"
    try:
        document = json.loads(body)
    except ValueError:
        return "response is not JSON"
    if errors := document.get("errors"):
        first = errors[0].get("message", "?") if isinstance(errors[0], dict) else errors[0]
        return f"GraphQL error: {str(first)[:MAX_ERROR_TEXT]}"
    if document.get("data") is None:
        return "GraphQL response without data"
    return None


CHECKS: dict[str, Callable[[int, bytes], str | None]] = {
    "http_200": check_http_200,
    "graphql": check_graphql,
}


async def _send(origin: Origin, plan: Plan, request: bytes, offset: float, due: float) -> Record:
    """One request, due at `due` (monotonic clock), `offset` seconds into the schedule."""
    sent = time.monotonic()
    try:
        async with asyncio.timeout(plan.timeout):  # for the whole exchange, waiting included
            response = await origin.send(request, bodyless=plan.method == "HEAD")
    except Exception as exc:  # every failure is a result to record, never a reason to stop
        done = time.monotonic()
        failure = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if isinstance(exc, TimeoutError):
            failure = f"no response within {plan.timeout:g} s"
        return Record(offset, sent - due, done - due, None, failure[:MAX_ERROR_TEXT])
    done = time.monotonic()
    error = CHECKS[plan.check](response.status, response.body)
    return Record(offset, sent - due, done - due, response.status, error)


def _encode(origin: Origin, plan: Plan, target: str) -> list[bytes]:
    """Each request's bytes, encoded once per distinct body (most plans repeat one)."""
    encoded: dict[bytes | None, bytes] = {}
    for body in plan.bodies:
        if body not in encoded:
            encoded[body] = origin.request_bytes(plan.method, target, plan.headers, body)
    return [encoded[body] for body in plan.bodies]


async def drive(plan: Plan) -> list[Record]:
    """Send every request of the plan on its schedule; return one record per request, in order."""
    origin = Origin(plan.url, plan.max_connections)
    parts = urlsplit(plan.url)
    requests = _encode(origin, plan, parts.path + (f"?{parts.query}" if parts.query else ""))
    start = time.monotonic() + LEAD_SECONDS
    tasks = []
    for index, request in enumerate(requests):
        offset = index / plan.rate
        due = start + offset
        # uvloop's timers have millisecond resolution and may fire early: never send before due.
        while (delay := due - time.monotonic()) > 0:  # noqa: ASYNC110 (waiting on the clock)
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_send(origin, plan, request, offset, due)))
    records = list(await asyncio.gather(*tasks))
    origin.close()
    return records


def _child(plan: Plan, connection: "multiprocessing.connection.Connection") -> None:
    # The parent handles Ctrl-C and ends this process; a second KeyboardInterrupt here is noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started, cpu_before = time.monotonic(), time.process_time()
    records = uvloop.run(drive(plan))
    cpu = time.process_time() - cpu_before
    connection.send(Run(records, cpu, time.monotonic() - started))
    connection.close()


def run_in_own_process(plan: Plan) -> Run:
    """Run the plan in a freshly spawned process and return what it measured."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(plan, sender), name="meent-bench-loadgen")
    process.start()
    sender.close()  # only the child writes; EOF on our end then means it died
    try:
        run: Run = receiver.recv()
        return run
    except EOFError:
        process.join()
        raise RuntimeError(f"the load generator died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receiver.close()
