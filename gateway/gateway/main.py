"""The gateway app: `python -m gateway.serve` (or `uvicorn gateway.main:create_app --factory`,
which serves the public origin only, without the operations port).

The one public origin: GraphQL at /graphql, the web client at /, the services' public read
interfaces forwarded, and the dev issuer in local mode only. Its metrics and readiness detail are
for operators, on the operations port (gateway.serve), not on the public origin.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse, Response

from gateway.auth.caller import KeyRateLimiter, identify
from gateway.auth.dev_token import router as dev_token_router
from gateway.config import GatewaySettings
from gateway.db import metadata
from gateway.forward import forward_router
from gateway.forward_uploads import upload_limits, upload_router
from gateway.graphql.context import Context
from gateway.graphql.http import handle
from gateway.graphql.schema import build_schema
from gateway.graphql.services import ServiceClients
from gateway.graphql.system import StatusCache
from gateway.graphql.websocket import BoundedGraphQLRouter
from gateway.paths import RefuseAmbiguousPaths
from gateway.web import mount_web_client
from meent_shared.errors import MeentError
from meent_shared.http import create_service_app
from meent_shared.logging import request_id_var
from meent_shared.runtime import ServiceEvents, ServiceRuntime

__all__ = ["create_app", "metadata"]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime(settings, ServiceEvents())
    schema = build_schema(settings)
    limiter = KeyRateLimiter(settings.api_key_requests_per_minute)
    status_cache = StatusCache()

    async def make_context(request: Request) -> Context:
        caller = await identify(request, runtime, settings, limiter)
        services = ServiceClients(
            request.app.state.http,
            settings.service_urls(),
            token=caller.upstream_token,
            request_id=request_id_var.get(),
            timeout=settings.service_timeout_seconds,
            max_answer_bytes=settings.max_service_answer_bytes,
        )
        return Context(
            request=request,
            settings=settings,
            services=services,
            principal=caller.principal,
            session_factory=runtime.session_factory,
            status_cache=status_cache,
        )

    graphql = APIRouter(tags=["graphql"])

    @graphql.api_route("/graphql", methods=["GET", "POST"], summary="GraphQL over HTTP")
    async def graphql_http(request: Request) -> Response:
        try:
            context = await make_context(request)
        except MeentError as error:
            headers = {"WWW-Authenticate": "Bearer"} if error.status_code == 401 else None
            return JSONResponse(
                {"errors": [{"message": error.msg, "extensions": {"code": error.code}}]},
                status_code=error.status_code,
                headers=headers,
            )
        return await handle(request, schema, context)

    async def websocket_context(websocket: WebSocket) -> Context:
        return await make_context(websocket)  # type: ignore[arg-type]

    @asynccontextmanager
    async def http_client(app: FastAPI) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        # Every call names its own timeout; this one is for any that would not (httpx's default
        # of 5 s would otherwise apply unseen).
        timeout = httpx.Timeout(settings.service_timeout_seconds)
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
            app.state.http = client
            yield

    def for_operators(request: Request) -> bool:
        """Whether the request came in on the operations port, not the public one."""
        host_and_port = request.scope.get("server") or (None, None)
        return bool(settings.operations_port) and host_and_port[1] == settings.operations_port

    routers = [graphql, forward_router(settings), upload_router(settings)]
    if settings.is_local:
        routers.insert(0, dev_token_router)
    app = create_service_app(
        runtime,
        title="meent gateway",
        description="The one public origin of meent: GraphQL, the web client, open interfaces.",
        routers=routers,
        extra_lifespan=http_client,
        for_operators=for_operators,
        larger_bodies=upload_limits(settings),
    )
    app.add_middleware(RefuseAmbiguousPaths)
    # WebSocket (subscriptions) through Strawberry; HTTP is handled above, by the specification.
    app.include_router(
        BoundedGraphQLRouter(
            schema,
            graphql_ide=None,
            context_getter=websocket_context,
            max_json_depth=settings.graphql_max_json_depth,
        ),
        prefix="/graphql",
        include_in_schema=False,
    )
    mount_web_client(app, settings.web_dist, settings.map_tile_url, settings.map_tile_attribution)
    return app
