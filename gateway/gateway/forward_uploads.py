"""File uploads through the public origin: `POST /projects/{id}/uploads` is forwarded to spaces
as it streams in — never read into memory — with the caller's Authorization. The gateway holds
its own limit (MEENT_UPLOAD_MAX_BYTES): a declared Content-Length over it is a 413 before a byte
is read, and the stream is counted, so an undeclared one is cut off (413) as it passes it; spaces
then sees the upload end short and stores nothing. Errors keep the one error shape."""

import uuid
from collections.abc import AsyncIterator

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from gateway.config import GatewaySettings
from meent_shared.errors import PayloadTooLarge, error_item, error_response

UPLOAD_PATH = r"^/projects/[^/]+/uploads$"
PASSED_REQUEST_HEADERS = ("authorization", "content-type", "content-length", "accept")
PASSED_RESPONSE_HEADERS = ("content-type", "location")


def upload_router(settings: GatewaySettings) -> APIRouter:
    router = APIRouter(tags=["uploads"])
    spaces = settings.spaces_url
    limit = settings.upload_max_bytes

    @router.post(
        "/projects/{project_id}/uploads",
        status_code=201,
        summary="Upload a file to a project (the body, streamed; writers only)",
    )
    async def forward_upload(project_id: uuid.UUID, request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return too_large(limit)
        client: httpx.AsyncClient = request.app.state.http
        headers = {k: v for k, v in request.headers.items() if k in PASSED_REQUEST_HEADERS}
        upstream = client.build_request(
            "POST",
            f"{spaces}/projects/{project_id}/uploads",
            params=request.query_params,
            headers=headers,
            content=counted(request.stream(), limit),
            timeout=httpx.Timeout(
                settings.forward_timeout_seconds, read=settings.upload_timeout_seconds
            ),
        )
        try:
            answer = await client.send(upstream, stream=True)
        except PayloadTooLarge:
            return too_large(limit)
        except httpx.TimeoutException:
            message = f"spaces did not take the upload within {settings.upload_timeout_seconds:g} s"
            return error_response(504, [error_item(message, "service_timeout")])
        except httpx.TransportError:
            return error_response(
                502, [error_item("spaces cannot be reached", "service_unreachable")]
            )
        passed = {k: v for k, v in answer.headers.items() if k in PASSED_RESPONSE_HEADERS}
        return StreamingResponse(
            answer.aiter_raw(),
            status_code=answer.status_code,
            headers=passed,
            background=_closing(answer),
        )

    return router


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
