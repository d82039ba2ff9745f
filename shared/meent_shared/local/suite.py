"""The whole suite on one machine: PostgreSQL + PostGIS and NATS under a folder (its streams
provisioned by the administrator, as operators do), the four services and the gateway as uvicorn
processes. `make run` uses it with the local-mode ports; the end-to-end
tests use it with free ports and a scratch folder."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from meent_shared.events.provision import ProvisionSettings, provision_when_reachable
from meent_shared.local.nats import LocalNats
from meent_shared.local.pidfiles import record, recorded_process, stop_recorded
from meent_shared.local.ports import free_port, port_is_free
from meent_shared.local.postgres import LocalPostgres
from meent_shared.migrations import upgrade
from meent_shared.settings import (
    LOCAL_GATEWAY_OPERATIONS_PORT,
    LOCAL_NATS_ADMIN,
    LOCAL_NATS_MONITOR_PORT,
    LOCAL_NATS_PORT,
    LOCAL_PG_PORT,
    SERVICE_PORTS,
    Mode,
    local_nats_password,
)

SERVICES = ("commons", "volunteers", "spaces", "grants")


@dataclass(frozen=True)
class SuitePorts:
    postgres: int = LOCAL_PG_PORT
    nats: int = LOCAL_NATS_PORT
    nats_monitor: int = LOCAL_NATS_MONITOR_PORT
    http: dict[str, int] = field(default_factory=lambda: dict(SERVICE_PORTS))
    gateway_operations: int = LOCAL_GATEWAY_OPERATIONS_PORT

    @classmethod
    def free(cls) -> "SuitePorts":
        http = {name: free_port() for name in SERVICE_PORTS}
        return cls(free_port(), free_port(), free_port(), http, free_port())

    def all(self) -> dict[str, int]:
        return {
            "postgres": self.postgres,
            "nats": self.nats,
            "nats monitor": self.nats_monitor,
            **self.http,
            "gateway operations": self.gateway_operations,
        }


def last_lines(log: Path, count: int = 30) -> str:
    """The end of a process's log, for the error that says it died (the folder may be gone when
    someone reads the error, as in CI)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-count:])
    except OSError as error:
        return f"(no log: {error})"


