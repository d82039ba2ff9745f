"""`make run`: the whole suite in local mode, data under `var/`, until Ctrl-C.

A second run reuses the data. Ports are the local-mode addresses of ARCHITECTURE.md.
"""

import os
import signal
import sys
import time
from pathlib import Path

from meent_shared.local.suite import SERVICES, Suite, SuitePorts


def main() -> int:
    root = Path.cwd()
    if not (root / "services").is_dir():
        print("run this from the repository root (make run)", file=sys.stderr)
        return 2
    os.environ["MEENT_MODE"] = "local"
    suite = Suite(root, root / "var", SuitePorts())
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print("starting meent (PostgreSQL + PostGIS, NATS JetStream, 4 services, gateway) ...")
    try:
        suite.start()
    except Exception as exc:
        print(f"meent did not start: {exc}", file=sys.stderr)
        suite.stop()
        return 1
    print_addresses(suite)
    while not stopping:
        for name, process in suite.processes.items():
            if process.poll() is not None and not stopping:
                print(f"{name} stopped unexpectedly (exit {process.returncode}); see var/logs/")
                stopping = True
        time.sleep(0.5)
    print("\nstopping meent ...")
    suite.stop()
    print("stopped; data kept in var/")
    return 0


def print_addresses(suite: Suite) -> None:
    print("meent is running (Ctrl-C stops it):")
    print(f"  web client and GraphQL  {suite.url('gateway')}/")
    print(f"  gateway operations      {suite.operations_url}  (/metrics, /readyz with checks)")
    for service in SERVICES:
        print(f"  {service:<11}             {suite.url(service)}  (OpenAPI: /docs, ready: /readyz)")
    print(f"  PostgreSQL + PostGIS    {suite.postgres.url()}")
    print(f"  NATS JetStream          {suite.nats.url}  (monitoring {suite.nats.monitor_url})")
    print("  logs                    var/logs/")


if __name__ == "__main__":
    sys.exit(main())
