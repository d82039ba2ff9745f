"""meent's pytest plugin (registered through the `pytest11` entry point of meent-shared).

Per test run: one real PostgreSQL + PostGIS server and one real NATS JetStream server, on free
ports, and one migrated template database per service. Per test: a fresh database copied from the
template (a file copy, far cheaper than migrating), and clean JetStream streams, provisioned by the
administrator as operators would (`provision_streams`). An S3-compatible object store (SeaweedFS) only
for the tests that ask for `s3_server`.
"""

import asyncio
import importlib
import itertools
import signal
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.js.errors import ServerError

from meent_shared.auth import issue_token
from meent_shared.db import async_url
from meent_shared.events.nats_access import local_admin
from meent_shared.events.provision import provision
from meent_shared.events.streams import StreamLimits
from meent_shared.local.nats import LocalNats
from meent_shared.local.ports import free_port
from meent_shared.migrations import upgrade
from meent_shared.runtime import ServiceRuntime
from meent_shared.settings import Mode, ServiceSettings
from meent_shared.testing.object_store import SeaweedServer
from meent_shared.testing.processes import ServiceProcess, start_uvicorn, stop
from meent_shared.testing.servers import (
    NatsServer,
    PostgresServer,
    execute,
    jetstream_version,
    server_versions,
    start_nats,
    start_postgres,
)

SERVICES = ("commons", "volunteers", "spaces", "grants")
_facts: dict[str, str] = {}
_counter = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    # A run stopped from outside (`timeout`, a CI limit) gets SIGTERM, which by default ends Python
    # at once and leaves this run's PostgreSQL, NATS, SeaweedFS and service processes running.
    # As an interrupt, pytest unwinds: every fixture's teardown stops what it started.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt_on_sigterm)


def _interrupt_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt("SIGTERM: stopping the test servers")


def repo_root(config: pytest.Config) -> Path:
    return Path(config.rootpath)


def service_dir(config: pytest.Config, service: str) -> Path:
    root = repo_root(config)
    return root / "gateway" if service == "gateway" else root / "services" / service


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    _facts["postgres"] = f"{server.kind}, {server.url().rsplit('@', 1)[-1]}"
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    server = start_nats()
    _facts["nats"] = f"{jetstream_version(server.url)} ({server.kind}, {server.url})"
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedServer]:
    """A real S3-compatible server (SeaweedFS), started the first time a test asks for it
    (about 8 s) and kept for the run. Tests use a bucket of their own."""
    server = SeaweedServer()
    _facts["s3"] = f"SeaweedFS ({server.kind}, {server.endpoint_url})"
    yield server
    server.stop()


@pytest.fixture(scope="session")
def template_database(
    postgres_server: PostgresServer, pytestconfig: pytest.Config
) -> Callable[[str], str]:
    """`template_database(service)`: the name of the service's migrated template (made once)."""
    made: dict[str, str] = {}

    def template(service: str) -> str:
        if service not in made:
            name = f"template_{service}"
            execute(postgres_server.url(), f'CREATE DATABASE "{name}"')
            upgrade(service_dir(pytestconfig, service), postgres_server.url(name))
            if service == "commons":
                _facts["postgis"] = server_versions(postgres_server.url(name))
            execute(postgres_server.url(), f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true')
            made[service] = name
        return made[service]

    return template


@pytest.fixture
def make_database(
    postgres_server: PostgresServer, template_database: Callable[[str], str]
) -> Iterator[Callable[[str], str]]:
    """`make_database(service)`: a fresh, migrated database for this test; returns its URL."""
    created: list[str] = []

    def make(service: str) -> str:
        name = f"test_{service}_{next(_counter)}"
        template = template_database(service)
        execute(
            postgres_server.url(),
            f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY',
        )
        created.append(name)
        return postgres_server.url(name)

    yield make
    for name in created:
        execute(postgres_server.url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def provision_streams(nats_url: str, limits: StreamLimits | None = None) -> None:
    """What operators do once NATS runs: create the streams, as the administrator."""
    for attempt in range(5):
        try:
            await provision(nats_url, **local_admin(), limits=limits or StreamLimits())
            return
        except ServerError:
            # Right after a stream is deleted, the server may still be removing its store and
            # refuse a new one of the same name ("error creating store for stream").
            if attempt == 4:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))


