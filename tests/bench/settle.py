"""Waiting for the suite to go quiet between rounds, so one round's backlog never lands in the
next (an overloaded gateway keeps working on requests its clients have given up on)."""

import os
import time

from meent_shared.local.suite import Suite
from tests.bench.memory import PROC, children_by_parent, process_tree, suite_roots

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used, or 0 when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # fields[0] is the state, field 3 of stat(5)
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def reaped_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process's children that have exited and been waited for."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # cutime and cstime: fields 16 and 17 of stat(5)
    return (int(fields[13]) + int(fields[14])) / TICKS_PER_SECOND


def suite_cpu_seconds(suite: Suite) -> float:
    tree = children_by_parent()
    pids = [p for root in suite_roots(suite).values() for p in process_tree(root, tree)]
    return sum(cpu_seconds(pid) for pid in pids)


def suite_cpu_use(suite: Suite, interval: float) -> float:
    """The suite's CPU use over the interval, in cores (1.0 = one core busy)."""
    before = suite_cpu_seconds(suite)
    time.sleep(interval)
    return (suite_cpu_seconds(suite) - before) / interval


def wait_until_quiet(
    suite: Suite, *, below: float = 0.2, interval: float = 0.5, limit: float = 60
) -> float:
    """Wait until the suite uses less than `below` cores; return the seconds waited."""
    started = time.monotonic()
    while suite_cpu_use(suite, interval) >= below and time.monotonic() - started < limit:
        pass
    return time.monotonic() - started
