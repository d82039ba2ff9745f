"""A private PostgreSQL 15 + PostGIS cluster from the distribution's packages.

PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` user
(which owns the cluster's folder, placed where it can reach it: see pg_home); as anyone else, as
that user.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg

from meent_shared.local.pg_home import cluster_home, delete_home, prepare_home, running_as_root
from meent_shared.local.pidfiles import identity_of

DEFAULT_BINDIR = Path("/usr/lib/postgresql/15/bin")
# For tests only: durability traded for speed. A lost test database costs nothing.
FAST_UNSAFE_OPTIONS = ("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")


def _bindir() -> Path:
    if env := os.environ.get("MEENT_PG_BINDIR"):
        return Path(env)
    if (DEFAULT_BINDIR / "postgres").exists():
        return DEFAULT_BINDIR
    if pg_config := shutil.which("pg_config"):
        return Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
    raise RuntimeError("PostgreSQL 15 not found: run `make setup` (or set MEENT_PG_BINDIR)")


class LocalPostgres:
    def __init__(self, base_dir: Path, port: int, *, fast_unsafe: bool = False):
        self.requested_dir = base_dir
        self.base_dir = cluster_home(base_dir)
        self.port = port
        self.fast_unsafe = fast_unsafe
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir / "run"
        self.log_file = self.base_dir / "server.log"
        self.bindir = _bindir()

    def _cmd(self, name: str, *args: str) -> list[str]:
        command = [str(self.bindir / name), *args]
        return ["runuser", "-u", "postgres", "--", *command] if running_as_root() else command

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def initialise(self) -> None:
        """Create the cluster unless it exists (a second `make run` keeps its data)."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        prepare_home(self.requested_dir, self.base_dir)
        self.socket_dir.mkdir(exist_ok=True)
        if running_as_root():
            shutil.chown(self.socket_dir, "postgres", "postgres")
        args = ("-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        subprocess.run(
            self._cmd("initdb", *args, "--locale=C.UTF-8"), check=True, capture_output=True
        )

    def is_running(self) -> bool:
        status = subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.data_dir), "status"), capture_output=True
        )
        return status.returncode == 0

    def stop_leftover(self) -> None:
        """Stop the server a killed launcher left on this cluster. A postmaster.pid whose process
        is gone, or is another program now, is removed: it would keep PostgreSQL from starting."""
        lock = self.data_dir / "postmaster.pid"
        try:
            process = identity_of(int(lock.read_text().split("\n", 1)[0]))
        except (OSError, ValueError):
            return
        if process is None or not process.command or Path(process.command[0]).name != "postgres":
            lock.unlink(missing_ok=True)
        elif str(self.data_dir) in process.command:
            self.stop()
        else:
            raise RuntimeError(f"a PostgreSQL server not started here runs on {self.data_dir}")

    def start(self) -> None:
        self.initialise()
        self.stop_leftover()
        options = [
            f"-p {self.port}",
            f"-k {self.socket_dir}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=300",
            *(FAST_UNSAFE_OPTIONS if self.fast_unsafe else ()),
        ]
        result = subprocess.run(
            self._cmd(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                " ".join(options),
                "start",
            ),
            capture_output=True,
            text=True,
            # Its own session: a terminal's Ctrl-C must not shut the server down under the services.
            start_new_session=True,
        )
        if result.returncode != 0:
            log_tail = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log_tail}")
        self._wait_accepting()

    def _wait_accepting(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.data_dir.exists() and self.is_running():
            subprocess.run(
                self._cmd("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"),
                check=True,
                capture_output=True,
            )

    def delete(self) -> None:
        """Stop the server and remove the cluster, wherever it lives."""
        self.stop()
        delete_home(self.requested_dir, self.base_dir)

    def execute(self, sql: str, database: str = "postgres") -> None:
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql.encode())

    def database_exists(self, name: str) -> bool:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    def create_database(self, name: str, template: str | None = None) -> None:
        suffix = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{suffix}')

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def versions(self, database: str) -> str:
        """Server and PostGIS versions, as a database that uses PostGIS reports them."""
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            pg = conn.execute("SHOW server_version").fetchone()
            gis = conn.execute("SELECT postgis_lib_version()").fetchone()
        return f"PostgreSQL {pg[0] if pg else '?'} + PostGIS {gis[0] if gis else '?'}"