@pytest.fixture
async def clean_jetstream(nats_server: NatsServer) -> str:
    """Delete every stream, so counts in this test are this test's own, and provision them anew
    (services may not create streams). Returns the NATS URL."""
    client = await nats.connect(nats_server.url, **local_admin())
    js = client.jetstream()
    for info in await js.streams_info():
        if info.config.name:
            await js.delete_stream(info.config.name)
    await client.close()
    await provision_streams(nats_server.url)
    return nats_server.url


@pytest.fixture
async def restartable_nats(tmp_path: Path) -> AsyncIterator[LocalNats]:
    """A NATS server of this test's own, streams provisioned, which the test may stop and start
    again (same store)."""
    server = LocalNats(tmp_path / "jetstream", free_port(), free_port())
    server.start()
    await provision_streams(server.url)
    yield server
    server.stop()


@dataclass
class ServiceUnderTest:
    name: str
    app: FastAPI
    client: httpx.AsyncClient
    settings: ServiceSettings
    database_url: str

    @property
    def runtime(self) -> ServiceRuntime:
        return self.app.state.runtime


@pytest.fixture
async def start_service(
    make_database: Callable[[str], str], clean_jetstream: str
) -> AsyncIterator[Callable[..., Any]]:
    """`await start_service("spaces", run_workers=False)`: the service's app on a fresh database
    and the run's NATS, lifespan started, with an httpx client speaking to it in-process."""
    async with AsyncExitStack() as stack:

        async def start(service: str, **overrides: Any) -> ServiceUnderTest:
            database_url = make_database(service)
            settings_class = importlib.import_module(f"{service}.config").Settings
            values = {
                "mode": "local",
                "database_url": async_url(database_url),
                "nats_url": clean_jetstream,
                "relay_poll_seconds": 0.05,
                **overrides,
            }
            settings = settings_class(**values)
            app = importlib.import_module(f"{service}.main").create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=f"http://{service}.test"
            )
            await stack.enter_async_context(client)
            return ServiceUnderTest(service, app, client, settings, database_url)

        yield start


@pytest.fixture
def auth_header() -> Callable[..., dict[str, str]]:
    """`auth_header("alice", roles=["maintenance"])`: a bearer header every local service accepts."""
    settings = ServiceSettings(mode=Mode.local)

    def header(
        sub: str | None = None,
        roles: list[str] | None = None,
        name: str | None = None,
        claims: dict[str, str] | None = None,
    ) -> dict[str, str]:
        token = issue_token(
            settings,
            sub=sub or f"person-{uuid.uuid4().hex[:8]}",
            name=name,
            roles=roles or ["citizen"],
            claims=claims,
        )
        return {"Authorization": f"Bearer {token}"}

    return header


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _facts:
        terminalreporter.section("meent test servers")
        for key in ("postgres", "postgis", "nats", "s3"):
            if key in _facts:
                terminalreporter.write_line(f"{key}: {_facts[key]}")


@pytest.fixture
def start_service_process(
    make_database, clean_jetstream
) -> Iterator[Callable[..., ServiceProcess]]:
    """`start_service_process("commons", MEENT_X="1")`: the service as a real uvicorn process on a
    free port and a database of its own, with any settings as MEENT_* variables; stopped after
    the test."""
    started: list[Any] = []

    def start(service: str, **env: str) -> ServiceProcess:
        port = free_port()
        database_url = make_database(service)
        env = {
            "MEENT_DATABASE_URL": async_url(database_url),
            "MEENT_NATS_URL": clean_jetstream,
            **env,
        }
        started.append(start_uvicorn(service, port, env))
        return ServiceProcess(f"http://127.0.0.1:{port}", database_url, clean_jetstream)

    yield start
    for process in started:
        stop(process)
