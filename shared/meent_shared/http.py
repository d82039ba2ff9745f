"""The web frame every service shares: request ids, JSON access logs, Prometheus metrics, a body-size
limit, the one error shape, `/healthz`, `/readyz` and `/metrics`."""

import asyncio
import gc
import hashlib
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meent_shared.direct import DirectLane, DirectRoute
from meent_shared.errors import PayloadTooLarge, error_item, install_error_handlers
from meent_shared.events.metrics import EventMetrics
from meent_shared.logging import configure_logging, request_id_var, traceparent_var
from meent_shared.runtime import ServiceRuntime

access_log = logging.getLogger("meent.access")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


class HttpMetrics:
    """Per-app registry: several apps can live in one process (the tests) without clashing."""

    def __init__(self, service: str):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "meent_http_requests",
            "HTTP requests handled",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "meent_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["service", "method", "route"],
            registry=self.registry,
        )
        self.service = service
        # The labelled series by their labels: `labels()` takes a lock and builds a key each time.
        self._counted: dict[tuple[str, str, int], Any] = {}
        self._timed: dict[tuple[str, str], Any] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        counted = self._counted.get((method, route, status))
        if counted is None:
            counted = self.requests.labels(self.service, method, route, str(status))
            self._counted[(method, route, status)] = counted
        counted.inc()
        timed = self._timed.get((method, route))
        if timed is None:
            timed = self._timed[(method, route)] = self.duration.labels(self.service, method, route)
        timed.observe(seconds)


class RequestContextMiddleware:
    """Request id and trace context for logs and events; one access-log line and metrics per request."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given, traceparent = "", ""
        for name, value in scope["headers"]:  # only the two it reads, not every header decoded
            name = name.lower()
            if name == b"x-request-id":
                given = value.decode("latin-1")
            elif name == b"traceparent":
                traceparent = value.decode("latin-1")
        # A correlation id, not a secret: 128 random bits without uuid4's getrandom() call.
        request_id = given if _SAFE_REQUEST_ID.match(given) else f"{random.getrandbits(128):032x}"
        request_token = request_id_var.set(request_id)
        trace_token = traceparent_var.set(traceparent if _TRACEPARENT.match(traceparent) else None)
        status = 500
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.observe(method, route, status, elapsed)
            access_log.info(
                "request",
                extra={
                    "method": method,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            request_id_var.reset(request_token)
            traceparent_var.reset(trace_token)


class BodyTooLarge(HTTPException):
    """Raised while a body streams in: FastAPI passes HTTPExceptions from body reading through."""

    code = PayloadTooLarge.code

    def __init__(self, msg: str):
        super().__init__(status_code=413, detail=msg)


# A path pattern and the larger body limit of the requests on it (a file upload's route).
LargerBodies = Sequence[tuple[str, int]]


class BodySizeLimitMiddleware:
    """Refuses request bodies above the limit with 413, whether declared or streamed. Paths
    matching a pattern of `larger_bodies` have that pattern's limit instead (file uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger_bodies: LargerBodies = ()):
        self.app = app
        self.max_bytes = max_bytes
        self.larger_bodies = [(re.compile(pattern), limit) for pattern, limit in larger_bodies]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger_bodies:
            if pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope["path"])
        limit_msg = f"Request body larger than {max_bytes} bytes"
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > max_bytes:
                response = JSONResponse(
                    {"detail": [error_item(limit_msg, PayloadTooLarge.code)]}, status_code=413
                )
                await response(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(limit_msg)
            return message

        await self.app(scope, limited_receive, send)


class ConcurrencyLimitMiddleware:
    """Sheds load instead of drowning in it: at most `max_in_flight` requests run at once; one that
    waits longer than `queue_seconds` for its turn gets a quick 503 with Retry-After, so callers
    back off and the admitted requests stay fast. Health, readiness and metrics are never held."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(self, app: ASGIApp, max_in_flight: int, queue_seconds: float):
        self.app = app
        self.max_in_flight = max_in_flight
        self.queue_seconds = queue_seconds
        self._slots: asyncio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_in_flight)
        try:
            if self._slots.locked():  # a free slot is taken at once, without wait_for's timer
                await asyncio.wait_for(self._slots.acquire(), self.queue_seconds)
            else:
                await self._slots.acquire()
        except TimeoutError:
            response = JSONResponse(
                {"detail": [error_item("Busy: try again in a moment", "overloaded")]},
                status_code=503,
                headers={"Retry-After": "1"},
            )
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()


def content_etag(body: bytes) -> str:
    """A strong ETag: a hash of the representation."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def client_has(request: Request, etag: str) -> bool:
    """Whether If-None-Match names this ETag; it compares weakly (RFC 9110 §13.1.2)."""
    tags = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    }
    return "*" in tags or etag in tags


