"""The load generator, in a process of its own (spawned), so its work never shares a CPU queue with
the parent's. Two ways to drive a server:

- **open loop** (the default): requests leave on a fixed schedule, whatever the server does, and
  every request is measured from its *scheduled* start: when the generator or a server falls
  behind, the time spent waiting counts (no coordinated omission). Nothing waits for a response
  before sending the next request; the connection limit is far above any concurrency we expect.
- **closed loop** (`concurrency` set): that many clients, each sending its next request as soon as
  the previous one is answered, for `duration` seconds — a throughput figure, not a latency one
  (latency then runs from each request's actual start).

Requests may differ by path (each its own query string) and body; a counter can report how many
items each response holds (GeoJSON features, say), so a run shows what it actually fetched.
"""

import asyncio
import itertools
import json
import multiprocessing
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import uvloop

from tests.bench.http1 import Origin

LEAD_SECONDS = 0.2  # between building the schedule and its first request
MAX_ERROR_TEXT = 120
FAILURE_PAUSE = 0.05  # closed loop: a client's pause after a request that got no answer


@dataclass(frozen=True)
class Plan:
    """Everything the generator needs, picklable: one request per body, `1 / rate` apart (open
    loop), or the bodies taken in turn, over and over, by `concurrency` clients (closed loop)."""

    method: str
    url: str
    headers: dict[str, str]
    bodies: list[bytes | None]
    rate: float
    check: str  # a key of CHECKS
    timeout: float = 10.0
    max_connections: int = 1000
    paths: list[str] | None = None  # each request's path and query (None: the url's), as bodies
    count: str | None = None  # a key of COUNTERS: how many items a response holds
    concurrency: int | None = None  # closed loop: this many clients
    duration: float = 0.0  # closed loop: seconds to keep going
    header_sets: list[dict[str, str]] | None = None  # each request's own extra headers, as bodies


@dataclass(frozen=True)
class Record:
    """One request. Times in seconds; `scheduled` counts from the schedule's start."""

    scheduled: float
    start_lag: float  # from the scheduled start until the request left the generator
    latency: float  # from the scheduled start until the response was read (or the failure)
    status: int | None
    error: str | None
    items: int | None = None  # what the plan's counter found in the response
    size: int = 0  # bytes of the response body


@dataclass(frozen=True)
class Run:
    """What one generator process reports back: its records and its own CPU use."""

    records: list[Record]
    cpu_seconds: float
    wall_seconds: float


def check_http_200(status: int, body: bytes) -> str | None:
    return None if status == 200 else f"HTTP {status}"


def check_http_201(status: int, body: bytes) -> str | None:
    return None if status == 201 else f"HTTP {status}"


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
    "http_201": check_http_201,
    "graphql": check_graphql,
}

# A GeoJSON Feature's "type" member, however the server spaces its JSON ("FeatureCollection" is
# not matched). A byte scan, not a parse: the generator shares the cores with the servers.
_FEATURE = re.compile(rb'"type"\s*:\s*"Feature"')


def count_geojson_features(body: bytes) -> int:
    return len(_FEATURE.findall(body))


_CREATED = re.compile(rb'"created"\s*:\s*(\d+)')


def count_created(body: bytes) -> int:
    """An import's `{"created": n, …}`: the rows it stored."""
    found = _CREATED.search(body)
    return int(found.group(1)) if found else 0


COUNTERS: dict[str, Callable[[bytes], int]] = {
    "geojson_features": count_geojson_features,
    "created": count_created,
}


async def _send(origin: Origin, plan: Plan, request: bytes, offset: float, due: float) -> Record:
    """One request, due at `due` (monotonic clock), `offset` seconds into the schedule (closed
    loop: `due` is when it is sent)."""
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
    items = COUNTERS[plan.count](response.body) if plan.count and error is None else None
    return Record(offset, sent - due, done - due, response.status, error, items, len(response.body))


def _encode(origin: Origin, plan: Plan) -> list[bytes]:
    """Each request's bytes, encoded once per distinct path and body (most plans repeat one)."""
    parts = urlsplit(plan.url)
    default = parts.path + (f"?{parts.query}" if parts.query else "")
    paths = plan.paths or [default] * len(plan.bodies)
    extra = plan.header_sets or [{}] * len(plan.bodies)
    keys = [
        (path, tuple(headers.items()), body)
        for path, headers, body in zip(paths, extra, plan.bodies, strict=True)
    ]
    encoded: dict[tuple[str, tuple[tuple[str, str], ...], bytes | None], bytes] = {}
    for key in keys:
        if key not in encoded:
            headers = plan.headers | dict(key[1])
            encoded[key] = origin.request_bytes(plan.method, key[0], headers, key[2])
    return [encoded[key] for key in keys]


async def drive(plan: Plan) -> list[Record]:
    """Run the plan, open or closed loop; one record per request, in the order they were sent."""
    if plan.concurrency:
        return await drive_closed(plan)
    origin = Origin(plan.url, plan.max_connections)
    requests = _encode(origin, plan)
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


async def drive_closed(plan: Plan) -> list[Record]:
    """`concurrency` clients, each sending the next request when its previous one is answered,
    until `duration` seconds have passed; the requests are taken in turn, over and over."""
    assert plan.concurrency
    origin = Origin(plan.url, plan.concurrency)
    requests = _encode(origin, plan)
    turn = itertools.cycle(requests)
    records: list[Record] = []
    await asyncio.sleep(LEAD_SECONDS)
    start = time.monotonic()
    end = start + plan.duration

    async def client() -> None:
        while (now := time.monotonic()) < end:
            record = await _send(origin, plan, next(turn), now - start, now)
            records.append(record)
            if record.status is None:  # refused or timed out: no hot loop against a dead server
                await asyncio.sleep(FAILURE_PAUSE)

    await asyncio.gather(*(client() for _ in range(plan.concurrency)))
    origin.close()
    return sorted(records, key=lambda r: r.scheduled)


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
