"""The parts of a person's export that are their contributions: revisions and proposals they
wrote, comments, reports and moderation acts, files they uploaded. Each bounded by
`EXPORT_ROW_LIMIT` rows; revision and proposal bodies are not repeated here (a revision may be a
megabyte, and every one is public at its own address, given as `revision_id`)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from spaces.attachments.models import Attachment
from spaces.comments.models import Comment, CommentModeration
from spaces.documents.models import Document, Proposal, Revision

EXPORT_ROW_LIMIT = 10_000


async def _rows(session: AsyncSession, query: Any) -> list[dict[str, Any]]:
    """The rows of a select, at most EXPORT_ROW_LIMIT, as JSON values."""
    result = await session.execute(query.limit(EXPORT_ROW_LIMIT))
    return [
        {k: v if isinstance(v, int | bool | None) else str(v) for k, v in row._mapping.items()}
        for row in result
    ]


async def revisions_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    query: Any = (
        select(
            col(Revision.id).label("revision_id"),
            col(Revision.document_id),
            col(Document.title).label("document_title"),
            col(Revision.message),
            col(Revision.sha256),
            col(Revision.created_at),
        )
        .join(Document, col(Document.id) == col(Revision.document_id))
        .where(col(Revision.author_id) == person_id)
        .order_by(col(Revision.created_at), col(Revision.id))
    )
    return await _rows(session, query)


async def proposals_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    query: Any = (
        select(
            col(Proposal.id).label("proposal_id"),
            col(Proposal.document_id),
            col(Proposal.base_revision_id),
            col(Proposal.message),
            col(Proposal.status),
            col(Proposal.created_at),
        )
        .where(col(Proposal.proposed_by) == person_id)
        .order_by(col(Proposal.created_at), col(Proposal.id))
    )
    return await _rows(session, query)


async def comments_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    query: Any = (
        select(
            col(Comment.id).label("comment_id"),
            col(Comment.document_id),
            col(Comment.body),
            (col(Comment.hidden_at).is_not(None)).label("hidden"),
            col(Comment.created_at),
        )
        .where(col(Comment.author_id) == person_id)
        .order_by(col(Comment.created_at), col(Comment.id))
    )
    return await _rows(session, query)


async def moderation_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    """Their reports (and, as a coordinator, hides and unhides), with the reason given."""
    query: Any = (
        select(
            col(CommentModeration.comment_id),
            col(CommentModeration.action),
            col(CommentModeration.reason),
            col(CommentModeration.created_at),
        )
        .where(col(CommentModeration.actor_id) == person_id)
        .order_by(col(CommentModeration.created_at), col(CommentModeration.id))
    )
    return await _rows(session, query)


async def uploads_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    query: Any = (
        select(
            col(Attachment.id).label("attachment_id"),
            col(Attachment.project_id),
            col(Attachment.filename),
            col(Attachment.media_type),
            col(Attachment.size),
            col(Attachment.created_at),
        )
        .where(col(Attachment.uploaded_by) == person_id)
        .order_by(col(Attachment.created_at), col(Attachment.id))
    )
    return await _rows(session, query)
