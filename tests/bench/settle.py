"""Waiting for the suite to go quiet between rounds, so one round's backlog never lands in the
next (an overloaded gateway keeps working on requests its clients have given up on)."""

import os
import time

from meent_shared.local.suite import Suite
from tests.bench.memory import PROC, children_by_parent, process_tree, suite_roots

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _stat_seconds(pid: int, first: int) -> float:
    """Two adjacent tick counts of /proc/<pid>/stat, summed in seconds (0 when it is gone);
    `first` counts from the state, field 3 of stat(5)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[first]) + int(fields[first + 1])) / TICKS_PER_SECOND


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (utime, stime), or 0 when it is gone."""
    return _stat_seconds(pid, 11)


def reaped_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process's children that have exited and been waited for
    (cutime, cstime)."""
    return _stat_seconds(pid, 13)


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
