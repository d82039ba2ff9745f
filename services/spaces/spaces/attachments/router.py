"""Uploads (writers of the project) and downloads (everyone) of attachments."""

import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from meent_shared.errors import NotFound
from meent_shared.http import client_has
from spaces.attachments import service
from spaces.attachments.media import INLINE_TYPES
from spaces.attachments.models import AttachmentPublic
from spaces.attachments.names import MAX_FILENAME_CHARS, content_disposition
from spaces.deps import CurrentPrincipal, SessionDep
from spaces.storage import BlobNotFound, Storage

router = APIRouter(tags=["attachments"])
# The path the body-size frame lets carry a file (up to MEENT_UPLOAD_MAX_BYTES).
UPLOAD_PATH = r"^/projects/[^/]+/uploads$"
# What every download carries: never sniffed into another type, never run as a page.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}


@router.post(
    "/projects/{project_id}/uploads",
    response_model=AttachmentPublic,
    status_code=201,
    summary="Upload a file (the request body, streamed) to a project; writers only",
)
async def upload(
    project_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    filename: str = Query(min_length=1, max_length=4 * MAX_FILENAME_CHARS),
) -> AttachmentPublic:
    attachment = await service.upload(
        session=session,
        storage=request.app.state.storage,
        project_id=project_id,
        principal=principal,
        filename=filename,
        chunks=request.stream(),
        max_bytes=request.app.state.runtime.settings.upload_max_bytes,
    )
    return service.public(attachment)


@router.get(
    "/attachments/{attachment_id}", response_model=AttachmentPublic, summary="An attachment"
)
async def get_attachment(attachment_id: uuid.UUID, session: SessionDep) -> AttachmentPublic:
    attachment = await service.get_attachment(session=session, attachment_id=attachment_id)
    return service.public(attachment)


@router.get("/attachments/{attachment_id}/content", summary="An attachment's bytes (public)")
async def get_content(attachment_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    attachment = await service.get_attachment(session=session, attachment_id=attachment_id)
    await session.close()  # a slow download holds no database connection
    inline = attachment.media_type in INLINE_TYPES
    headers = {
        **DOWNLOAD_HEADERS,
        "Content-Disposition": content_disposition(attachment.filename, inline=inline),
        "ETag": f'"{attachment.blob_sha256}"',
        # The bytes under an id never change.
        "Cache-Control": "public, max-age=31536000, immutable",
    }
    if client_has(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    chunks = await _opened(request.app.state.storage, attachment.blob_sha256)
    headers["Content-Length"] = str(attachment.size)
    return StreamingResponse(chunks, media_type=attachment.media_type, headers=headers)


async def _opened(storage: Storage, sha256: str) -> AsyncIterator[bytes]:
    """The stream, its first chunk read already: a lost blob is a 404 before the answer starts."""
    stream = storage.open(sha256)
    try:
        first = await anext(stream)
    except (BlobNotFound, StopAsyncIteration):
        raise NotFound(
            "The attachment's bytes are missing from storage", code="blob_missing"
        ) from None

    async def rest() -> AsyncIterator[bytes]:
        yield first
        async for chunk in stream:
            yield chunk

    return rest()
