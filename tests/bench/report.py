"""The report: `report.json` with every figure, `report.md` for people."""

import csv
import json
from pathlib import Path
from typing import Any

from tests.bench.runner import Outcome

HOW_TO_READ = """\
**How to read this.** Each scenario sends requests at a fixed rate on a precomputed schedule from
a load generator in its own process (open loop: it never waits for a response before sending the
next request). Latency runs from a request's *scheduled* start to the end of its response, so
queueing — in the generator or in the servers — counts: a suite that falls behind shows as rising
latency and throughput below the target rate, not as a politely slowed generator. Percentiles
cover every measured request, failed ones included (a failure is a non-200 answer, a GraphQL
`errors` member, or no answer within 10 s). Each round starts with a warm-up that the figures
leave out. Throughput counts successful responses per second of the measured time (stretched to
the last response when the suite fell behind). A scenario with a baseline runs in interleaved
rounds with it (A, B, A, B, …; its measured time split evenly over the rounds), so the noise of
this shared machine hits both alike: the **ratio of medians** is the figure to compare between
runs, more than absolute milliseconds. Before each round the harness waits until the suite is
idle. *Generator lag* is how late the generator itself sent requests (it shares the cores with
the suite); beyond a few ms the generator, not the suite, was short of CPU. Memory is PSS (pages
shared between processes divided among them, so rows add up), sampled after each scenario; every
request is in `requests.csv` beside this file."""

LATENCY_HEADER = ["p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "throughput (req/s)", "errors"]
CSV_HEADER = ["scenario", "round", "scheduled_s", "start_lag_ms", "latency_ms", "status", "error"]


def write(results: dict[str, Any], outcomes: list[Outcome], folder: Path) -> Path:
    """report.md, report.json, and requests.csv with every request; returns report.md's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(results, indent=2) + "\n")
    write_requests(outcomes, folder / "requests.csv")
    md_path = folder / "report.md"
    md_path.write_text(markdown(results))
    return md_path


def write_requests(outcomes: list[Outcome], path: Path) -> None:
    """One row per request, warm-up included (`measured` says which rows the figures use)."""
    with path.open("w", newline="") as file:
        out = csv.writer(file)
        out.writerow([*CSV_HEADER, "measured"])
        for outcome in outcomes:
            for number, window in enumerate(outcome.windows, 1):
                for r in window.records:
                    times = [
                        f"{r.scheduled:.4f}",
                        f"{r.start_lag * 1e3:.3f}",
                        f"{r.latency * 1e3:.3f}",
                    ]
                    measured = int(r.scheduled >= window.warmup)
                    out.writerow(
                        [outcome.scenario.name, number, *times, r.status, r.error, measured]
                    )


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _figures(f: dict[str, Any]) -> list[object]:
    return [f["p50_ms"], f["p95_ms"], f["p99_ms"], f["max_ms"], f["throughput_rps"], f["errors"]]


def _latency_table(scenarios: list[dict[str, Any]]) -> list[str]:
    header = ["scenario", "target", "rate (req/s)", "measured (s)", "requests", *LATENCY_HEADER]
    rows = []
    for s in scenarios:
        f, t = s["summary"], s["target"]
        target = f"`{t['method']} {t['service']}{t['path']}`"
        rate, measured, error_rate = (
            f"{s['rate_rps']:g}",
            f"{f['measured_s']:g}",
            f"{f['error_rate']:.2%}",
        )
        rows.append([s["name"], target, rate, measured, f["requests"], *_figures(f), error_rate])
    return _table([*header, "error rate"], rows)


def _comparisons(comparisons: list[dict[str, Any]]) -> list[str]:
    lines = ["## Ratios (interleaved with their baseline)", ""]
    for c in comparisons:
        ratio = _cell(c["ratio_of_medians"])
        lines += [f"**{c['scenario']} / {c['baseline']}**: ratio of medians **{ratio}**", ""]
        header = ["round", f"{c['scenario']} p50 (ms)", f"{c['baseline']} p50 (ms)", "ratio"]
        rows = [[r["round"], r["p50_ms"], r["baseline_p50_ms"], r["ratio"]] for r in c["rounds"]]
        lines += _table(header, rows)
    return lines


def _rounds(scenarios: list[dict[str, Any]]) -> list[str]:
    rows = [
        [s["name"], number, r["requests"], *_figures(r)]
        for s in scenarios
        if len(s["rounds"]) > 1
        for number, r in enumerate(s["rounds"], 1)
    ]
    header = ["scenario", "round", "requests", *LATENCY_HEADER]
    return ["## Round by round", "", *_table(header, rows)] if rows else []


def _generator(scenarios: list[dict[str, Any]]) -> list[str]:
    header = ["scenario", "lag p50 (ms)", "lag p99 (ms)", "CPU (cores)"]
    keys = ["generator_lag_p50_ms", "generator_lag_p99_ms", "generator_cpu_cores"]
    rows = [[s["name"], *(s["summary"][key] for key in keys)] for s in scenarios]
    return ["## Load generator", ""] + _table(header, rows)


def _errors(scenarios: list[dict[str, Any]]) -> list[str]:
    rows: list[list[object]] = [
        [s["name"], f"`{kind}`", count]
        for s in scenarios
        for kind, count in s["summary"]["error_kinds"].items()
    ]
    return ["## Errors", ""] + _table(["scenario", "error", "count"], rows) if rows else []


def _memory(scenarios: list[dict[str, Any]]) -> list[str]:
    names = list(dict.fromkeys(p for s in scenarios for p in s["memory_at_end"]))
    header = ["process (PSS, kB)"] + [f"after {s['name']}" for s in scenarios]
    rows = []
    for name in names:
        cells = []
        for s in scenarios:
            entry = s["memory_at_end"].get(name)
            cells.append(f"{entry['pss_kb']:,} ({entry['processes']} proc)" if entry else None)
        rows.append([f"**{name}**" if name == "total" else name, *cells])
    return ["## Memory", ""] + _table(header, rows)


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    rows = [
        ["date (UTC)", m["date"]],
        ["git commit", m["git_commit"]],
        ["cores", f"{m['cores']} × {m['cpu']}"],
        ["memory", f"{m['memory_mb']:,} MB"],
        ["kernel, Python", f"{m['kernel']}, Python {m['python']}"],
        ["load average (1, 5, 15 min) at start", ", ".join(map(str, m["load_average_start"]))],
        ["load average (1, 5, 15 min) at end", ", ".join(map(str, m["load_average_end"]))],
        ["servers", f"{m['servers']['postgres']}; {m['servers']['nats']}"],
        ["suite start-up", f"{results['suite_startup_s']:.1f} s"],
        ["wall time of the run", f"{results['wall_time_s']:.0f} s"],
    ]
    return ["## Machine and run", ""] + _table(["", ""], rows)


def markdown(results: dict[str, Any]) -> str:
    scenarios = results["scenarios"]
    lines = ["# meent benchmark report", "", HOW_TO_READ, "", "## Latency and throughput", ""]
    lines += _latency_table(scenarios)
    if results["comparisons"]:
        lines += _comparisons(results["comparisons"])
    lines += _rounds(scenarios) + _errors(scenarios) + _generator(scenarios)
    lines += _memory(scenarios) + _machine(results)
    return "\n".join(lines)
