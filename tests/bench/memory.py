"""Memory of every suite process: PSS from `/proc/<pid>/smaps_rollup`.

PSS (proportional set size) divides each shared page among the processes that map it, so the
figures of several processes add up to what they cost together — which is why the postgres entry
can sum the postmaster and all its backends.
"""

from pathlib import Path

from meent_shared.local.suite import Suite

PROC = Path("/proc")


def pss_kb(pid: int) -> int | None:
    """The process's PSS in kB, or None when it is gone or unreadable."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children_by_parent() -> dict[int, list[int]]:
    """Every process's children, from one pass over /proc."""
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": the command may hold spaces and parentheses.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def process_tree(pid: int, tree: dict[int, list[int]]) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(tree.get(current, []))
    return found


def tree_pss(pid: int, tree: dict[int, list[int]]) -> dict[str, int]:
    """PSS summed over a process and its descendants."""
    sizes = [size for p in process_tree(pid, tree) if (size := pss_kb(p)) is not None]
    return {"pss_kb": sum(sizes), "processes": len(sizes)}


def postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def suite_roots(suite: Suite) -> dict[str, int]:
    """The pid at the top of each suite component: uvicorn processes, the postmaster, nats-server."""
    roots = {name: process.pid for name, process in sorted(suite.processes.items())}
    if (postmaster := postmaster_pid(suite.postgres.data_dir)) is not None:
        roots["postgres"] = postmaster
    if suite.nats.process is not None:
        roots["nats-server"] = suite.nats.process.pid
    return roots


def sample_suite(suite: Suite, extra: dict[str, int] | None = None) -> dict[str, dict[str, int]]:
    """PSS per suite component, each with its descendants, and the total; `extra` names other
    processes (a baseline's server) to show too, left out of the total."""
    tree = children_by_parent()
    sample = {name: tree_pss(pid, tree) for name, pid in suite_roots(suite).items()}
    others = {name: tree_pss(pid, tree) for name, pid in (extra or {}).items()}
    sample["total"] = {
        "pss_kb": sum(entry["pss_kb"] for entry in sample.values()),
        "processes": sum(entry["processes"] for entry in sample.values()),
    }
    return sample | {f"{name} (not in the total)": entry for name, entry in others.items()}
