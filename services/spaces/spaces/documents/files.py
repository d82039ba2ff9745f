"""Files on a revision: each revision lists the attachments it carries, in order.

Uploads (spaces.attachments) belong to a project; a save names the ones its revision carries
(`attachment_ids`), or leaves them out and carries its parent's forward, so a text edit keeps the
files. A revision's list never changes afterwards, like its text: every revision stays readable
with the files it had.
"""

import uuid

from sqlalchemy import Column, ForeignKey, Integer, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, col

from meent_shared.errors import InvalidInput
from spaces.attachments.models import Attachment, AttachmentPublic
from spaces.attachments.service import public
from spaces.db import Model
from spaces.documents.models import Document

MAX_ATTACHMENTS_PER_REVISION = 20
LOC: list[str | int] = ["body", "attachment_ids"]


class RevisionAttachment(Model, table=True):
    __tablename__ = "revision_attachment"

    revision_id: uuid.UUID = Field(sa_column=Column(ForeignKey("revision.id"), primary_key=True))
    attachment_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("attachment.id"), primary_key=True, index=True)
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))


async def attach(
    session: AsyncSession,
    document: Document,
    revision_id: uuid.UUID,
    attachment_ids: list[uuid.UUID] | None,
    parent_id: uuid.UUID | None,
) -> None:
    """Link the revision to its files: those named (checked), or its parent's."""
    if attachment_ids is None:
        ids = await _ids_of(session, parent_id) if parent_id else []
    else:
        ids = await _checked(session, document, attachment_ids)
    if ids:
        rows = [
            {"revision_id": revision_id, "attachment_id": a, "position": n}
            for n, a in enumerate(ids)
        ]
        await session.execute(insert(RevisionAttachment), rows)


async def _checked(
    session: AsyncSession, document: Document, attachment_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    if len(set(attachment_ids)) < len(attachment_ids):
        raise InvalidInput("An attachment is named twice", code="attachment_twice", loc=LOC)
    found = await session.execute(
        select(col(Attachment.id), col(Attachment.project_id)).where(
            col(Attachment.id).in_(attachment_ids)
        )
    )
    projects = {attachment_id: project_id for attachment_id, project_id in found}
    for attachment_id in attachment_ids:
        if attachment_id not in projects:
            raise InvalidInput(
                f"No attachment {attachment_id}: upload it first",
                code="attachment_not_found",
                loc=LOC,
            )
        if projects[attachment_id] != document.project_id:
            raise InvalidInput(
                f"Attachment {attachment_id} was uploaded to another project",
                code="attachment_of_another_project",
                loc=LOC,
            )
    return attachment_ids


async def _ids_of(session: AsyncSession, revision_id: uuid.UUID) -> list[uuid.UUID]:
    query = (
        select(col(RevisionAttachment.attachment_id))
        .where(col(RevisionAttachment.revision_id) == revision_id)
        .order_by(col(RevisionAttachment.position))
    )
    return list((await session.execute(query)).scalars())


async def files_of(session: AsyncSession, revision_id: uuid.UUID) -> list[AttachmentPublic]:
    """The revision's attachments, in the order its save named them."""
    query = (
        select(Attachment)
        .join(RevisionAttachment, col(RevisionAttachment.attachment_id) == col(Attachment.id))
        .where(col(RevisionAttachment.revision_id) == revision_id)
        .order_by(col(RevisionAttachment.position))
    )
    return [public(a) for a in (await session.execute(query)).scalars()]
