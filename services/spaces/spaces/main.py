"""The spaces app: `uvicorn spaces.main:create_app --factory`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from meent_shared.http import create_service_app
from meent_shared.runtime import ServiceEvents, ServiceRuntime
from spaces.attachments.router import UPLOAD_PATH
from spaces.attachments.router import router as attachments_router
from spaces.comments.router import router as comments_router
from spaces.config import Settings
from spaces.consumers import HANDLERS
from spaces.db import dead_letters, inbox, metadata, outbox
from spaces.documents.router import router as documents_router
from spaces.documents.search_router import router as search_router
from spaces.feeds.router import router as feeds_router
from spaces.memberships.router import router as memberships_router
from spaces.people.router import router as people_router
from spaces.projects.router import router as projects_router
from spaces.republish import ANNOUNCERS
from spaces.storage import make_storage

__all__ = ["build_runtime", "create_app", "metadata"]


def build_runtime(settings: Settings | None = None) -> ServiceRuntime:
    events = ServiceEvents(
        outbox=outbox,
        inbox=inbox,
        dead_letters=dead_letters,
        handlers=HANDLERS,
        announcers=ANNOUNCERS,
    )
    return ServiceRuntime(settings or Settings(), events)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    storage = make_storage(settings)

    @asynccontextmanager
    async def prepared_storage(app: FastAPI) -> AsyncIterator[None]:
        await storage.prepare()  # the folder or bucket, when missing
        yield

    app = create_service_app(
        build_runtime(settings),
        title="meent spaces",
        description="People, projects and their public documents.",
        routers=[
            projects_router,
            memberships_router,
            people_router,
            documents_router,
            search_router,
            comments_router,
            feeds_router,
            attachments_router,
        ],
        extra_lifespan=prepared_storage,
        larger_bodies=[(UPLOAD_PATH, settings.upload_max_bytes)],
    )
    app.state.storage = storage
    return app
