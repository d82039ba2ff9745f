"""The gateway: for now a frame that reports the services' readiness (GraphQL comes next)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from gateway.config import GatewaySettings
from meent_shared.errors import install_error_handlers
from meent_shared.logging import configure_logging


async def _service_status(client: httpx.AsyncClient, url: str) -> str:
    try:
        answer = await client.get(f"{url}/readyz", timeout=3)
    except httpx.HTTPError as exc:
        return f"unavailable: {type(exc).__name__}"
    return "ok" if answer.status_code == 200 else f"unavailable: {answer.status_code}"


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("gateway")
        async with httpx.AsyncClient() as client:
            app.state.http = client
            yield

    app = FastAPI(title="meent gateway", lifespan=lifespan)
    install_error_handlers(app)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "gateway"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        urls = settings.service_urls()
        statuses = await asyncio.gather(
            *(_service_status(app.state.http, u) for u in urls.values())
        )
        checks = dict(zip(urls, statuses, strict=True))
        ready = all(s == "ok" for s in checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    return app
