"""The commons app: `uvicorn commons.main:create_app --factory`."""

from fastapi import FastAPI

from commons.config import Settings
from commons.consumers import HANDLERS
from commons.db import dead_letters, inbox, metadata, outbox
from commons.feeds.router import router as feeds_router
from commons.imports.router import router as imports_router
from commons.maintenance.router import router as maintenance_router
from commons.ogc.router import router as ogc_router
from commons.people.router import router as people_router
from commons.republish import ANNOUNCERS
from commons.scheduler import Scheduler
from commons.schedules.router import router as schedules_router
from commons.sites.router import router as sites_router
from commons.stewardship.router import router as stewardship_router
from commons.tiles.router import router as tiles_router
from meent_shared.http import create_service_app
from meent_shared.runtime import ServiceEvents, ServiceRuntime

__all__ = ["build_runtime", "create_app", "metadata"]


def build_runtime(settings: Settings | None = None) -> ServiceRuntime:
    settings = settings or Settings()
    events = ServiceEvents(
        outbox=outbox,
        inbox=inbox,
        dead_letters=dead_letters,
        handlers=HANDLERS,
        announcers=ANNOUNCERS,
    )
    runtime = ServiceRuntime(settings, events)
    scheduler = Scheduler(runtime.session_factory, interval_seconds=settings.scheduler_seconds)
    runtime.background.append(scheduler.run)
    return runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        build_runtime(settings),
        title="meent commons",
        description="Geospatial commons: sites, their seasonal uses and maintenance.",
        routers=[
            imports_router,  # before sites: /sites/import is not a site id
            sites_router,
            schedules_router,
            stewardship_router,
            maintenance_router,
            ogc_router,
            feeds_router,
            tiles_router,
            people_router,
        ],
    )
