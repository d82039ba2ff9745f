"""Facts about the machine and the code a run measured, for the report."""

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from meent_shared.local.suite import Suite


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def git_commit(root: Path) -> str:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return result.stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return f"{commit} (uncommitted changes)" if git("status", "--porcelain") else commit


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_total_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def facts(root: Path) -> dict[str, object]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(root),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_mb": _memory_total_mb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_start": load_average(),
    }


def server_versions(suite: Suite) -> dict[str, str]:
    """PostgreSQL + PostGIS and NATS, as the running servers report themselves."""
    try:
        postgres = suite.postgres.versions("meent_commons")
    except Exception as exc:  # a report without the version beats no report
        postgres = f"unknown ({type(exc).__name__})"
    try:
        nats = f"nats-server {suite.nats.version()}"
    except Exception as exc:
        nats = f"unknown ({type(exc).__name__})"
    return {"postgres": postgres, "nats": nats}
