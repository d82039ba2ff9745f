import uuid

from fastapi import APIRouter

from meent_shared.errors import Forbidden
from meent_shared.types import PageLimit, PageOffset
from spaces.comments import moderation
from spaces.comments import service as comment_service
from spaces.comments.models import (
    CommentCreate,
    CommentPublic,
    CommentsPublic,
    ModerationEntry,
    ModerationLog,
    ModerationReason,
    ReportReceived,
)
from spaces.deps import CurrentPrincipal, OptionalPrincipal, SessionDep

router = APIRouter(tags=["comments"])


@router.get(
    "/documents/{document_id}/comments",
    response_model=CommentsPublic,
    summary="A document's visible comments, oldest first (public)",
)
async def list_comments(
    document_id: uuid.UUID, session: SessionDep, limit: PageLimit = 100, offset: PageOffset = 0
) -> CommentsPublic:
    comments, count = await comment_service.visible_comments(
        session=session, document_id=document_id, limit=limit, offset=offset
    )
    return CommentsPublic(data=comments, count=count)


@router.post(
    "/documents/{document_id}/comments",
    response_model=CommentPublic,
    status_code=201,
    summary="Comment on a document (anyone signed in)",
)
async def add_comment(
    document_id: uuid.UUID,
    comment_in: CommentCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> CommentPublic:
    async with session.begin():
        return await comment_service.add_comment(
            session=session, document_id=document_id, body=comment_in.body, by=principal
        )


@router.post(
    "/comments/{comment_id}/reports",
    response_model=ReportReceived,
    status_code=201,
    summary="Report a comment, with a reason (anyone, even without an account)",
)
async def report_comment(
    comment_id: uuid.UUID,
    reason_in: ModerationReason,
    session: SessionDep,
    principal: OptionalPrincipal,
) -> ReportReceived:
    if principal is not None and principal.is_api_key and "write" not in principal.scopes:
        raise Forbidden("This API key may only read", code="read_only_key")
    async with session.begin():
        entry = await moderation.report_comment(
            session=session, comment_id=comment_id, reason=reason_in.reason, by=principal
        )
    # The audit is the coordinators': a reporter learns only that the report arrived.
    return ReportReceived(id=entry.id, comment_id=entry.comment_id, created_at=entry.created_at)


async def _set_hidden(
    comment_id: uuid.UUID, hidden: bool, reason: str, session: SessionDep, by: CurrentPrincipal
) -> ModerationEntry:
    async with session.begin():
        return await moderation.set_hidden(
            session=session, comment_id=comment_id, hidden=hidden, reason=reason, by=by
        )


@router.post(
    "/comments/{comment_id}/hide",
    response_model=ModerationEntry,
    summary="Hide a comment from public view, with a reason (the project's coordinators)",
)
async def hide_comment(
    comment_id: uuid.UUID,
    reason_in: ModerationReason,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> ModerationEntry:
    return await _set_hidden(comment_id, True, reason_in.reason, session, principal)


@router.post(
    "/comments/{comment_id}/unhide",
    response_model=ModerationEntry,
    summary="Show a hidden comment again, with a reason (the project's coordinators)",
)
async def unhide_comment(
    comment_id: uuid.UUID,
    reason_in: ModerationReason,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> ModerationEntry:
    return await _set_hidden(comment_id, False, reason_in.reason, session, principal)


@router.get(
    "/projects/{project_id}/moderation",
    response_model=ModerationLog,
    summary="Every report, hide and unhide in the project, newest first (its coordinators)",
)
async def moderation_log(
    project_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> ModerationLog:
    entries, count = await moderation.moderation_log(
        session=session, project_id=project_id, by=principal, limit=limit, offset=offset
    )
    return ModerationLog(data=entries, count=count)
