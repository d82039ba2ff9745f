"""Comments and their moderation, as plain functions of a session (routes, GraphQL and tests
share them)."""

import html
import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import MeentError, NotFound
from spaces.comments.models import Comment, CommentPublic
from spaces.comments.names import shown_name
from spaces.documents.models import Document
from spaces.memberships.models import ProjectRole
from spaces.people.models import Person
from spaces.people.service import ensure_person

MODERATORS = frozenset({ProjectRole.coordinator})
# Reports need no account, so a script could flood a comment's audit: bound them per comment and
# per project within an hour (a person's own report is once per comment, by a unique index).
ANONYMOUS_REPORTS_PER_COMMENT_HOUR = 10
ANONYMOUS_REPORTS_PER_PROJECT_HOUR = 100
_PARAGRAPHS = re.compile(r"\n\s*\n")


class TooManyReports(MeentError):
    status_code = 429
    code = "too_many_reports"


def body_html(body: str) -> str:
    """Plain text as safe HTML: every character escaped, blank lines make paragraphs."""
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(body.replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def public_comment(comment: Comment, author: Person | None) -> CommentPublic:
    assert comment.created_at is not None
    return CommentPublic(
        id=comment.id,
        document_id=comment.document_id,
        author_name=shown_name(author),
        body=comment.body,
        body_html=body_html(comment.body),
        created_at=comment.created_at,
    )


async def document_of(session: AsyncSession, document_id: uuid.UUID) -> Document:
    document = await session.get(Document, document_id)
    if document is None:
        raise NotFound(f"No document {document_id}", code="document_not_found")
    return document


async def add_comment(
    *, session: AsyncSession, document_id: uuid.UUID, body: str, by: Principal
) -> CommentPublic:
    """A signed-in person's comment on any document (drafts are public too)."""
    await document_of(session, document_id)
    author = await ensure_person(session, by)
    comment = Comment(document_id=document_id, author_id=author.id, body=body)
    session.add(comment)
    await session.flush()
    await session.refresh(comment)
    return public_comment(comment, author)


async def visible_comments(
    *, session: AsyncSession, document_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[CommentPublic], int]:
    """The document's comments that are not hidden, oldest first, with their authors' names."""
    await document_of(session, document_id)
    visible = (col(Comment.document_id) == document_id, col(Comment.hidden_at).is_(None))
    query = (
        select(Comment, Person)
        .join(Person, col(Person.id) == col(Comment.author_id))
        .where(*visible)
        .order_by(col(Comment.created_at), col(Comment.id))
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(query)).all()
    count = await session.scalar(select(func.count()).select_from(Comment).where(*visible))
    return [public_comment(c, p) for c, p in rows], count or 0


async def comment_for_update(session: AsyncSession, comment_id: uuid.UUID) -> Comment:
    # Locked: concurrent reports count each other, and a hide and an unhide take turns.
    query = select(Comment).where(col(Comment.id) == comment_id).with_for_update()
    comment = await session.scalar(query)
    if comment is None:
        raise NotFound(f"No comment {comment_id}", code="comment_not_found")
    return comment
