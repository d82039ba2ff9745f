"""Uploading and reading attachments. An upload is checked (the project, the writer's role)
before a byte is read, streamed to a temporary file, its type decided from the bytes, stored by
hash, and only then recorded: a refused upload stores nothing and records nothing."""

import tempfile
import uuid
from collections.abc import AsyncIterator

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import InvalidInput, MeentError, NotFound
from spaces.access import WRITERS, require_project_role
from spaces.attachments import media
from spaces.attachments.models import Attachment, AttachmentPublic, Blob
from spaces.attachments.names import sanitise_filename
from spaces.attachments.receive import Received, receive
from spaces.people.service import ensure_person
from spaces.projects.service import get_project
from spaces.storage import Storage


class UnsupportedMediaType(MeentError):
    status_code = 415
    code = "unsupported_media_type"


def checked_filename(given: str) -> str:
    """The sanitised name, refused up front when no allowed type could carry it."""
    name = sanitise_filename(given)
    if not name:
        raise InvalidInput(
            "The file name is empty", code="filename_empty", loc=["query", "filename"]
        )
    ending = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not any(ending in endings for endings in media.ALLOWED.values()):
        allowed = ", ".join(e for endings in media.ALLOWED.values() for e in endings)
        raise UnsupportedMediaType(
            f"Files ending in {ending or 'nothing'} are not accepted; these are: {allowed}",
            loc=["query", "filename"],
        )
    return name


def stored_type(received: Received, filename: str) -> str:
    if received.size == 0:
        raise InvalidInput("The file is empty", code="file_empty", loc=["body"])
    detected = received.sniffer.media_type()
    if detected is None or detected not in media.ALLOWED:
        # The name passed (its ending is allowed): the bytes pretend to be what they are not.
        what = detected or "of no type we accept"
        raise UnsupportedMediaType(
            f"The file is named {filename!r}, but its bytes are {what}",
            code="disguised_media_type",
            loc=["body"],
        )
    try:
        return media.type_for_name(detected, filename)
    except ValueError as error:
        raise UnsupportedMediaType(str(error), code="disguised_media_type", loc=["body"]) from None


async def upload(
    *,
    session: AsyncSession,
    storage: Storage,
    project_id: uuid.UUID,
    principal: Principal,
    filename: str,
    chunks: AsyncIterator[bytes],
    max_bytes: int,
) -> Attachment:
    name = checked_filename(filename)
    # A short read-only check first: a slow upload must not hold a database connection.
    async with session.begin():
        await get_project(session=session, project_id=project_id)
        await require_project_role(session, project_id, principal, WRITERS, "upload files")
    with tempfile.TemporaryFile(prefix="meent-upload-") as staged:
        received = await receive(chunks, staged, max_bytes)
        media_type = stored_type(received, name)
        staged.seek(0)
        await storage.put(received.sha256, staged)
    async with session.begin():
        await ensure_person(session, principal)
        await require_project_role(session, project_id, principal, WRITERS, "upload files")
        blob = {"sha256": received.sha256, "size": received.size, "media_type": media_type}
        await session.execute(insert(table_of(Blob)).values(**blob).on_conflict_do_nothing())
        attachment = Attachment(
            project_id=project_id,
            blob_sha256=received.sha256,
            filename=name,
            media_type=media_type,
            size=received.size,
            uploaded_by=principal.sub,
        )
        session.add(attachment)
        await session.flush()
        await session.refresh(attachment)
    return attachment


async def get_attachment(*, session: AsyncSession, attachment_id: uuid.UUID) -> Attachment:
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id}")
    return attachment


def public(attachment: Attachment) -> AttachmentPublic:
    return AttachmentPublic(
        id=attachment.id,
        project_id=attachment.project_id,
        filename=attachment.filename,
        media_type=attachment.media_type,
        size=attachment.size,
        sha256=attachment.blob_sha256,
        inline=attachment.media_type in media.INLINE_TYPES,
        created_at=attachment.created_at,  # type: ignore[arg-type]
    )
