"""The baseline for peak submit throughput: the least a server can do for `POST /hours` — a tiny
Starlette app under uvicorn (one process, started as the suite starts volunteers) that parses the
JSON body and inserts one row with asyncpg into `bench_bare_entry`, a table like `hour_entry`
(same columns, defaults, checks and indexes), in volunteers' database, on a pool set up as
volunteers' own. No authentication, no rules, no outbox: what volunteers does beyond this is
what the ratio measures.

Run by the bench as `python -m uvicorn tests.bench.hours_bare:app --factory …`.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from meent_shared.local.ports import free_port
from meent_shared.local.suite import Suite
from tests.bench.scenario_types import Loaded

INSERT_SQL = (
    "INSERT INTO bench_bare_entry (id, project_id, person_id, logged_by, activity, worked_on, "
    "minutes, note, status, source, version, reason) "
    "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, 'submitted', 'web', 1, '') RETURNING created_at"
)
POOL_SIZE = 10  # volunteers' database_pool_size


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """As volunteers' own pool (`submission.open_pool`): asyncpg's default reset is one more
    round trip per request (5,400 req/s without it, 4,500 with it), which the baseline must not
    pay when the service does not."""


async def submit(request: Request) -> JSONResponse:
    body = json.loads(await request.body())
    entry_id = uuid.uuid4()
    person = request.headers.get("x-person", "bench")
    pool: asyncpg.Pool = request.app.state.pool
    created = await pool.fetchval(
        INSERT_SQL,
        entry_id,
        uuid.UUID(body["project_id"]),
        person,
        body["activity"],
        dt.date.fromisoformat(body["worked_on"]),
        int(body["minutes"]),
        body.get("note", ""),
    )
    return JSONResponse({"id": str(entry_id), "created_at": created.isoformat()}, status_code=201)


def app() -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        dsn = os.environ["BENCH_BARE_DSN"]
        app.state.pool = await asyncpg.create_pool(
            dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, reset=_nothing_to_reset
        )
        yield
        await app.state.pool.close()

    return Starlette(routes=[Route("/hours", submit, methods=["POST"])], lifespan=lifespan)


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://").replace(
        "postgresql+psycopg://", "postgresql://"
    )


def start_bare(suite: Suite) -> Loaded:
    """Start the app on a free port; `Loaded.close` stops it."""
    port = free_port()
    log_path = suite.var_dir.parent / "bench-bare-insert.log"
    env = {**os.environ, "BENCH_BARE_DSN": _asyncpg_dsn(suite.database_url("volunteers"))}
    root = Path(__file__).resolve().parents[2]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tests.bench.hours_bare:app", "--factory"]
            + ["--no-access-log", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base, process, log_path)

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return Loaded(base_url=base, processes={"bare-insert": process.pid}, close=stop)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bare INSERT app died: {log_path.read_text()[-2000:]}")
        try:
            httpx.get(f"{base}/", timeout=1)  # 404 is an answer: it listens
            return
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the bare INSERT app did not start within 30 s")
