"""Documents: created with a first revision by a project's writers, revised by naming the
revision a save starts from, published or archived; read by anyone."""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import NotFound
from meent_shared.events.outbox import record_event
from spaces.access import WRITERS, require_project_role
from spaces.db import outbox
from spaces.documents import events
from spaces.documents.models import Document, DocumentStatus, Revision
from spaces.documents.revisions import (
    append_revision,
    check_body_size,
    ensure_current,
    lock_document,
    revision_of,
)
from spaces.documents.schemas import DocumentCreate, RevisionCreate, SubmittedRevision
from spaces.people.service import ensure_person
from spaces.projects import service as project_service


async def get_document(*, session: AsyncSession, document_id: uuid.UUID) -> Document:
    document = await session.get(Document, document_id)
    if document is None:
        raise NotFound(f"No document {document_id}", code="document_not_found")
    return document


async def get_revision(*, session: AsyncSession, revision_id: uuid.UUID) -> Revision:
    revision = await session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"No revision {revision_id}", code="revision_not_found")
    return revision


async def list_documents(
    *, session: AsyncSession, project_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[Document], int]:
    await project_service.get_project(session=session, project_id=project_id)
    of_project = col(Document.project_id) == project_id
    query = select(Document).where(of_project).order_by(col(Document.title), col(Document.id))
    rows = await session.scalars(query.limit(limit).offset(offset))
    count = await session.scalar(select(func.count()).select_from(Document).where(of_project))
    return list(rows), count or 0


async def create_document(
    *,
    session: AsyncSession,
    project_id: uuid.UUID,
    document_in: DocumentCreate,
    by: Principal,
    body_limit: int,
) -> tuple[Document, Revision]:
    """A new draft with its first revision; `document.revised` announces it."""
    check_body_size(document_in.body, body_limit, ["body", "body"])
    await project_service.get_project(session=session, project_id=project_id)
    await require_project_role(session, project_id, by, WRITERS, "write documents")
    await ensure_person(session, by)
    document = Document(
        project_id=project_id,
        title=document_in.title,
        kind=document_in.kind,
        language=document_in.language,
    )
    session.add(document)
    await session.flush()
    revision = await append_revision(
        session,
        document,
        parent_id=None,
        body=document_in.body,
        message=document_in.message,
        author_id=by.sub,
        attachment_ids=document_in.attachment_ids,
    )
    return document, revision


async def save_revision(
    *,
    session: AsyncSession,
    document_id: uuid.UUID,
    revision_in: RevisionCreate,
    by: Principal,
    body_limit: int,
) -> Revision:
    """A new current revision, if its parent is still the current one; else RevisionConflict
    carrying both texts (nothing stored)."""
    check_body_size(revision_in.body, body_limit, ["body", "body"])
    document = await lock_document(session, document_id)
    await require_project_role(session, document.project_id, by, WRITERS, "write documents")
    parent = await revision_of(
        session, document, revision_in.parent_revision_id, ["body", "parent_revision_id"]
    )
    submitted = SubmittedRevision(
        parent_revision_id=parent.id, body=revision_in.body, message=revision_in.message
    )
    await ensure_current(session, document, parent, submitted)
    await ensure_person(session, by)
    if revision_in.title is not None:
        document.title = revision_in.title
    return await append_revision(
        session,
        document,
        parent_id=parent.id,
        body=revision_in.body,
        message=revision_in.message,
        author_id=by.sub,
        attachment_ids=revision_in.attachment_ids,
    )


async def change_status(
    *, session: AsyncSession, document_id: uuid.UUID, status: DocumentStatus, by: Principal
) -> Document:
    """Publish or archive (or back to draft); publishing announces `document.published`."""
    document = await lock_document(session, document_id)
    await require_project_role(session, document.project_id, by, WRITERS, "publish documents")
    if document.status == status:
        return document
    document.status = status
    document.version += 1
    document.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await session.refresh(document)
    if status == DocumentStatus.published:
        await record_event(session, outbox, events.document_published(document))
    return document
