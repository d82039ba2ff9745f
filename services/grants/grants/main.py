"""The grants app: `uvicorn grants.main:create_app --factory`."""

from fastapi import FastAPI

from grants.applications.router import router as applications_router
from grants.ballots.router import router as ballots_router
from grants.calls.router import exports_router
from grants.calls.router import router as calls_router
from grants.config import Settings
from grants.consumers import HANDLERS
from grants.db import dead_letters, inbox, metadata, outbox
from grants.districts.router import router as districts_router
from grants.eligibility.router import router as eligibility_router
from grants.panels.router import router as panels_router
from grants.people.router import router as people_router
from grants.republish import ANNOUNCERS
from grants.reviews.router import router as reviews_router
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
        routers=[
            calls_router,
            exports_router,
            applications_router,
            panels_router,
            reviews_router,
            ballots_router,
            eligibility_router,
            people_router,
            districts_router,
        ],
    )
