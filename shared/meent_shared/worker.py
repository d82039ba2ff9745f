"""The headless worker: a service's outbox relay and event consumers without the web app.

`python -m <service>.worker` runs it; a deployment scales it apart from the web replicas, and the
event-path tests run several of them side by side.
"""

import argparse
import asyncio
import json
import signal
import sys
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
    print(
        json.dumps(
            {
                "worker_stopped": True,
                "published": runtime.relay.published if runtime.relay else 0,
                "consumed": stats,
            }
        ),
        flush=True,
    )


def main(build_runtime: Callable[[], ServiceRuntime]) -> None:
    parser = argparse.ArgumentParser(description="meent worker: outbox relay and event consumers")
    parser.add_argument("--no-relay", action="store_true", help="do not publish the outbox")
    parser.add_argument("--no-consumers", action="store_true", help="do not consume events")
    args = parser.parse_args()
    runtime = build_runtime()
    configure_logging(f"{runtime.settings.service_name}-worker", runtime.settings.log_level)
    asyncio.run(run_worker(runtime, relay=not args.no_relay, consumers=not args.no_consumers))
    sys.exit(0)
