"""Comments on documents and their moderation, in GraphQL: spaces' /documents/{id}/comments,
/comments/{id}/reports|hide|unhide. (The moderation log, /projects/{id}/moderation, is REST
only for now: its coordinators-only answer fits no public connection.)"""

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import Refusal, UserError, as_result, user_error
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.services import ServiceError


@strawberry.type(description="A comment on a document, as anyone sees it (hidden ones are not).")
class Comment:
    id: strawberry.ID
    document_id: strawberry.ID
    author_name: str = strawberry.field(
        description='As the author allows: their name, "a member" or "erased person".'
    )
    body: str = strawberry.field(description="Plain text, as written.")
    body_html: str = strawberry.field(description="The body as safe HTML (escaped text).")
    created_at: dt.datetime


@strawberry.type(description="One act of moderation on a comment: who, when, why, what.")
class ModerationEntry:
    id: strawberry.ID
    comment_id: strawberry.ID
    document_id: strawberry.ID
    action: str = strawberry.field(description="report, hide or unhide.")
    actor_name: str
    reason: str
    created_at: dt.datetime
    comment_body: str
    comment_hidden: bool


@strawberry.type(description="The report arrived; the project's coordinators will see it.")
class CommentReported:
    id: strawberry.ID
    comment_id: strawberry.ID
    created_at: dt.datetime


@strawberry.type(description="Too many reports without an account for now: sign in, or wait.")
class TooManyReports(UserError):
    pass


def comment_from(data: dict[str, Any]) -> Comment:
    return Comment(
        id=strawberry.ID(data["id"]),
        document_id=strawberry.ID(data["document_id"]),
        author_name=data["author_name"],
        body=data["body"],
        body_html=data["body_html"],
        created_at=dt.datetime.fromisoformat(data["created_at"]),
    )


def entry_from(data: dict[str, Any]) -> ModerationEntry:
    return ModerationEntry(
        id=strawberry.ID(data["id"]),
        comment_id=strawberry.ID(data["comment_id"]),
        document_id=strawberry.ID(data["document_id"]),
        action=data["action"],
        actor_name=data["actor_name"],
        reason=data["reason"],
        created_at=dt.datetime.fromisoformat(data["created_at"]),
        comment_body=data["comment_body"],
        comment_hidden=data["comment_hidden"],
    )


CommentResult = Annotated[Comment | Refusal, strawberry.union("CommentResult")]
ReportCommentResult = Annotated[
    CommentReported | TooManyReports | Refusal, strawberry.union("ReportCommentResult")
]
ModerationResult = Annotated[ModerationEntry | Refusal, strawberry.union("ModerationResult")]


@strawberry.type
class CommentsQuery:
    @strawberry.field(
        description="A document's visible comments, oldest first (public); null for an unknown "
        "document."
    )
    async def document_comments(
        self,
        info: Info,
        document_id: uuid.UUID,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Comment] | None:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        try:
            page = await info.context.services.get(
                "spaces", f"/documents/{document_id}/comments", {"limit": limit, "offset": offset}
            )
        except ServiceError as error:
            if error.status == 404:
                return None  # an unknown document, as for every query by id
            raise
        return connection(
            [comment_from(c) for c in page["data"]], offset=offset, total=page["count"]
        )

    @strawberry.field(
        description="Every report, hide and unhide in a project, oldest first (its coordinators)."
    )
    async def project_moderation(
        self,
        info: Info,
        project_id: uuid.UUID,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[ModerationEntry] | None:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        path = f"/projects/{project_id}/moderation"
        try:
            page = await info.context.services.get(
                "spaces", path, {"limit": limit, "offset": offset}
            )
        except ServiceError as error:
            if error.status == 404:
                return None  # an unknown project, as for every query by id
            raise
        return connection([entry_from(e) for e in page["data"]], offset=offset, total=page["count"])


def _report_refusal(error: ServiceError) -> Any:
    if error.status == 429:
        return TooManyReports(message=str(error), code=error.code or "too_many_reports")
    return user_error(error)


@strawberry.type
class CommentsMutation:
    @strawberry.mutation(description="Comment on a document (anyone signed in).")
    async def add_comment(self, info: Info, document_id: uuid.UUID, body: str) -> CommentResult:
        async def post() -> Comment:
            path = f"/documents/{document_id}/comments"
            return comment_from(await info.context.services.post("spaces", path, {"body": body}))

        return await as_result(info, post)

    @strawberry.mutation(description="Report a comment, with a reason (anyone, even signed out).")
    async def report_comment(
        self, info: Info, comment_id: uuid.UUID, reason: str
    ) -> ReportCommentResult:
        path = f"/comments/{comment_id}/reports"
        try:
            data = await info.context.services.post("spaces", path, {"reason": reason})
        except ServiceError as error:
            return _report_refusal(error)
        return CommentReported(
            id=strawberry.ID(data["id"]),
            comment_id=strawberry.ID(data["comment_id"]),
            created_at=dt.datetime.fromisoformat(data["created_at"]),
        )

    @strawberry.mutation(
        description="Hide a comment from public view (the project's coordinators)."
    )
    async def hide_comment(
        self, info: Info, comment_id: uuid.UUID, reason: str
    ) -> ModerationResult:
        return await _moderate(info, comment_id, "hide", reason)

    @strawberry.mutation(description="Show a hidden comment again (the project's coordinators).")
    async def unhide_comment(
        self, info: Info, comment_id: uuid.UUID, reason: str
    ) -> ModerationResult:
        return await _moderate(info, comment_id, "unhide", reason)


async def _moderate(info: Info, comment_id: uuid.UUID, act: str, reason: str) -> Any:
    async def post() -> ModerationEntry:
        path = f"/comments/{comment_id}/{act}"
        return entry_from(await info.context.services.post("spaces", path, {"reason": reason}))

    return await as_result(info, post)
