"""Blobs (bytes, once per SHA-256) and attachments (a project's file: a name over a blob)."""

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, String, func
from sqlmodel import Field

from spaces.db import Model


class Blob(Model, table=True):
    """Stored bytes, keyed by their SHA-256: the same bytes uploaded twice are one blob."""

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_type: str = Field(max_length=100)
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class Attachment(Model, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    project_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("project.id"), nullable=False, index=True)
    )
    blob_sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("blob.sha256"), nullable=False, index=True)
    )
    filename: str = Field(max_length=255)  # sanitised: no folders, no control characters
    media_type: str = Field(max_length=100)  # detected from the bytes, not the name
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    uploaded_by: str = Field(
        sa_column=Column(ForeignKey("person.id", onupdate="CASCADE"), nullable=False, index=True)
    )
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class AttachmentPublic(Model):
    id: uuid.UUID
    project_id: uuid.UUID
    filename: str
    media_type: str
    size: int
    sha256: str
    # Whether a browser may show it in the page (raster images); everything else downloads.
    inline: bool
    created_at: dt.datetime
