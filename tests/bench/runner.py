"""Runs scenarios against a started suite: alone, or interleaved with their baseline."""

import statistics
import sys
from dataclasses import dataclass, field
from typing import Any

from meent_shared.local.suite import Suite
from tests.bench import memory
from tests.bench.loadgen import Plan, run_in_own_process
from tests.bench.memory import children_by_parent, process_tree, suite_roots
from tests.bench.scenarios import Loaded, Scenario, baselines_of
from tests.bench.settle import cpu_seconds, reaped_cpu_seconds, wait_until_quiet
from tests.bench.stats import Window, summarise

CLOSED_LOOP_REQUESTS = 2000  # a closed loop's request list, taken in turn over and over


@dataclass
class Outcome:
    scenario: Scenario
    windows: list[Window]
    memory: dict[str, dict[str, int]]
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        target = self.scenario.target
        summary = summarise(self.windows)
        return {
            "name": self.scenario.name,
            "description": self.scenario.description,
            "target": {"service": target.service, "method": target.method, "path": target.path},
            "rate_rps": None if self.scenario.closed_loop else self.scenario.rate,
            "concurrency": self.scenario.concurrency,
            "duration_s": self.scenario.duration,
            "warmup_s": self.scenario.warmup,
            "baseline": self.scenario.baseline,
            "summary": summary,
            "targets": latency_targets(self.scenario, summary),
            "rounds": [summarise([window]) for window in self.windows],
            "memory_at_end": self.memory,
        }


