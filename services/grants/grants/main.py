"""The grants app: `uvicorn grants.main:create_app --factory`."""

from fastapi import FastAPI

from grants.calls.router import router as calls_router
from grants.config import Settings
from grants.consumers import HANDLERS
from grants.db import dead_letters, inbox, metadata, outbox
from grants.eligibility.router import router as eligibility_router
from grants.people.router import router as people_router
from grants.republish import ANNOUNCERS
from meent_shared.http import create_service_app
from meent_shared.runtime import ServiceEvents, ServiceRuntime

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
    return create_service_app(
        build_runtime(settings),
        title="meent grants",
        description="Microgrant calls, applications, reviews and the public ledger.",
        routers=[calls_router, eligibility_router, people_router],
    )
