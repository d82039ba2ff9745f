"""Moderation of comments: reports by anyone, hides and unhides by the project's coordinators
(or an admin), each one row of the audit with who, when and why."""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict
from spaces.access import require_project_role
from spaces.comments.models import Comment, CommentModeration, ModerationAction, ModerationEntry
from spaces.comments.names import shown_name
from spaces.comments.service import (
    ANONYMOUS_REPORTS_PER_COMMENT_HOUR,
    ANONYMOUS_REPORTS_PER_PROJECT_HOUR,
    MODERATORS,
    TooManyReports,
    comment_for_update,
    document_of,
)
from spaces.people.models import Person
from spaces.people.service import ensure_person

HOUR = dt.timedelta(hours=1)


async def _record(
    session: AsyncSession,
    comment: Comment,
    project_id: uuid.UUID,
    action: ModerationAction,
    actor_id: str | None,
    reason: str,
) -> CommentModeration:
    act = CommentModeration(
        comment_id=comment.id,
        project_id=project_id,
        action=action,
        actor_id=actor_id,
        reason=reason,
    )
    session.add(act)
    await session.flush()
    await session.refresh(act)
    return act


async def _anonymous_reports_since(
    session: AsyncSession, since: dt.datetime, **where: uuid.UUID
) -> int:
    query = select(func.count()).where(
        col(CommentModeration.action) == ModerationAction.report,
        col(CommentModeration.actor_id).is_(None),
        col(CommentModeration.created_at) >= since,
        *(getattr(CommentModeration, name) == value for name, value in where.items()),
    )
    return await session.scalar(query) or 0


async def _check_anonymous_bound(
    session: AsyncSession, comment: Comment, project_id: uuid.UUID
) -> None:
    since = dt.datetime.now(dt.UTC) - HOUR
    if await _anonymous_reports_since(session, since, comment_id=comment.id) >= (
        ANONYMOUS_REPORTS_PER_COMMENT_HOUR
    ) or await _anonymous_reports_since(session, since, project_id=project_id) >= (
        ANONYMOUS_REPORTS_PER_PROJECT_HOUR
    ):
        raise TooManyReports(
            "This comment has had enough reports without an account for now: "
            "sign in to report it, or try again in an hour"
        )


async def report_comment(
    *, session: AsyncSession, comment_id: uuid.UUID, reason: str, by: Principal | None
) -> ModerationEntry:
    """Anyone reports a comment, with a reason; a person once per comment."""
    comment = await comment_for_update(session, comment_id)
    document = await document_of(session, comment.document_id)
    if by is None:
        await _check_anonymous_bound(session, comment, document.project_id)
        act = await _record(
            session, comment, document.project_id, ModerationAction.report, None, reason
        )
        return moderation_entry(act, comment, None)
    reporter = await ensure_person(session, by)
    try:
        async with session.begin_nested():
            act = await _record(
                session, comment, document.project_id, ModerationAction.report, reporter.id, reason
            )
    except IntegrityError:
        raise Conflict("You have reported this comment already", code="already_reported") from None
    return moderation_entry(act, comment, reporter)


async def set_hidden(
    *, session: AsyncSession, comment_id: uuid.UUID, hidden: bool, reason: str, by: Principal
) -> ModerationEntry:
    """A coordinator (or an admin) hides a visible comment or shows a hidden one again."""
    comment = await comment_for_update(session, comment_id)
    document = await document_of(session, comment.document_id)
    doing = "hide comments" if hidden else "unhide comments"
    await require_project_role(session, document.project_id, by, MODERATORS, doing)
    if (comment.hidden_at is not None) == hidden:
        state = "hidden" if hidden else "visible"
        raise Conflict(f"The comment is {state} already", code=f"already_{state}")
    moderator = await ensure_person(session, by)
    comment.hidden_at = dt.datetime.now(dt.UTC) if hidden else None
    action = ModerationAction.hide if hidden else ModerationAction.unhide
    act = await _record(session, comment, document.project_id, action, moderator.id, reason)
    return moderation_entry(act, comment, moderator)


async def moderation_log(
    *, session: AsyncSession, project_id: uuid.UUID, by: Principal, limit: int, offset: int
) -> tuple[list[ModerationEntry], int]:
    """Every report, hide and unhide in the project, newest first (for its coordinators)."""
    await require_project_role(session, project_id, by, MODERATORS, "read the moderation log")
    of_project = col(CommentModeration.project_id) == project_id
    query = (
        select(CommentModeration, Comment, Person)
        .join(Comment, col(Comment.id) == col(CommentModeration.comment_id))
        .outerjoin(Person, col(Person.id) == col(CommentModeration.actor_id))
        .where(of_project)
        .order_by(col(CommentModeration.created_at).desc(), col(CommentModeration.id))
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(query)).all()
    count = await session.scalar(
        select(func.count()).select_from(CommentModeration).where(of_project)
    )
    return [moderation_entry(act, comment, actor) for act, comment, actor in rows], count or 0


def moderation_entry(
    act: CommentModeration, comment: Comment, actor: Person | None
) -> ModerationEntry:
    assert act.created_at is not None
    return ModerationEntry(
        id=act.id,
        comment_id=comment.id,
        document_id=comment.document_id,
        action=act.action,
        actor_id=act.actor_id,
        actor_name=shown_name(actor),
        reason=act.reason,
        created_at=act.created_at,
        comment_body=comment.body,
        comment_hidden=comment.hidden_at is not None,
    )
