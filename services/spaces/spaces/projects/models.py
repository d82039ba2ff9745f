import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Column, DateTime, func
from sqlmodel import Field

from meent_shared.types import FreeText, NonBlankLine, Slug
from spaces.db import Model


class ProjectStatus(StrEnum):
    idea = "idea"
    active = "active"
    completed = "completed"
    archived = "archived"


class ProjectBase(Model):
    name: NonBlankLine = Field(min_length=1, max_length=200)
    summary: FreeText = Field(default="", max_length=2000)


class ProjectCreate(ProjectBase):
    slug: Slug | None = Field(default=None, min_length=1, max_length=80)


class ProjectUpdate(Model):
    name: NonBlankLine | None = Field(default=None, min_length=1, max_length=200)
    summary: FreeText | None = Field(default=None, max_length=2000)
    status: ProjectStatus | None = None


class Project(ProjectBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    status: ProjectStatus = Field(default=ProjectStatus.idea)
    version: int = Field(default=1)
    created_by: str
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class ProjectPublic(ProjectBase):
    id: uuid.UUID
    slug: str
    status: ProjectStatus
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectsPublic(Model):
    data: list[ProjectPublic]
    count: int
