"""`make run`'s launcher: the whole suite as real processes, ready, talking by events, keeping its
data across a restart, and starting again after being killed. Runs on free ports in a scratch
folder, beside any running suite."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from meent_shared.auth import issue_token
from meent_shared.local.pidfiles import ProcessIdentity, identity_of, recorded_process
from meent_shared.local.ports import port_is_free
from meent_shared.local.suite import SERVICES, Suite, SuitePorts
from meent_shared.settings import ServiceSettings
from meent_shared.testing.servers import make_scratch_dir

ROOT = Path(__file__).parents[1]


def bearer(sub: str, roles: list[str]) -> dict[str, str]:
    token = issue_token(ServiceSettings(mode="local"), sub=sub, roles=roles)
    return {"Authorization": f"Bearer {token}"}


def eventually(check, within: float = 30):
    deadline = time.monotonic() + within
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def suite():
    folder = make_scratch_dir("meent-suite-")
    running = Suite(ROOT, folder / "var", SuitePorts.free(), fast_unsafe=True)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_every_service_and_the_gateway_answer_ready(suite):
    for name in [*SERVICES, "gateway"]:
        answer = httpx.get(f"{suite.url(name)}/readyz", timeout=5)
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["status"] == "ready"


def test_a_project_flows_from_spaces_to_volunteers_and_its_hours_to_grants(suite):
    project = httpx.post(
        f"{suite.url('spaces')}/projects",
        json={"name": "Elisabeth groen"},
        headers=bearer("anna", ["citizen"]),
    ).json()
    known = f"{suite.url('volunteers')}/projects/{project['id']}"
    eventually(lambda: httpx.get(known).status_code == 200)
    # Members log hours: vera joins in spaces, and volunteers learns it by event.
    members = f"{suite.url('spaces')}/projects/{project['id']}/members"
    joined = httpx.post(members, json={}, headers=bearer("vera", ["citizen"]))
    assert joined.status_code == 201, joined.text
    hours = {
        "project_id": project["id"],
        "activity": "gardening",
        "minutes": 150,
        "worked_on": ServiceSettings(mode="local").today().isoformat(),  # the city's today
    }
    answers = []

    def logged() -> bool:
        answers.append(
            httpx.post(
                f"{suite.url('volunteers')}/hours", json=hours, headers=bearer("vera", ["citizen"])
            )
        )
        return answers[-1].status_code == 201

    assert eventually(logged), answers[-1].text
    entry = answers[-1].json()
    approved = httpx.post(
        f"{suite.url('volunteers')}/hours/{entry['id']}/approve", headers=bearer("ada", ["admin"])
    )
    assert approved.json()["status"] == "approved"
    totals = f"{suite.url('grants')}/projects/{project['id']}/hours"
    assert eventually(lambda: httpx.get(totals).json()["approved_minutes"] == 150)


def test_a_second_start_keeps_the_data(suite):
    created = httpx.post(
        f"{suite.url('spaces')}/projects",
        json={"name": "Plac Węglowy"},
        headers=bearer("piotr", ["citizen"]),
    ).json()
    suite.stop()
    suite.start()
    again = httpx.get(f"{suite.url('spaces')}/projects/{created['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == "Plac Węglowy"


class Launcher:
    """`make run`'s launcher, as a process of its own, on these ports and this folder."""

    def __init__(self, var: Path, ports: SuitePorts):
        names = {name.replace(" ", "-"): port for name, port in ports.all().items()}
        command = [sys.executable, "-m", "meent_shared.local.launcher", "--var-dir", str(var)]
        self.process = subprocess.Popen(
            [*command, *(f"--port={name}={port}" for name, port in names.items())],
            cwd=ROOT,
            env={**os.environ, "MEENT_MODE": "local"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_until_running(self) -> None:
        def says_running() -> bool:
            assert self.process.poll() is None, "".join(self.lines)
            return any(line.startswith("meent is running") for line in self.lines)

        eventually(says_running, within=120)


def processes_of(var: Path) -> set[ProcessIdentity]:
    """What the launcher started, by the pid files it keeps (and PostgreSQL's own)."""
    pid_files = [*(var / "run").glob("*.pid"), var / "nats" / "nats.pid"]
    found = {recorded_process(path) for path in pid_files}
    postmaster = var / "postgres" / "data" / "postmaster.pid"
    if postmaster.exists():
        found.add(identity_of(int(postmaster.read_text().split()[0])))
    return {process for process in found if process is not None}


def still_running(processes: set[ProcessIdentity]) -> set[ProcessIdentity]:
    return {process for process in processes if identity_of(process.pid) == process}


def test_a_launcher_killed_with_sigkill_leaves_nothing_in_the_way_of_the_next():
    var, ports = make_scratch_dir("meent-killed-") / "var", SuitePorts.free()
    first = Launcher(var, ports)
    second = None
    try:
        first.wait_until_running()
        left_behind = processes_of(var)
        assert len(left_behind) == 8  # PostgreSQL, NATS, four services, the gateway, the launcher
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        assert len(still_running(left_behind)) == 7  # all but the launcher itself

        second = Launcher(var, ports)
        second.wait_until_running()
        assert still_running(left_behind) == set()
        started_again = processes_of(var)
        assert len(started_again) == 8 and not started_again & left_behind

        second.process.send_signal(signal.SIGINT)  # Ctrl-C
        assert second.process.wait(timeout=60) == 0, "".join(second.lines)
        assert still_running(started_again) == set(), "".join(second.lines)
        assert all(port_is_free(port) for port in ports.all().values())
    finally:
        for run in (first, second):
            if run is not None and run.process.poll() is None:
                run.process.kill()
        Suite(ROOT, var, ports).stop_leftovers()
        shutil.rmtree(var.parent, ignore_errors=True)


def test_a_second_launcher_on_the_same_folder_refuses_and_leaves_the_first_running():
    var, ports = make_scratch_dir("meent-twice-") / "var", SuitePorts.free()
    first = Launcher(var, ports)
    try:
        first.wait_until_running()
        running = processes_of(var)
        second = Launcher(var, ports)
        assert second.process.wait(timeout=60) == 1
        second.reader.join(timeout=5)
        assert any("meent already runs from" in line for line in second.lines), second.lines
        assert still_running(running) == running
        gateway = f"http://127.0.0.1:{ports.http['gateway']}"
        assert httpx.get(f"{gateway}/readyz").json() == {"status": "ready"}
    finally:
        first.process.send_signal(signal.SIGINT)
        first.process.wait(timeout=60)
        shutil.rmtree(var.parent, ignore_errors=True)
