"""`make run`: the whole suite in local mode, data under `var/`, until Ctrl-C.

A second run reuses the data, and stops what a killed run left behind. Ports are the local-mode
addresses of ARCHITECTURE.md; `--var-dir` and `--port NAME=NUMBER` run a second suite beside it.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from meent_shared.local.suite import SERVICES, Suite, SuitePorts
from meent_shared.settings import SERVICE_PORTS


def parse_ports(pairs: list[str]) -> SuitePorts:
    """The local-mode ports, with the `NAME=NUMBER` changes given (names as `make run` prints)."""
    ports = {name.replace(" ", "-"): port for name, port in SuitePorts().all().items()}
    for pair in pairs:
        name, _, number = pair.partition("=")
        if name not in ports or not number.isdigit():
            raise SystemExit(f"--port {pair}: give NAME=NUMBER, NAME one of {', '.join(ports)}")
        ports[name] = int(number)
    http = {name: ports[name] for name in SERVICE_PORTS}
    operations = ports["gateway-operations"]
    return SuitePorts(ports["postgres"], ports["nats"], ports["nats-monitor"], http, operations)


def main(argv: list[str] | None = None) -> int:
    root = Path.cwd()
    if not (root / "services").is_dir():
        print("run this from the repository root (make run)", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m meent_shared.local.launcher")
    parser.add_argument("--var-dir", type=Path, default=root / "var", help="data and logs")
    parser.add_argument("--port", action="append", default=[], metavar="NAME=NUMBER")
    args = parser.parse_args(argv)
    os.environ["MEENT_MODE"] = "local"
    suite = Suite(root, args.var_dir, parse_ports(args.port))
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
    print(f"stopped; data kept in {suite.var_dir}")
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
