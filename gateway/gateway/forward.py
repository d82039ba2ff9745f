"""The gateway as the one public origin: the services' public read interfaces (OGC API, feeds,
tiles, exports) are forwarded under one host. Services build absolute links from the configured
public URL (MEENT_PUBLIC_URL), never from the client's Host or X-Forwarded headers, so none are
sent on. Paths that could escape a prefix never get here (gateway.paths).

A service that does not answer within `forward_timeout_seconds` is a 504, one that cannot be
reached a 502 — each in the one error shape, never a 500. (Once the answer has begun, its status
is sent: a failure after that ends the connection, so a cache never keeps a cut-short answer.)"""

from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from gateway.config import GatewaySettings
from meent_shared.errors import error_item, error_response

# public path prefix -> (service, path prefix on the service)
FORWARDS: dict[str, tuple[str, str]] = {
    "/ogc": ("commons", "/ogc"),
    "/tiles": ("commons", "/tiles"),
    "/calendars": ("commons", "/calendars"),
    "/exports/sites": ("commons", "/sites"),
    "/exports/hours": ("volunteers", "/exports/hours"),
    "/exports/ledgers": ("grants", "/exports/ledgers"),
    "/feeds": ("spaces", "/feeds"),
    "/attachments": ("spaces", "/attachments"),
}
PASSED_REQUEST_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
PASSED_RESPONSE_HEADERS = (
    "content-type",
    "etag",
    "last-modified",
    "cache-control",
    "content-disposition",
    "link",
    "content-crs",
    "content-language",
    # What the answer depends on besides the URL, for the caches between the client and us.
    "vary",
    "x-content-type-options",
    "content-security-policy",
)
# Headers a public prefix's answers always carry, added when the service sent none: files people
# uploaded are never sniffed into another type, never run as a page, and download.
ADDED_RESPONSE_HEADERS: dict[str, dict[str, str]] = {
    "/attachments": {
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox",
        "content-disposition": "attachment",
    },
}
# The decoded path is sent on encoded again: "?" or "#" in a path segment stays part of it.
PATH_SAFE = "/!$&'()*+,;=:@-._~"


def forward_router(settings: GatewaySettings) -> APIRouter:
    router = APIRouter(tags=["forwarded public interfaces"])
    urls = settings.service_urls()
    seconds = settings.forward_timeout_seconds

    def add_route(public: str, service: str, target: str) -> None:
        async def forward(request: Request, rest: str = "") -> Response:
            client: httpx.AsyncClient = request.app.state.http
            headers = {k: v for k, v in request.headers.items() if k in PASSED_REQUEST_HEADERS}
            upstream = client.build_request(
                request.method,
                f"{urls[service]}{target}{quote(rest, safe=PATH_SAFE)}",
                params=request.query_params,
                headers=headers,
                timeout=seconds,
            )
            try:
                answer = await client.send(upstream, stream=True)
            except httpx.TimeoutException:
                message = f"The service behind {public} did not answer within {seconds:g} s"
                return error_response(504, [error_item(message, "service_timeout")])
            except httpx.TransportError:
                message = f"The service behind {public} cannot be reached"
                return error_response(502, [error_item(message, "service_unreachable")])
            passed = {k: v for k, v in answer.headers.items() if k in PASSED_RESPONSE_HEADERS}
            passed = ADDED_RESPONSE_HEADERS.get(public, {}) | passed
            return StreamingResponse(
                answer.aiter_raw(),
                status_code=answer.status_code,
                headers=passed,
                background=_closing(answer),
            )

        router.add_api_route(public, forward, methods=["GET", "HEAD"], include_in_schema=False)
        router.add_api_route(
            public + "{rest:path}", forward, methods=["GET", "HEAD"], include_in_schema=False
        )

    for public, (service, target) in FORWARDS.items():
        add_route(public, service, target)
    return router


def _closing(answer: httpx.Response):
    from starlette.background import BackgroundTask

    return BackgroundTask(answer.aclose)
