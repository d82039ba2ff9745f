"""Comments on documents, and their moderation: anyone signed in comments, anyone (even without
an account) reports, the project's coordinators hide and unhide. Every act of moderation is a row
of `comment_moderation` (who, when, why, what), never an edit of the comment: a hidden comment
leaves public view and stays in the audit.

Person columns are foreign keys to `person` with ON UPDATE CASCADE (an erasure's pseudonym
follows); names are joined in when read."""

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from sqlalchemy import Column, DateTime, ForeignKey, Index, Text, func, text
from sqlmodel import Field

from meent_shared.types import FreeText, NonBlankLine
from spaces.db import Model

MAX_COMMENT_LENGTH = 5_000
MAX_REASON_LENGTH = 500


def _has_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_text", "A comment must not be blank")
    return value


class ModerationAction(StrEnum):
    report = "report"
    hide = "hide"
    unhide = "unhide"


def _created_at() -> dt.datetime | None:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class Comment(Model, table=True):
    __table_args__ = (Index("ix_comment_document_created", "document_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    document_id: uuid.UUID = Field(sa_column=Column(ForeignKey("document.id"), nullable=False))
    author_id: str = Field(
        sa_column=Column(ForeignKey("person.id", onupdate="CASCADE"), nullable=False, index=True)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    # Set by a coordinator's hide, cleared by an unhide; the acts themselves are in the audit.
    hidden_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: dt.datetime | None = _created_at()


class CommentModeration(Model, table=True):
    """One act on a comment: a report (by anyone; `actor_id` None without an account), a hide or
    an unhide (by a coordinator or an admin), always with its reason."""

    __tablename__ = "comment_moderation"
    __table_args__ = (
        Index("ix_comment_moderation_project_created", "project_id", "created_at"),
        Index("ix_comment_moderation_comment_created", "comment_id", "created_at"),
        # A person reports a comment once; anonymous reports are bounded per hour instead.
        Index(
            "uq_comment_moderation_one_report",
            "comment_id",
            "actor_id",
            unique=True,
            postgresql_where=text("action = 'report' AND actor_id IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    comment_id: uuid.UUID = Field(sa_column=Column(ForeignKey("comment.id"), nullable=False))
    # The comment's project, kept here so a project's audit is one indexed read.
    project_id: uuid.UUID = Field(sa_column=Column(ForeignKey("project.id"), nullable=False))
    action: ModerationAction
    actor_id: str | None = Field(
        default=None,
        sa_column=Column(ForeignKey("person.id", onupdate="CASCADE"), nullable=True, index=True),
    )
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = _created_at()


class CommentCreate(Model):
    body: Annotated[FreeText, AfterValidator(_has_text)] = Field(
        min_length=1, max_length=MAX_COMMENT_LENGTH
    )


class ModerationReason(Model):
    reason: NonBlankLine = Field(min_length=1, max_length=MAX_REASON_LENGTH)


class CommentPublic(Model):
    id: uuid.UUID
    document_id: uuid.UUID
    author_name: str  # as the author allows: their name, "a member" or "erased person"
    body: str
    body_html: str  # the body as safe HTML: escaped text, paragraphs and line breaks
    created_at: dt.datetime


class CommentsPublic(Model):
    data: list[CommentPublic]
    count: int


class ModerationEntry(Model):
    id: uuid.UUID
    comment_id: uuid.UUID
    document_id: uuid.UUID
    action: ModerationAction
    actor_id: str | None  # None: a report made without an account
    actor_name: str
    reason: str
    created_at: dt.datetime
    comment_body: str  # what was reported or hidden, hidden or not
    comment_hidden: bool


class ModerationLog(Model):
    data: list[ModerationEntry]
    count: int


class ReportReceived(Model):
    id: uuid.UUID
    comment_id: uuid.UUID
    created_at: dt.datetime
