import datetime as dt
import uuid
from typing import Self

from pydantic import model_validator
from sqlalchemy import Column, ForeignKey
from sqlmodel import Field

from commons.db import Model
from meent_shared.types import CalendarDate


class KnownProject(Model, table=True):
    """spaces' projects as commons knows them from events (stewards' names)."""

    __tablename__ = "known_project"

    project_id: uuid.UUID = Field(primary_key=True)
    name: str
    slug: str
    version: int


class ProjectMember(Model, table=True):
    """spaces' memberships from events: coordinators of a stewarding project propose uses."""

    __tablename__ = "project_member"

    membership_id: uuid.UUID = Field(primary_key=True)
    project_id: uuid.UUID = Field(index=True)
    person_id: str = Field(index=True)
    role: str | None  # None: left the project
    version: int


class StewardshipCreate(Model):
    project_id: uuid.UUID
    starts_on: CalendarDate
    ends_on: CalendarDate | None = None

    @model_validator(mode="after")
    def ends_after_start(self) -> Self:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class StewardshipEnd(Model):
    ends_on: CalendarDate


class Stewardship(Model, table=True):
    __tablename__ = "stewardship"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("site.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    project_id: uuid.UUID = Field(index=True)
    starts_on: dt.date
    ends_on: dt.date | None = None
    version: int = Field(default=1)


class StewardshipPublic(Model):
    id: uuid.UUID
    site_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str | None
    starts_on: dt.date
    ends_on: dt.date | None
    version: int


class ProjectStewardshipPublic(StewardshipPublic):
    """A stewardship as a project's page lists it: which site, by name."""

    site_name: str
