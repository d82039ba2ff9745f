"""Pid files for what local mode starts, so that a launcher killed without its clean-up (SIGKILL, a
closed terminal, a crash) leaves nothing the next start cannot find and stop.

A pid file holds the pid and what tells that very process from any other: its start time (clock
ticks after boot) and its command line, both from /proc (Linux). Before a signal is sent they are
read again; a pid the system has since given to another process is left alone.
"""

import json
import os
import signal
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessIdentity:
    pid: int
    started: str  # clock ticks after boot, /proc/<pid>/stat field 22
    command: tuple[str, ...]


def identity_of(pid: int) -> ProcessIdentity | None:
    """The running process `pid`, or None when there is none (or only its zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # Field 2, the name, may hold spaces and parentheses: count the fields after its last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    state, started = fields[0], fields[19]
    if state in ("Z", "X"):
        return None
    command = tuple(part.decode(errors="replace") for part in argv.split(b"\0") if part)
    return ProcessIdentity(pid, started, command)


def record(path: Path, pid: int) -> None:
    """Write the pid file of the process `pid` (just started by us)."""
    identity = identity_of(pid)
    # Popen may return while the child is still inside exec, its command line not yet there.
    deadline = time.monotonic() + 2
    while identity is not None and not identity.command and time.monotonic() < deadline:
        time.sleep(0.01)
        identity = identity_of(pid)
    if identity is None:
        return  # it has exited already: there is nothing to find later
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_suffix(".new")
    written.write_text(json.dumps(asdict(identity)))
    written.replace(path)  # at once: a reader never sees half a file


def recorded_process(path: Path) -> ProcessIdentity | None:
    """The process the pid file names, if that very process still runs."""
    try:
        saved = json.loads(path.read_text())
        given = ProcessIdentity(int(saved["pid"]), str(saved["started"]), tuple(saved["command"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return given if identity_of(given.pid) == given else None


def stop_recorded(path: Path, timeout: float = 15) -> bool:
    """Stop the process the pid file names, if it still runs; remove the file. Whether it ran."""
    process = recorded_process(path)
    if process is not None:
        stop_process(process, timeout)
    path.unlink(missing_ok=True)
    return process is not None


def stop_process(process: ProcessIdentity, timeout: float = 15) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it has not exited within `timeout` seconds."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.kill(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if identity_of(process.pid) != process:
                return
            time.sleep(0.05)
