"""commons as a real process, for tests that show a request does not hold up the others: the
test's own event loop stays free to ask `/healthz` while a hostile request is in flight."""

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from meent_shared.db import async_url
from meent_shared.local.ports import free_port
from meent_shared.testing.helpers import spawn


@dataclass
class CommonsProcess:
    url: str
    database_url: str


@pytest.fixture
def start_commons_process(
    make_database, clean_jetstream
) -> Iterator[Callable[..., CommonsProcess]]:
    """Start `uvicorn commons.main:create_app` on a free port and a database of its own, with any
    settings as MEENT_* variables; stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> CommonsProcess:
        port = free_port()
        database_url = make_database("commons")
        env = {
            "MEENT_DATABASE_URL": async_url(database_url),
            "MEENT_NATS_URL": clean_jetstream,
            **env,
        }
        args = ["-m", "uvicorn", "commons.main:create_app", "--factory", "--port", str(port)]
        server = spawn([*args, "--host", "127.0.0.1", "--no-access-log"], env)
        started.append(server.process)
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, server.process)
        return CommonsProcess(url, database_url)

    yield start
    for process in started:
        _stop(process)


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "commons exited on start-up"
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("commons did not become ready within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # a process stuck in a request does not get to its signal
        process.kill()
        process.wait(timeout=10)
