"""A document with its history, and a diff, through spaces' HTTP app:
`python -m tests.bench.documents_history [--documents 200 --revisions 50]`.

A fresh PostgreSQL and NATS, spaces' migrations, a project of N documents × M revisions (bodies
of about 2,000 characters, each revision changing a line), then GET /documents/{id} paced at
--rate requests per second and GET /revisions/diff of two 2,000-line revisions (10 % of lines
changed), both in-process (ASGI: the app and the database, no network). Prints p50/p95 in ms."""

import argparse
import asyncio
import hashlib
import random
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from meent_shared.db import async_url
from meent_shared.events.nats_access import local_admin
from meent_shared.events.provision import provision
from meent_shared.events.streams import StreamLimits
from meent_shared.migrations import upgrade
from meent_shared.testing.servers import execute, start_nats, start_postgres
from spaces.config import Settings
from spaces.main import create_app

ROOT = Path(__file__).resolve().parents[2]
PROJECT = uuid.uuid4()


def _revision_rows(document: uuid.UUID, revisions: int, lines: int) -> list[dict]:  # type: ignore[type-arg]
    rng = random.Random(str(document))
    body = [
        f"Line {i}: the park's paths, trees and benches, {rng.random():.8f}." for i in range(lines)
    ]
    rows, parent = [], None
    for n in range(revisions):
        body[rng.randrange(lines)] = f"Changed in revision {n}: {rng.random():.8f}"
        text_ = "\n".join(body)
        sha = hashlib.sha256(text_.encode()).hexdigest()
        row = {"id": uuid.uuid4(), "d": document, "p": parent, "body": text_, "sha": sha, "n": n}
        rows.append(row)
        parent = row["id"]
    return rows


async def _fill(url: str, documents: int, revisions: int) -> list[tuple[uuid.UUID, list]]:  # type: ignore[type-arg]
    engine = create_async_engine(async_url(url))
    made = []
    async with engine.begin() as c:
        await c.execute(text("INSERT INTO person (id, display_name) VALUES ('b', 'B')"))
        await c.execute(
            text(
                "INSERT INTO project (id, name, summary, slug, version, created_by)"
                " VALUES (:id, 'Bench', '', 'bench', 1, 'b')"
            ),
            {"id": PROJECT},
        )
        for i in range(documents):
            document = uuid.uuid4()
            await c.execute(
                text(
                    "INSERT INTO document (id, project_id, title, kind, version)"
                    " VALUES (:id, :p, :t, 'plan', :v)"
                ),
                {"id": document, "p": PROJECT, "t": f"Document {i}", "v": revisions},
            )
            rows = _revision_rows(document, revisions, 30)
            await c.execute(
                text(
                    "INSERT INTO revision (id, document_id, parent_id, body, sha256, author_id,"
                    " created_at) VALUES (:id, :d, :p, :body, :sha, 'b',"
                    " now() - make_interval(mins => 1000 - :n))"
                ),
                rows,
            )
            await c.execute(
                text("UPDATE document SET current_revision_id = :r WHERE id = :id"),
                {"r": rows[-1]["id"], "id": document},
            )
            made.append((document, rows))
        await c.execute(text("ANALYZE"))
    await engine.dispose()
    return made


def _p(timings: list[float], q: float) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(len(ordered) * q) - 1)]


async def _paced(client: httpx.AsyncClient, paths: list[str], rate: float) -> list[float]:
    timings = []
    for path in paths:
        start = time.perf_counter()
        answer = await client.get(path)
        assert answer.status_code == 200, answer.text
        elapsed = time.perf_counter() - start
        timings.append(elapsed * 1000)
        await asyncio.sleep(max(0.0, 1 / rate - elapsed))
    return timings


async def _diff_pair(url: str) -> tuple[uuid.UUID, uuid.UUID]:
    rng = random.Random(2000)
    old = [f"Line {i}: {rng.random():.12f} trees." for i in range(2_000)]
    new = [f"{line} (changed)" if rng.random() < 0.1 else line for line in old]
    document, ids = uuid.uuid4(), (uuid.uuid4(), uuid.uuid4())
    engine = create_async_engine(async_url(url))
    async with engine.begin() as c:
        await c.execute(
            text(
                "INSERT INTO document (id, project_id, title, kind) VALUES (:id, :p, 'D', 'plan')"
            ),
            {"id": document, "p": PROJECT},
        )
        for revision, body in zip(ids, ("\n".join(old), "\n".join(new)), strict=True):
            await c.execute(
                text(
                    "INSERT INTO revision (id, document_id, body, sha256, author_id)"
                    " VALUES (:id, :d, :b, '', 'b')"
                ),
                {"id": revision, "d": document, "b": body},
            )
    await engine.dispose()
    return ids


async def main(documents: int, revisions: int, rate: float, requests: int) -> None:
    postgres, nats = start_postgres(), start_nats()
    try:
        execute(postgres.url(), 'CREATE DATABASE "bench_history"')
        url = postgres.url("bench_history")
        upgrade(ROOT / "services/spaces", url)
        await provision(nats.url, **local_admin(), limits=StreamLimits())
        made = await _fill(url, documents, revisions)
        old, new = await _diff_pair(url)
        settings = Settings(mode="local", database_url=async_url(url), nats_url=nats.url)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://spaces") as client:
                rng = random.Random(1)
                paths = [f"/documents/{rng.choice(made)[0]}" for _ in range(requests)]
                await _paced(client, paths[:20], rate)  # warm up
                history = await _paced(client, paths, rate)
                diff = await _paced(client, [f"/revisions/diff?from={old}&to={new}"] * 100, rate)
        print(
            f"{documents} documents × {revisions} revisions; document with history at"
            f" {rate:g} req/s: p50 {_p(history, 0.5):.1f} ms, p95 {_p(history, 0.95):.1f} ms;"
            f" diff of 2,000 lines (10 % changed): p50 {_p(diff, 0.5):.1f} ms,"
            f" p95 {_p(diff, 0.95):.1f} ms"
        )
    finally:
        postgres.stop()
        nats.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=50)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--requests", type=int, default=400)
    a = parser.parse_args()
    asyncio.run(main(a.documents, a.revisions, a.rate, a.requests))
