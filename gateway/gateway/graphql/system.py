"""`system`: each service's readiness and version, as one place to see the suite's health."""

import asyncio
import time

import httpx
import strawberry

from gateway.graphql.context import Info


@strawberry.type
class Check:
    name: str
    status: str


@strawberry.type
class ServiceStatus:
    name: str
    ready: bool
    version: str | None
    checks: list[Check]


@strawberry.type
class System:
    version: str
    services: list[ServiceStatus]


async def service_status(info: Info, name: str) -> ServiceStatus:
    """One service's `/readyz`: 200 means ready, 503 lists what is not; no answer means down."""
    services = info.context.services
    try:
        answer = await services.http.get(f"{services.urls[name]}/readyz", timeout=3)
        body = answer.json()
    except (httpx.HTTPError, ValueError):
        return ServiceStatus(
            name=name, ready=False, version=None, checks=[Check(name="http", status="unavailable")]
        )
    checks = [Check(name=k, status=v) for k, v in body.get("checks", {}).items()]
    return ServiceStatus(
        name=name, ready=answer.status_code == 200, version=body.get("version"), checks=checks
    )


class StatusCache:
    """The suite's status for a second: each look costs four services a database and a JetStream
    round trip, and a dashboard polled by many must not multiply that. One look at a time."""

    def __init__(self, seconds: float = 1.0):
        self.seconds = seconds
        self._statuses: list[ServiceStatus] = []
        self._taken = -1e9
        self._lock = asyncio.Lock()

    async def get(self, info: Info) -> list[ServiceStatus]:
        async with self._lock:
            if time.monotonic() - self._taken > self.seconds:
                names = list(info.context.services.urls)
                found = await asyncio.gather(*(service_status(info, name) for name in names))
                self._statuses, self._taken = list(found), time.monotonic()
            return self._statuses


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Each service's readiness and version (at most a second old).")
    async def system(self, info: Info) -> System:
        cache: StatusCache = info.context.status_cache
        return System(version=info.context.settings.version, services=await cache.get(info))
