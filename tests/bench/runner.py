"""Runs scenarios against a started suite: alone, or interleaved with their baseline."""

import sys
from dataclasses import dataclass
from typing import Any

from meent_shared.local.suite import Suite
from tests.bench import memory
from tests.bench.loadgen import Plan, run_in_own_process
from tests.bench.scenarios import Scenario, baselines_of
from tests.bench.settle import wait_until_quiet
from tests.bench.stats import Window, summarise


@dataclass
class Outcome:
    scenario: Scenario
    windows: list[Window]
    memory: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, Any]:
        target = self.scenario.target
        return {
            "name": self.scenario.name,
            "description": self.scenario.description,
            "target": {"service": target.service, "method": target.method, "path": target.path},
            "rate_rps": self.scenario.rate,
            "duration_s": self.scenario.duration,
            "warmup_s": self.scenario.warmup,
            "baseline": self.scenario.baseline,
            "summary": summarise(self.windows),
            "rounds": [summarise([window]) for window in self.windows],
            "memory_at_end": self.memory,
        }


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def plan_for(scenario: Scenario, suite: Suite, data: Any, measured: float) -> Plan:
    target = scenario.target
    count = round((scenario.warmup + measured) * scenario.rate)
    return Plan(
        method=target.method,
        url=f"{suite.url(target.service)}{target.path}",
        headers=dict(target.headers),
        bodies=[target.body(index, data) for index in range(count)],
        rate=scenario.rate,
        check=target.check,
    )


def run_round(scenario: Scenario, suite: Suite, data: Any, measured: float, label: str) -> Window:
    waited = wait_until_quiet(suite)
    if waited > 1:
        log(f"waited {waited:.0f} s for the suite to go quiet")
    run = run_in_own_process(plan_for(scenario, suite, data, measured))
    window = Window(run, scenario.warmup, measured)
    figures = summarise([window])
    log(
        f"{scenario.name}{label}: p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
        f"{figures['throughput_rps']} req/s, {figures['errors']} errors"
    )
    return window


def load(scenario: Scenario, suite: Suite) -> Any:
    if scenario.load_data is None:
        return None
    log(f"{scenario.name}: loading its data")
    return scenario.load_data(suite)


def run_alone(scenario: Scenario, suite: Suite) -> Outcome:
    window = run_round(scenario, suite, load(scenario, suite), scenario.duration, "")
    return Outcome(scenario, [window], memory.sample_suite(suite))


def run_with_baseline(scenario: Scenario, baseline: Scenario, suite: Suite) -> list[Outcome]:
    """Rounds A, B, A, B, …: each scenario's measured duration is split over the rounds."""
    data, baseline_data = load(scenario, suite), load(baseline, suite)
    rounds = max(1, scenario.rounds)
    ours: list[Window] = []
    theirs: list[Window] = []
    for number in range(1, rounds + 1):
        label = f" round {number}/{rounds}"
        ours.append(run_round(scenario, suite, data, scenario.duration / rounds, label))
        our_memory = memory.sample_suite(suite)  # the last round's sample is the one reported
        theirs.append(run_round(baseline, suite, baseline_data, baseline.duration / rounds, label))
        their_memory = memory.sample_suite(suite)
    return [Outcome(scenario, ours, our_memory), Outcome(baseline, theirs, their_memory)]


def _ratio(a: object, b: object) -> float | None:
    return round(a / b, 3) if isinstance(a, float) and isinstance(b, float) and b else None


def comparison(outcome: Outcome, baseline: Outcome) -> dict[str, Any]:
    """The ratio of medians, pooled over the rounds and round by round."""
    ours, theirs = summarise(outcome.windows), summarise(baseline.windows)
    rounds = []
    for number, (mine, base) in enumerate(zip(outcome.windows, baseline.windows, strict=True), 1):
        a, b = summarise([mine])["p50_ms"], summarise([base])["p50_ms"]
        rounds.append({"round": number, "p50_ms": a, "baseline_p50_ms": b, "ratio": _ratio(a, b)})
    return {
        "scenario": outcome.scenario.name,
        "baseline": baseline.scenario.name,
        "ratio_of_medians": _ratio(ours["p50_ms"], theirs["p50_ms"]),
        "rounds": rounds,
    }


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
