"""Uploads through the public origin, forwarded to their service as they stream in — never read
into memory — with the caller's Authorization: a project's files (`POST /projects/{id}/uploads`,
spaces) and a paper sign-in sheet of hours (`POST /projects/{id}/hours/import`, a CSV,
volunteers). The gateway holds each route's own limit: a declared Content-Length over it is a 413
before a byte is read, and the stream is counted, so an undeclared one is cut off (413) as it
passes it; the service then sees the upload end short and stores nothing. Errors keep the one
error shape."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from gateway.config import GatewaySettings
from meent_shared.errors import PayloadTooLarge, error_item, error_response

PASSED_REQUEST_HEADERS = ("authorization", "content-type", "content-length", "accept")
PASSED_RESPONSE_HEADERS = ("content-type", "location")


@dataclass(frozen=True)
class UploadRoute:
    path: str  # under /projects/{project_id}, as the service has it
    service: str
    limit: Callable[[GatewaySettings], int]  # the most bytes the body may have
    summary: str

    @property
    def pattern(self) -> str:
        """The public paths it serves, for the body-size limit of the app's frame."""
        return rf"^/projects/[^/]+{self.path}$"


UPLOAD_ROUTES = (
    UploadRoute(
        "/uploads",
        "spaces",
        lambda settings: settings.upload_max_bytes,
        "Upload a file to a project (the body, streamed; writers only)",
    ),
    UploadRoute(
        "/hours/import",
        "volunteers",
        lambda settings: settings.hours_import_max_bytes,
        "Import a paper sign-in sheet of hours (a CSV body, streamed; coordinators only)",
    ),
)


def upload_limits(settings: GatewaySettings) -> list[tuple[str, int]]:
    return [(route.pattern, route.limit(settings)) for route in UPLOAD_ROUTES]


def upload_router(settings: GatewaySettings) -> APIRouter:
    router = APIRouter(tags=["uploads"])
    for route in UPLOAD_ROUTES:
        router.add_api_route(
            f"/projects/{{project_id}}{route.path}",
            forwarder(settings, route),
            methods=["POST"],
            status_code=201,
            summary=route.summary,
            name=f"upload_to_{route.service}",
        )
    return router


def forwarder(settings: GatewaySettings, route: UploadRoute):
    url = settings.service_urls()[route.service]
    limit = route.limit(settings)
    timeout = httpx.Timeout(settings.forward_timeout_seconds, read=settings.upload_timeout_seconds)

    async def forward_upload(project_id: uuid.UUID, request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return too_large(limit)
        client: httpx.AsyncClient = request.app.state.http
        headers = {k: v for k, v in request.headers.items() if k in PASSED_REQUEST_HEADERS}
        upstream = client.build_request(
            "POST",
            f"{url}/projects/{project_id}{route.path}",
            params=request.query_params,
            headers=headers,
            content=counted(request.stream(), limit),
            timeout=timeout,
        )
        try:
            answer = await client.send(upstream, stream=True)
        except PayloadTooLarge:
            return too_large(limit)
        except httpx.TimeoutException:
            waited = settings.upload_timeout_seconds
            message = f"{route.service} did not take the upload within {waited:g} s"
            return error_response(504, [error_item(message, "service_timeout")])
        except httpx.TransportError:
            message = f"{route.service} cannot be reached"
            return error_response(502, [error_item(message, "service_unreachable")])
        passed = {k: v for k, v in answer.headers.items() if k in PASSED_RESPONSE_HEADERS}
        return StreamingResponse(
            answer.aiter_raw(),
            status_code=answer.status_code,
            headers=passed,
            background=_closing(answer),
        )

    return forward_upload


async def counted(chunks: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge(f"The file is larger than the upload limit of {limit} bytes")
        yield chunk


def too_large(limit: int) -> Response:
    message = f"The file is larger than the upload limit of {limit} bytes"
    return error_response(413, [error_item(message, PayloadTooLarge.code)])


def _closing(answer: httpx.Response):
    from starlette.background import BackgroundTask

    return BackgroundTask(answer.aclose)
