"""Figures from the generator's records: latency percentiles, throughput, errors."""

import math
from collections import Counter
from dataclasses import dataclass, field

from tests.bench.loadgen import Record, Run


@dataclass(frozen=True)
class Window:
    """One round's records, and the part of them that is measured (after the warm-up)."""

    run: Run
    warmup: float
    duration: float
    # CPU µs per request (warm-up included) of each server component, while the round ran
    server_cpu_us: dict[str, float] = field(default_factory=dict)

    @property
    def records(self) -> list[Record]:
        return self.run.records

    @property
    def measured(self) -> list[Record]:
        return [r for r in self.records if r.scheduled >= self.warmup]

    @property
    def elapsed(self) -> float:
        """The measured duration, stretched to the last response when the server fell behind."""
        ends = [r.scheduled + r.latency for r in self.measured]
        return max(self.duration, max(ends, default=0.0) - self.warmup)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of values sorted ascending (nan when there are none)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(windows: list[Window]) -> dict[str, object]:
    """Figures over the measured records of one or more rounds, latencies in milliseconds."""
    measured = [r for w in windows for r in w.measured]
    latencies = sorted(r.latency * 1000 for r in measured)
    lags = sorted(r.start_lag * 1000 for r in measured)
    errors = Counter(r.error for r in measured if r.error is not None)
    failed = sum(errors.values())
    elapsed = sum(w.elapsed for w in windows)
    generator_cpu = sum(w.run.cpu_seconds for w in windows)
    generator_wall = sum(w.run.wall_seconds for w in windows)
    items = [r.items for r in measured if r.items is not None]
    answered = [r.size for r in measured if r.error is None]
    counted = sum(r.items for r in measured if r.items is not None and r.error is None)
    return {
        "requests": len(measured),
        "measured_s": round(sum(w.duration for w in windows), 3),
        "p50_ms": _ms(percentile(latencies, 0.50)),
        "p95_ms": _ms(percentile(latencies, 0.95)),
        "p99_ms": _ms(percentile(latencies, 0.99)),
        "max_ms": _ms(latencies[-1] if latencies else math.nan),
        "throughput_rps": round((len(measured) - failed) / elapsed, 2) if elapsed else 0.0,
        "errors": failed,
        "error_rate": round(failed / len(measured), 4) if measured else 0.0,
        "error_kinds": dict(errors.most_common()),
        "items_mean": round(sum(items) / len(items), 1) if items else None,
        "items_min": min(items, default=None),
        "items_max": max(items, default=None),
        "items_per_s": round(counted / elapsed, 1) if items and elapsed else None,
        "response_kb_mean": round(sum(answered) / len(answered) / 1024, 1) if answered else None,
        "generator_lag_p50_ms": _ms(percentile(lags, 0.50)),
        "generator_lag_p99_ms": _ms(percentile(lags, 0.99)),
        "generator_cpu_cores": round(generator_cpu / generator_wall, 3) if generator_wall else None,
    }


def _ms(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)
