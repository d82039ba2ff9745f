"""Documents: a project's public texts, each a chain of immutable revisions (as MediaWiki keeps
pages). A document points to its current revision; a save names the revision it started from, and
a mismatch is an edit conflict, never an overwrite. Skill members propose revisions that a writer
accepts or declines; the proposal stays either way.

Every column that names a person is a foreign key to `person` with ON UPDATE CASCADE (an erasure's
pseudonym follows); names are joined in when read."""

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Index, Text, func
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field

from spaces.db import Model
from spaces.people.models import Language


class DocumentKind(StrEnum):
    plan = "plan"
    minutes = "minutes"
    budget = "budget"
    report = "report"
    agreement = "agreement"
    other = "other"


class DocumentStatus(StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class ProposalStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    declined = "declined"


def _created_at() -> dt.datetime | None:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def _person(nullable: bool = False) -> str:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            ForeignKey("person.id", onupdate="CASCADE"), nullable=nullable, index=True
        ),
    )


class Document(Model, table=True):
    __table_args__ = (Index("ix_document_search_vector", "search_vector", postgresql_using="gin"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    project_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("project.id"), nullable=False, index=True)
    )
    title: str = Field(max_length=200)
    kind: DocumentKind
    status: DocumentStatus = Field(default=DocumentStatus.draft)
    language: Language = Field(default=Language.en)
    current_revision_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            ForeignKey(
                "revision.id", use_alter=True, name="fk_document_current_revision_id_revision"
            ),
            nullable=True,
        ),
    )
    version: int = Field(default=1)
    # The current title and body for search and its tsvector (kept with each revision).
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    search_vector: str | None = Field(default=None, sa_column=Column(TSVECTOR, nullable=True))
    created_at: dt.datetime | None = _created_at()
    updated_at: dt.datetime | None = _created_at()


class Revision(Model, table=True):
    """One immutable state of a document's text (a trigger refuses changes to it)."""

    __table_args__ = (Index("ix_revision_document_created", "document_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    document_id: uuid.UUID = Field(sa_column=Column(ForeignKey("document.id"), nullable=False))
    parent_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("revision.id"), nullable=True)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    author_id: str = _person()
    message: str = Field(default="", max_length=500)
    # The grants application an award agreement records (one revision per application).
    award_application_id: uuid.UUID | None = Field(default=None, unique=True)
    # The body rendered and sanitised once, when saved: reading a revision never renders.
    html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime | None = _created_at()


class Proposal(Model, table=True):
    """A skill member's proposed revision, from a base revision; a writer decides on it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    document_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("document.id"), nullable=False, index=True)
    )
    base_revision_id: uuid.UUID = Field(sa_column=Column(ForeignKey("revision.id"), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    message: str = Field(default="", max_length=500)
    proposed_by: str = _person()
    status: ProposalStatus = Field(default=ProposalStatus.open)
    decided_by: str | None = _person(nullable=True)
    decided_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revision_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("revision.id"), nullable=True)
    )
    created_at: dt.datetime | None = _created_at()


class SearchWord(Model, table=True):
    """A word of a Polish document, unaccented: the lexicon a query's words are widened from by
    trigram similarity (PostgreSQL has no Polish stemmer). It only grows; a word no document
    holds any more widens a query to nothing."""

    __tablename__ = "search_word"
    __table_args__ = (
        Index(
            "ix_search_word_trgm",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )

    word: str = Field(sa_column=Column(Text, primary_key=True))
