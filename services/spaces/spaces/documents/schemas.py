"""What the documents API takes and gives: bodies are Markdown (bounded by the service's byte
limit, checked in the service), titles one line; names are shown as each person allows."""

import datetime as dt
import re
import uuid
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from meent_shared.types import NonBlankLine, SingleLine
from spaces.attachments.models import AttachmentPublic
from spaces.db import Model
from spaces.documents.models import DocumentKind, DocumentStatus, ProposalStatus
from spaces.people.models import Language

# Markdown keeps tab, line feed and carriage return; no other control character, no lone surrogate.
_NOT_IN_MARKDOWN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def markdown_text(value: str) -> str:
    if found := _NOT_IN_MARKDOWN.search(value):
        raise PydanticCustomError(
            "control_character",
            "A document's text must not contain {character} (at position {position})",
            {"character": f"U+{ord(found.group()):04X}", "position": found.start()},
        )
    return value


MarkdownBody = Annotated[str, AfterValidator(markdown_text)]
Message = Annotated[SingleLine, Field(max_length=500)]


ATTACHMENT_IDS = "The files the revision carries (uploaded to the project); left out: its parent's"


class DocumentCreate(Model):
    title: NonBlankLine = Field(min_length=1, max_length=200)
    kind: DocumentKind = DocumentKind.other
    language: Language = Language.en
    body: MarkdownBody = ""
    message: Message = ""
    attachment_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=20, description=ATTACHMENT_IDS
    )


class RevisionCreate(Model):
    parent_revision_id: uuid.UUID = Field(description="The revision this text starts from")
    body: MarkdownBody
    message: Message = ""
    title: NonBlankLine | None = Field(default=None, min_length=1, max_length=200)
    attachment_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=20, description=ATTACHMENT_IDS
    )


class StatusChange(Model):
    status: DocumentStatus


class ProposalCreate(Model):
    base_revision_id: uuid.UUID = Field(description="The revision the proposed text starts from")
    body: MarkdownBody
    message: Message = ""


class PersonName(Model):
    id: str
    name: str = Field(description="The display name if public, else 'a member'")


class RevisionPublic(Model):
    id: uuid.UUID
    document_id: uuid.UUID
    parent_id: uuid.UUID | None
    body: str
    sha256: str
    message: str
    author: PersonName
    created_at: dt.datetime
    attachments: list[AttachmentPublic] = Field(default_factory=list, description="In order")


class RevisionSummary(Model):
    """A revision in a history: everything but the body."""

    id: uuid.UUID
    parent_id: uuid.UUID | None
    message: str
    author: PersonName
    created_at: dt.datetime


class SubmittedRevision(Model):
    """The text a conflicting save sent (not stored): the writer merges it by hand."""

    parent_revision_id: uuid.UUID
    body: str
    message: str


class DocumentPublic(Model):
    id: uuid.UUID
    project_id: uuid.UUID
    title: str
    kind: DocumentKind
    status: DocumentStatus
    language: Language
    current_revision_id: uuid.UUID | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class DocumentsPublic(Model):
    data: list[DocumentPublic]
    count: int


class ProposalSummary(Model):
    """A proposal in a document's history: everything but the body (GET /proposals/{id})."""

    id: uuid.UUID
    document_id: uuid.UUID
    base_revision_id: uuid.UUID
    message: str
    proposed_by: PersonName
    status: ProposalStatus
    decided_by: PersonName | None
    decided_at: dt.datetime | None
    revision_id: uuid.UUID | None
    created_at: dt.datetime


class ProposalPublic(ProposalSummary):
    body: str


class DocumentWithHistory(DocumentPublic):
    current: RevisionPublic | None
    revisions: list[RevisionSummary] = Field(description="Newest first")
    revision_count: int
    proposals: list[ProposalSummary] = Field(
        description="The newest 100, newest first, without bodies (GET /proposals/{id})"
    )


class RenderedRevision(Model):
    revision_id: uuid.UUID
    html: str = Field(description="Sanitised HTML of the Markdown body")
    title_html: str = Field(description="The document's title, escaped")


class RevisionDiff(Model):
    from_revision_id: uuid.UUID
    to_revision_id: uuid.UUID
    unified: str = Field(description="difflib's unified diff of the two bodies")
    html: str = Field(description="The same diff as escaped lines with ins/del classes")
    added: int
    removed: int


class SearchHit(Model):
    document_id: uuid.UUID
    project_id: uuid.UUID
    title: str
    language: Language
    rank: float
    snippet: str = Field(description="HTML: the text escaped, matches in <mark>")


class SearchResults(Model):
    data: list[SearchHit]
    count: int
