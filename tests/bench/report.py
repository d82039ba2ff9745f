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
request is in `requests.csv` beside this file.

A scenario marked *closed loop* is a throughput figure instead: a fixed number of clients, each
sending its next request as soon as the previous one is answered (latency then runs from each
request's actual start); with a baseline, the figure is the ratio of their throughputs, round by
round, and its median. *Targets* are the issue's: a p95 passes when it is at most the target and
no request failed; a ratio passes when its median is at least the target."""

LATENCY_HEADER = ["p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "throughput (req/s)", "errors"]
PASS, FAIL = "✅ pass", "❌ FAIL"
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


def _load(s: dict[str, Any]) -> str:
    if s.get("concurrency"):
        return f"closed loop, {s['concurrency']} clients"
    return f"{s['rate_rps']:g} req/s"


def _target_text(t: dict[str, Any]) -> str:
    if t["figure"] == "items_per_s":
        return f"≥ {t['at_least']:,g} items/s"
    if t["figure"] == "max_ms":
        return f"every answer ≤ {t['at_most']:g} ms"
    return f"p95 ≤ {t['at_most']:g} ms"


def _p95_target(s: dict[str, Any]) -> tuple[str | None, str | None]:
    for t in s.get("targets", []):
        return _target_text(t), PASS if t["met"] else FAIL
    return None, None


def _latency_table(scenarios: list[dict[str, Any]]) -> list[str]:
    header = ["scenario", "request", "load", "measured (s)", "requests", *LATENCY_HEADER]
    rows = []
    for s in scenarios:
        f, t = s["summary"], s["target"]
        request = f"`{t['method']} {t['service']}{t['path']}`"
        measured, error_rate = f"{f['measured_s']:g}", f"{f['error_rate']:.2%}"
        target, mark = _p95_target(s)
        rows.append(
            [
                s["name"],
                request,
                _load(s),
                measured,
                f["requests"],
                *_figures(f),
                error_rate,
                target,
                mark,
            ]
        )
    return _table([*header, "error rate", "target", "result"], rows)


def _responses(scenarios: list[dict[str, Any]]) -> list[str]:
    rows = []
    for s in scenarios:
        f = s["summary"]
        if f.get("response_kb_mean") is None:
            continue
        items = None
        if f.get("items_mean") is not None:
            items = f"{f['items_mean']:g} ({f['items_min']}–{f['items_max']})"
        rows.append([s["name"], items, f.get("items_per_s"), f["response_kb_mean"]])
    header = [
        "scenario",
        "items (features, rows) per response: mean (min–max)",
        "items/s",
        "KB per response (mean)",
    ]
    return ["## Responses", "", *_table(header, rows)] if rows else []


def _targets(results: dict[str, Any]) -> list[str]:
    rows: list[list[object]] = []
    for s in results["scenarios"]:
        for t in s.get("targets", []):
            unit = " items/s" if t["figure"] == "items_per_s" else " ms"
            rows.append(
                [
                    s["name"],
                    _target_text(t),
                    f"{_cell(t['value'])}{unit}",
                    PASS if t["met"] else FAIL,
                ]
            )
    for c in results["comparisons"]:
        if "target" not in c:
            continue
        figure = c.get("median_throughput_ratio", c.get("ratio_of_medians"))
        what = "median throughput ratio" if c.get("figure") == "throughput" else "ratio"
        rows.append(
            [
                f"{c['scenario']} / {c['baseline']}",
                f"{what} ≥ {c['target']['at_least']:g}",
                _cell(figure),
                PASS if c["target"]["met"] else FAIL,
            ]
        )
    return (
        ["## Targets", "", *_table(["scenario", "target", "measured", "result"], rows)]
        if rows
        else []
    )


def _comparisons(comparisons: list[dict[str, Any]]) -> list[str]:
    lines = ["## Ratios (interleaved with their baseline)", ""]
    for c in comparisons:
        if c.get("figure") == "throughput":
            lines += _throughput_comparison(c)
            continue
        ratio = _cell(c["ratio_of_medians"])
        lines += [f"**{c['scenario']} / {c['baseline']}**: ratio of medians **{ratio}**", ""]
        header = ["round", f"{c['scenario']} p50 (ms)", f"{c['baseline']} p50 (ms)", "ratio"]
        rows = [[r["round"], r["p50_ms"], r["baseline_p50_ms"], r["ratio"]] for r in c["rounds"]]
        lines += _table(header, rows)
    return lines


def _throughput_comparison(c: dict[str, Any]) -> list[str]:
    ratio = _cell(c["median_throughput_ratio"])
    verdict = ""
    if "target" in c:
        mark = PASS if c["target"]["met"] else FAIL
        verdict = f" (target ≥ {c['target']['at_least']:g}: {mark})"
    lines = [
        f"**{c['scenario']} / {c['baseline']}** (closed loop): median throughput ratio "
        f"**{ratio}**{verdict}",
        "",
    ]
    header = [
        "round",
        f"{c['scenario']} (req/s)",
        f"{c['baseline']} (req/s)",
        "ratio",
        "server CPU µs/request (ours / theirs)",
    ]
    rows = [
        [
            r["round"],
            r["throughput_rps"],
            r["baseline_throughput_rps"],
            r["ratio"],
            f"{r.get('server_cpu_us', 0):,.0f} / {r.get('baseline_server_cpu_us', 0):,.0f}",
        ]
        for r in c["rounds"]
    ]
    note = (
        "Server CPU: every suite process and the baseline's server, PostgreSQL's backends "
        "included, per request answered (warm-up included); on a shared machine a steadier "
        "figure than throughput."
    )
    return lines + _table(header, rows) + ["", note]


def _fact(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fact(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_fact(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _data(results: dict[str, Any]) -> list[str]:
    lines = []
    for title, facts in results.get("data", {}).items():
        lines += [f"## Scenario data: {title}", ""]
        tables: list[str] = []
        for key, value in facts.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                header = list(value[0])
                tables += [f"**{key}**", "", *_table(header, [list(v.values()) for v in value])]
            else:
                lines.append(f"- **{key}**: {_fact(value)}")
        lines += ["", *tables]
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
    rows = []
    for s in scenarios:
        lags = ["–", "–"] if s.get("concurrency") else [s["summary"][key] for key in keys[:2]]
        rows.append([s["name"], *lags, s["summary"][keys[2]]])
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


def summary_tables(results: dict[str, Any]) -> str:
    """The targets and the latency table, for the terminal at the end of a run."""
    lines = _targets(results) + ["## Latency and throughput", ""]
    lines += _latency_table(results["scenarios"]) + _responses(results["scenarios"])
    if results["comparisons"]:
        lines += _comparisons(results["comparisons"])
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    scenarios = results["scenarios"]
    lines = ["# meent benchmark report", "", HOW_TO_READ, ""]
    lines += _targets(results)
    lines += ["## Latency and throughput", "", *_latency_table(scenarios)]
    if results["comparisons"]:
        lines += _comparisons(results["comparisons"])
    lines += _responses(scenarios) + _rounds(scenarios) + _errors(scenarios)
    lines += _generator(scenarios) + _data(results) + _memory(scenarios) + _machine(results)
    return "\n".join(lines)
