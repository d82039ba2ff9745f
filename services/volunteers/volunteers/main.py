"""The volunteers app: `uvicorn volunteers.main:create_app --factory`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from meent_shared.http import create_service_app
from meent_shared.runtime import ServiceEvents, ServiceRuntime
from volunteers.config import Settings
from volunteers.consumers import HANDLERS
from volunteers.db import dead_letters, inbox, metadata, outbox
from volunteers.hours import idempotency, submission
from volunteers.hours.csv_router import IMPORT_PATH
from volunteers.hours.csv_router import router as hours_csv_router
from volunteers.hours.read_router import router as hours_read_router
from volunteers.hours.router import router as hours_router
from volunteers.hours.submit_router import router as hours_submit_router
from volunteers.people.router import router as people_router
from volunteers.projects.router import router as projects_router
from volunteers.republish import ANNOUNCERS

__all__ = ["build_runtime", "create_app", "metadata"]


def build_runtime(settings: Settings | None = None) -> ServiceRuntime:
    events = ServiceEvents(
        outbox=outbox,
        inbox=inbox,
        dead_letters=dead_letters,
        handlers=HANDLERS,
        announcers=ANNOUNCERS,
    )
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, events)
    sessions, every = runtime.session_factory, settings.idempotency_forget_seconds
    runtime.background.append(
        lambda stop: idempotency.forget_expired_keys_periodically(sessions, stop, every)
    )
    return runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings)

    @asynccontextmanager
    async def submission_pool(app: FastAPI) -> AsyncIterator[None]:
        pool = await submission.open_pool(runtime.engine, settings.database_pool_size)
        app.state.submission_pool = pool
        app.state.submission_batcher = batcher = submission.SubmissionBatcher(pool)
        try:
            yield
        finally:
            try:
                # What is in the database gets its answer; a stuck statement does not keep
                # the process from stopping.
                await batcher.drain(submission.COMMAND_TIMEOUT_SECONDS)
            finally:
                await pool.close()

    return create_service_app(
        runtime,
        title="meent volunteers",
        description="Volunteer hours: logged, approved, summed up.",
        # The hot path first (each request walks the routes before it); the read and CSV routes
        # before the rest: `/hours/{entry_id}` and `/projects/{project_id}` would otherwise take
        # `/hours/mine` or `/projects/totals` for an id.
        routers=[
            hours_submit_router,
            hours_read_router,
            hours_csv_router,
            hours_router,
            projects_router,
            people_router,
        ],
        larger_bodies=[(IMPORT_PATH, settings.csv_import_max_bytes)],
        extra_lifespan=submission_pool,
    )