class Suite:
    def __init__(self, root: Path, var_dir: Path, ports: SuitePorts, *, fast_unsafe: bool = False):
        self.root = root
        self.var_dir = var_dir.resolve()
        self.ports = ports
        self.logs = self.var_dir / "logs"
        self.run_dir = self.var_dir / "run"  # pid files: the suite's owner and each process
        self.postgres = LocalPostgres(
            self.var_dir / "postgres", ports.postgres, fast_unsafe=fast_unsafe
        )
        self.nats = LocalNats(self.var_dir / "nats" / "jetstream", ports.nats, ports.nats_monitor)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        # Whether this run owns the folder's servers: a start refused because another run is
        # alive (or its ports are busy) must not stop that run's PostgreSQL on the way out.
        self.owns_servers = False

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports.http[name]}"

    @property
    def operations_url(self) -> str:
        """The gateway's operators' listener: its /metrics and /readyz with the checks."""
        return f"http://127.0.0.1:{self.ports.gateway_operations}"

    def database_url(self, service: str) -> str:
        return self.postgres.url(f"meent_{service}")

    def check_ports(self) -> None:
        busy = [
            f"{name} ({port})" for name, port in self.ports.all().items() if not port_is_free(port)
        ]
        if busy:
            raise RuntimeError(f"ports in use: {', '.join(busy)} — is meent already running?")

    def stop_leftovers(self) -> None:
        """Stop what an earlier run on this folder left running when it was killed (SIGKILL, a
        closed terminal): its services, NATS, PostgreSQL. Refuses while that run is still alive."""
        owner = recorded_process(self.run_dir / "suite.pid")
        if owner is not None and owner.pid != os.getpid():
            raise RuntimeError(
                f"meent already runs from {self.var_dir} (process {owner.pid}): stop it first"
            )
        for name in ("gateway", *SERVICES):
            if stop_recorded(self.run_dir / f"{name}.pid"):
                print(f"stopped {name}, left running by an earlier run", file=sys.stderr)
        self.nats.stop_leftover()
        self.postgres.stop_leftover()

    def start(self, timeout: float = 90) -> None:
        self.stop_leftovers()
        self.check_ports()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        record(self.run_dir / "suite.pid", os.getpid())
        self.owns_servers = True
        self.postgres.start()
        self.nats.start()
        self.provision_streams()
        for service in (*SERVICES, "gateway"):
            self._migrate(service)
        for service in SERVICES:
            app = f"{service}.main:create_app"
            self._spawn(
                service, ["uvicorn", app, "--factory", "--no-access-log", *self._listen(service)]
            )
        self._spawn("gateway", ["gateway.serve", *self._listen("gateway")])
        self.wait_ready(timeout)

    def provision_streams(self) -> None:
        """Create (or bring in line) the streams as the administrator, as operators do: the
        services may not. Limits from MEENT_STREAM_* like the services read."""
        settings = ProvisionSettings(
            mode=Mode.local,
            nats_url=self.nats.url,
            nats_admin_user=LOCAL_NATS_ADMIN,
            nats_admin_password=local_nats_password(LOCAL_NATS_ADMIN),
        )
        asyncio.run(provision_when_reachable(settings, within=20))

    def _migrate(self, service: str) -> None:
        name = f"meent_{service}"
        if not self.postgres.database_exists(name):
            self.postgres.create_database(name)
        folder = self.root / "gateway" if service == "gateway" else self.root / "services" / service
        upgrade(folder, self.database_url(service))

    def _base_env(self) -> dict[str, str]:
        env = {**os.environ, "MEENT_MODE": "local", "MEENT_NATS_URL": self.nats.url}
        env["MEENT_PUBLIC_URL"] = self.url("gateway")
        return env

    def _service_env(self, service: str) -> dict[str, str]:
        return {
            **self._base_env(),
            "MEENT_DATABASE_URL": self.database_url(service),
            # Each process is its own NATS user (the config LocalNats writes holds them all).
            "MEENT_NATS_USER": service,
            "MEENT_NATS_PASSWORD": local_nats_password(service),
            # spaces keeps attachments' bytes in this folder's var/, like the databases.
            "MEENT_ATTACHMENTS_DIR": str(self.var_dir / "attachments"),
        }

    def _gateway_env(self) -> dict[str, str]:
        env = self._service_env("gateway")
        for service in SERVICES:
            env[f"MEENT_{service.upper()}_URL"] = self.url(service)
        env["MEENT_OPERATIONS_PORT"] = str(self.ports.gateway_operations)
        return env

    def _listen(self, name: str) -> list[str]:
        return ["--host", "127.0.0.1", "--port", str(self.ports.http[name])]

    def _spawn(self, name: str, module_and_args: list[str]) -> None:
        env = self._gateway_env() if name == "gateway" else self._service_env(name)
        # The child keeps its own copy of the log's descriptor.
        with open(self.logs / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", *module_and_args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                # Its own session: a terminal's Ctrl-C reaches the launcher, which stops it in order.
                start_new_session=True,
            )
        record(self.run_dir / f"{name}.pid", self.processes[name].pid)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = set(self.processes)
        while waiting:
            for name in sorted(waiting):
                process = self.processes[name]
                if process.poll() is not None:
                    log = self.logs / (name + ".log")
                    raise RuntimeError(
                        f"{name} exited with {process.returncode}; see {log}, which ends:\n"
                        + last_lines(log)
                    )
                try:
                    if httpx.get(f"{self.url(name)}/readyz", timeout=2).status_code == 200:
                        waiting.discard(name)
                except httpx.HTTPError:
                    pass
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(sorted(waiting))}")
            time.sleep(0.2)

    def stop(self) -> None:
        if not self.owns_servers:
            return
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for name in self.processes:
            (self.run_dir / f"{name}.pid").unlink(missing_ok=True)
        self.processes.clear()
        self.nats.stop()
        self.postgres.stop()
        (self.run_dir / "suite.pid").unlink(missing_ok=True)
        self.owns_servers = False
