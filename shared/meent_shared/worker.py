"""The headless worker and a service's event commands.

`python -m <service>.worker` runs the outbox relay and event consumers without the web app; a
deployment scales it apart from the web replicas, and the event-path tests run several of them
side by side. `python -m <service>.worker replay-dead-letters [--id ID ...] [--accept-forged]`
applies parked events again, through the inbox (see `events.replay`); `python -m <service>.worker republish` re-announces the service's state.
"""

import argparse
import asyncio
import dataclasses
import json
import signal
import sys
import uuid
from collections.abc import Callable

from meent_shared.logging import configure_logging
from meent_shared.runtime import ServiceRuntime


async def run_worker(runtime: ServiceRuntime, *, relay: bool, consumers: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start(relay=relay, consumers=consumers)
    await stop.wait()
    await runtime.stop()
    # One last line that tells an operator (or a test) what this process did.
    stats = {c.producer_service: vars(c.stats) for c in runtime.consumers}
    report = {
        "worker_stopped": True,
        "published": runtime.relay.published if runtime.relay else 0,
        "consumed": stats,
    }
    print(json.dumps(report), flush=True)


async def replay_dead_letters(
    runtime: ServiceRuntime, ids: list[uuid.UUID], limit: int, accept_forged: bool
) -> int:
    """Replay, print what happened as one JSON line, and exit non-zero if any still fails (a
    message still rejected, or forged, stays parked without failing the command)."""
    try:
        report = await runtime.replay_dead_letters(ids, limit=limit, accept_forged=accept_forged)
    finally:
        await runtime.engine.dispose()
    print(json.dumps({"dead_letters": dataclasses.asdict(report)}), flush=True)
    return 1 if report.failed else 0


async def republish(runtime: ServiceRuntime) -> int:
    """Re-announce the current state through the outbox; the running relay publishes it."""
    try:
        report = await runtime.republish()
    finally:
        await runtime.engine.dispose()
    print(json.dumps({"republished": report.events, "seconds": report.seconds}), flush=True)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description="meent worker: outbox relay and event consumers")
    top.add_argument("--no-relay", action="store_true", help="do not publish the outbox")
    top.add_argument("--no-consumers", action="store_true", help="do not consume events")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the relay and the consumers (the default)")
    replay = commands.add_parser(
        "replay-dead-letters", help="apply parked events again, through the inbox (never twice)"
    )
    replay.add_argument(
        "--id", dest="ids", action="append", type=uuid.UUID, default=[], help="an event id"
    )
    replay.add_argument("--limit", type=int, default=1000, help="at most this many (oldest first)")
    replay.add_argument(
        "--accept-forged",
        action="store_true",
        help="apply the forged messages named by --id as they are (you judged them genuine)",
    )
    commands.add_parser(
        "republish", help="re-announce every entity at its current version, through the outbox"
    )
    return top


def main(build_runtime: Callable[[], ServiceRuntime]) -> None:
    args = parser().parse_args()
    runtime = build_runtime()
    configure_logging(f"{runtime.settings.service_name}-worker", runtime.settings.log_level)
    if args.command == "replay-dead-letters":
        if args.accept_forged and not args.ids:
            raise SystemExit("--accept-forged needs the --id of each forged message to apply")
        replaying = replay_dead_letters(runtime, args.ids, max(args.limit, 1), args.accept_forged)
        sys.exit(asyncio.run(replaying))
    if args.command == "republish":
        sys.exit(asyncio.run(republish(runtime)))
    asyncio.run(run_worker(runtime, relay=not args.no_relay, consumers=not args.no_consumers))
    sys.exit(0)
