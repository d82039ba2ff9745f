"""`make bench`: start the suite once on free ports in a scratch folder, run the scenarios, write
`tests/bench/results/report.md` and `report.json`, and stop the suite (also on Ctrl-C or error)."""

import argparse
import dataclasses
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from meent_shared.local.suite import Suite, SuitePorts
from meent_shared.testing.servers import make_scratch_dir
from tests.bench import machine, report
from tests.bench.runner import Outcome, log, run_all
from tests.bench.scenarios import SCENARIOS, Scenario

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--scenario",
        action="append",
        choices=list(SCENARIOS),
        metavar="NAME",
        help=f"run only this one (repeatable): {', '.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--duration",
        type=float,
        metavar="S",
        help="measured seconds per scenario (over all its rounds)",
    )
    parser.add_argument("--rate", type=float, metavar="R", help="requests per second")
    parser.add_argument("--warmup", type=float, metavar="S", help="warm-up seconds per round")
    parser.add_argument("--rounds", type=int, metavar="N", help="rounds when there is a baseline")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs, data)")
    return parser.parse_args(argv)


def configured(args: argparse.Namespace) -> dict[str, Scenario]:
    """Every scenario with the command line's overrides (baselines get them too)."""
    given = {"duration": args.duration, "rate": args.rate, "warmup": args.warmup}
    overrides = {key: value for key, value in given.items() if value is not None}
    if args.rounds is not None:
        overrides["rounds"] = args.rounds
    return {name: dataclasses.replace(s, **overrides) for name, s in SCENARIOS.items()}


def stop_on_sigterm() -> None:
    def raise_interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, raise_interrupt)


def measure(args: argparse.Namespace, suite: Suite) -> tuple[dict[str, Any], list[Outcome]]:
    """Start the suite, run the scenarios, and gather everything the report shows."""
    started = time.monotonic()
    facts = machine.facts(ROOT)
    log(f"starting the suite in {suite.var_dir.parent}")
    suite.start()
    startup = time.monotonic() - started
    log(f"suite ready in {startup:.1f} s")
    facts["servers"] = machine.server_versions(suite)
    outcomes, comparisons = run_all(args.scenario or list(SCENARIOS), configured(args), suite)
    facts["load_average_end"] = machine.load_average()
    data: dict[str, Any] = {}
    for outcome in outcomes:
        data |= outcome.facts  # scenarios that share their data share its facts too
    results = {
        "machine": facts,
        "suite_startup_s": round(startup, 1),
        "wall_time_s": round(time.monotonic() - started, 1),
        "scenarios": [outcome.as_dict() for outcome in outcomes],
        "comparisons": comparisons,
        "data": data,
    }
    return results, outcomes


def shut_down(suite: Suite, scratch: Path, *, keep: bool) -> None:
    """Stop the suite, deaf to further Ctrl-C: a half-stopped suite leaves servers running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    log("stopping the suite")
    suite.stop()  # if this fails, the scratch folder stays: a server may still use it
    if keep:
        log(f"scratch folder kept: {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["MEENT_MODE"] = "local"
    stop_on_sigterm()
    scratch = make_scratch_dir("meent-bench-")
    suite = Suite(ROOT, scratch / "var", SuitePorts.free(), fast_unsafe=False)
    keep = args.keep
    try:
        results, outcomes = measure(args, suite)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except Exception:
        keep = True  # for the logs
        raise
    finally:
        shut_down(suite, scratch, keep=keep)
    md_path = report.write(results, outcomes, RESULTS)
    log(f"report: {md_path.relative_to(ROOT)} (also report.json, requests.csv)")
    print(report.summary_tables(results))  # the figures and the targets, pass or fail
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