def latency_targets(scenario: Scenario, summary: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if scenario.p95_target_ms is not None:
        p95 = summary["p95_ms"]
        met = isinstance(p95, float) and p95 <= scenario.p95_target_ms and not summary["errors"]
        found.append(
            {"figure": "p95_ms", "at_most": scenario.p95_target_ms, "value": p95, "met": met}
        )
    if scenario.max_target_ms is not None:
        slowest = summary["max_ms"]
        met = (
            isinstance(slowest, float)
            and slowest <= scenario.max_target_ms
            and not summary["errors"]
        )
        found.append(
            {"figure": "max_ms", "at_most": scenario.max_target_ms, "value": slowest, "met": met}
        )
    if (least := scenario.items_per_s_at_least) is not None:
        rate = summary["items_per_s"]
        met = isinstance(rate, float) and rate >= least and not summary["errors"]
        found.append({"figure": "items_per_s", "at_least": least, "value": rate, "met": met})
    return found


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def plan_for(
    scenario: Scenario, suite: Suite, loaded: Loaded, measured: float, round_index: int = 0
) -> Plan:
    """The round's requests. With `closed_loop_requests`, round `r` takes indices from
    `r × count` on: a scenario whose requests create records (one per person and day) sends
    fresh ones each round. Others send the same requests every round."""
    target = scenario.target
    first = 0
    if scenario.closed_loop_requests:
        count = scenario.closed_loop_requests
        first = round_index * count
    elif scenario.closed_loop:
        count = CLOSED_LOOP_REQUESTS
    else:
        count = round((scenario.warmup + measured) * scenario.rate)
    indices = range(first, first + count)
    base = loaded.base_url or suite.url(target.service)
    data = loaded.data
    return Plan(
        method=target.method,
        url=f"{base}{target.path}" if target.paths is None else base,
        headers=dict(target.headers),
        bodies=[target.body(index, data) for index in indices],
        rate=scenario.rate,
        check=target.check,
        paths=None if target.paths is None else [target.paths(i, data) for i in indices],
        count=target.count,
        concurrency=scenario.concurrency,
        duration=scenario.warmup + measured,
        header_sets=None
        if target.headers_for is None
        else [target.headers_for(i, data) for i in indices],
    )


def run_round(
    scenario: Scenario,
    suite: Suite,
    loaded: Loaded,
    measured: float,
    label: str,
    round_index: int = 0,
) -> Window:
    waited = wait_until_quiet(suite)
    if waited > 1:
        log(f"waited {waited:.0f} s for the suite to go quiet")
    plan = plan_for(scenario, suite, loaded, measured, round_index)
    servers = servers_cpu_seconds(suite, loaded)
    run = run_in_own_process(plan)
    wait_until_quiet(suite)  # what the round left to do (the outbox relay's catching up) counts
    used = cpu_used(servers, servers_cpu_seconds(suite, loaded))
    answered = max(1, len(run.records))
    per_request = {name: round(1e6 * cpu / answered, 1) for name, cpu in used.items() if cpu > 0}
    window = Window(run, scenario.warmup, measured, per_request)
    figures = summarise([window])
    items = f", {figures['items_mean']} items/response" if figures["items_mean"] is not None else ""
    busy = sorted(per_request.items(), key=lambda item: -item[1])[:3]
    cpu = ", ".join(f"{name} {us:.0f}" for name, us in busy)
    log(
        f"{scenario.name}{label}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, {figures['throughput_rps']} req/s, "
        f"{figures['errors']} errors{items}; CPU µs/request: {cpu}"
    )
    return window


def servers_cpu_seconds(suite: Suite, loaded: Loaded) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by each process of each suite component and each server the
    scenario started (a baseline's), descendants included (PostgreSQL's backends); under the
    key `-root`, what the component's reaped children used (a backend that exited)."""
    tree = children_by_parent()
    roots = suite_roots(suite) | loaded.processes
    return {
        name: {pid: cpu_seconds(pid) for pid in process_tree(root, tree)}
        | {-root: reaped_cpu_seconds(root)}
        for name, root in roots.items()
    }


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict:
    """CPU seconds each component used between the two samples, process by process (a process
    new since `before` counts from 0; one gone since is in its parent's reaped time)."""
    return {
        name: sum(cpu - before.get(name, {}).get(pid, 0.0) for pid, cpu in pids.items())
        for name, pids in after.items()
    }


def load(scenario: Scenario, suite: Suite) -> Loaded:
    if scenario.load_data is None:
        return Loaded()
    log(f"{scenario.name}: loading its data")
    found = scenario.load_data(suite)
    return found if isinstance(found, Loaded) else Loaded(data=found)


def close(loaded: Loaded) -> None:
    if loaded.close is not None:
        loaded.close()


def sample_memory(suite: Suite, loaded: Loaded) -> dict[str, dict[str, int]]:
    return memory.sample_suite(suite, extra=loaded.processes)


def run_alone(scenario: Scenario, suite: Suite) -> Outcome:
    loaded = load(scenario, suite)
    try:
        window = run_round(scenario, suite, loaded, scenario.duration, "")
        return Outcome(scenario, [window], sample_memory(suite, loaded), loaded.facts)
    finally:
        close(loaded)


def run_with_baseline(scenario: Scenario, baseline: Scenario, suite: Suite) -> list[Outcome]:
    """Rounds A, B, A, B, …: each scenario's measured duration is split over the rounds."""
    loaded = load(scenario, suite)
    try:
        baseline_loaded = load(baseline, suite)
        try:
            return _interleave(scenario, loaded, baseline, baseline_loaded, suite)
        finally:
            close(baseline_loaded)
    finally:
        close(loaded)


def _interleave(
    scenario: Scenario, loaded: Loaded, baseline: Scenario, baseline_loaded: Loaded, suite: Suite
) -> list[Outcome]:
    rounds = max(1, scenario.rounds)
    ours: list[Window] = []
    theirs: list[Window] = []
    for number in range(1, rounds + 1):
        label = f" round {number}/{rounds}"
        index = number - 1
        ours.append(run_round(scenario, suite, loaded, scenario.duration / rounds, label, index))
        our_memory = sample_memory(suite, loaded)  # the last round's sample is the one reported
        measured = baseline.duration / rounds
        theirs.append(run_round(baseline, suite, baseline_loaded, measured, label, index))
        their_memory = sample_memory(suite, baseline_loaded)
    return [
        Outcome(scenario, ours, our_memory, loaded.facts),
        Outcome(baseline, theirs, their_memory, baseline_loaded.facts),
    ]


def _ratio(a: object, b: object) -> float | None:
    return round(a / b, 3) if isinstance(a, float) and isinstance(b, float) and b else None


def comparison(outcome: Outcome, baseline: Outcome) -> dict[str, Any]:
    """Open loop: the ratio of median latencies, pooled over the rounds and round by round.
    Closed loop: the ratio of throughputs round by round, and their median."""
    found: dict[str, Any] = {"scenario": outcome.scenario.name, "baseline": baseline.scenario.name}
    if outcome.scenario.closed_loop:
        found |= _throughput_ratios(outcome, baseline)
        figure = found["median_throughput_ratio"]
    else:
        found |= _latency_ratios(outcome, baseline)
        figure = found["ratio_of_medians"]
    if (least := outcome.scenario.ratio_at_least) is not None:
        found["target"] = {"at_least": least, "met": figure is not None and figure >= least}
    return found


def _throughput_ratios(outcome: Outcome, baseline: Outcome) -> dict[str, Any]:
    rounds: list[dict[str, Any]] = []
    pairs = zip(outcome.windows, baseline.windows, strict=True)
    for number, (mine, base) in enumerate(pairs, 1):
        a, b = summarise([mine])["throughput_rps"], summarise([base])["throughput_rps"]
        rounds.append(
            {
                "round": number,
                "throughput_rps": a,
                "baseline_throughput_rps": b,
                "ratio": _ratio(a, b),
                "server_cpu_us": round(sum(mine.server_cpu_us.values()), 1),
                "baseline_server_cpu_us": round(sum(base.server_cpu_us.values()), 1),
                "cpu_by_server_us": mine.server_cpu_us,
                "baseline_cpu_by_server_us": base.server_cpu_us,
            }
        )
    ratios = [r["ratio"] for r in rounds if r["ratio"] is not None]
    median = round(statistics.median(ratios), 3) if ratios else None
    return {"figure": "throughput", "median_throughput_ratio": median, "rounds": rounds}


def _latency_ratios(outcome: Outcome, baseline: Outcome) -> dict[str, Any]:
    ours, theirs = summarise(outcome.windows), summarise(baseline.windows)
    rounds: list[dict[str, Any]] = []
    pairs = zip(outcome.windows, baseline.windows, strict=True)
    for number, (mine, base) in enumerate(pairs, 1):
        a, b = summarise([mine])["p50_ms"], summarise([base])["p50_ms"]
        rounds.append({"round": number, "p50_ms": a, "baseline_p50_ms": b, "ratio": _ratio(a, b)})
    ratio = _ratio(ours["p50_ms"], theirs["p50_ms"])
    return {"figure": "latency", "ratio_of_medians": ratio, "rounds": rounds}


def run_all(
    names: list[str], scenarios: dict[str, Scenario], suite: Suite
) -> tuple[list[Outcome], list[dict[str, Any]]]:
    """Every named scenario once; one that is another's baseline runs with it, not again alone."""
    paired = baselines_of([scenarios[name] for name in names])
    outcomes: list[Outcome] = []
    comparisons = []
    for name in names:
        scenario = scenarios[name]
        if name in paired:
            continue
        if scenario.baseline is None:
            outcomes.append(run_alone(scenario, suite))
            continue
        ours, theirs = run_with_baseline(scenario, scenarios[scenario.baseline], suite)
        outcomes += [ours, theirs]
        comparisons.append(comparison(ours, theirs))
    return outcomes, comparisons