def every_request(request: Request) -> bool:
    """A service's own port is internal: operators and the gateway are its only callers."""
    return True


def health_router(
    runtime: ServiceRuntime,
    metrics: HttpMetrics,
    for_operators: Callable[[Request], bool] = every_request,
) -> APIRouter:
    """`/healthz` for everyone. `/metrics` and the checks behind `/readyz` only where
    `for_operators` says the request came in for operators; elsewhere (the public origin) /readyz
    says ready or not, and /metrics does not exist."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": runtime.settings.service_name}

    @router.get("/readyz", summary="The database and NATS JetStream answer")
    async def readyz(request: Request) -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(v == "ok" for v in checks.values())
        body: dict[str, Any] = {"status": "ready" if ready else "not ready"}
        if for_operators(request):
            body |= {
                "service": runtime.settings.service_name,
                "version": runtime.settings.version,
                "checks": checks,
            }
        return JSONResponse(body, status_code=200 if ready else 503)

    events = EventMetrics(runtime)
    metrics.registry.register(events)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        if not for_operators(request):
            raise HTTPException(status_code=404, detail="Not Found")  # as an unknown route
        await events.refresh()
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    extra_lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]] | None = None,
    for_operators: Callable[[Request], bool] = every_request,
    larger_bodies: LargerBodies = (),
) -> FastAPI:
    """A FastAPI app for one service, with the shared frame around the service's own routers.
    `for_operators` tells the requests that may see metrics and readiness detail (see
    health_router); a service's own port serves them to every caller. `larger_bodies`: the
    paths (patterns) whose bodies may exceed MEENT_MAX_BODY_BYTES, and their own limits."""
    settings = runtime.settings
    metrics = HttpMetrics(settings.service_name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        await runtime.start(relay=settings.run_workers, consumers=settings.run_workers)
        # Everything made at start-up (modules, the schema, the app) lives for good: keep it out
        # of the collector's way, or each full collection walks it (70-95 ms pauses under load).
        gc.collect()
        gc.freeze()
        try:
            if extra_lifespan is None:
                yield
            else:
                async with extra_lifespan(app):
                    yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version=settings.version,
        lifespan=lifespan,
        # The frame has its own metrics, logs and trace context. FastAPI's native OpenTelemetry
        # would find no SDK configured, but looks up the global providers (through os.environ)
        # on every request to learn that: 1.5 % of a busy process's CPU (py-spy, bench-hours).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    direct_routes = [
        route for router in routers for route in router.routes if isinstance(route, DirectRoute)
    ]
    if direct_routes:
        app.add_middleware(DirectLane, routes=direct_routes, handlers=app.exception_handlers)
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, larger_bodies=larger_bodies
    )
    app.add_middleware(
        ConcurrencyLimitMiddleware,
        max_in_flight=settings.max_in_flight,
        queue_seconds=settings.queue_seconds,
    )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.include_router(health_router(runtime, metrics, for_operators))
    for router in routers:
        app.include_router(router)
    return app
