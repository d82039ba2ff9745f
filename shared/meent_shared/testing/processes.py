"""A service as a real process (`uvicorn <service>.main:create_app`), for tests that show a request
does not hold up the others: the test's own event loop stays free to ask `/healthz` while a
hostile request is in flight."""

import signal
import subprocess
import time
from dataclasses import dataclass

import httpx

from meent_shared.testing.helpers import spawn


@dataclass
class ServiceProcess:
    url: str
    database_url: str
    nats_url: str


def start_uvicorn(service: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    args = ["-m", "uvicorn", f"{service}.main:create_app", "--factory", "--port", str(port)]
    process = spawn([*args, "--host", "127.0.0.1", "--no-access-log"], env).process
    try:
        wait_ready(service, f"http://127.0.0.1:{port}", process)
    except BaseException:
        stop(process)
        raise
    return process


def wait_ready(service: str, url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{service} exited on start-up"
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{service} did not become ready within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # a process stuck in a request does not get to its signal
        process.kill()
        process.wait(timeout=10)
