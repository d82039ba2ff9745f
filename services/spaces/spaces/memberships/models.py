"""Memberships: a person's stints in a project's groups (coordinator, core, skill).

One row per stint: joining makes one, leaving closes it (`left_on`), a rejoin is a new row and a
new id; a role change keeps the row and raises its version. Dates are the city's local dates
(MEENT_CITY_TIMEZONE), both inclusive. At most one open stint per person and project (a partial
unique index)."""

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Index, func, text
from sqlmodel import Field

from meent_shared.types import PersonId
from spaces.db import Model


class ProjectRole(StrEnum):
    coordinator = "coordinator"
    core = "core"
    skill = "skill"


class Membership(Model, table=True):
    __table_args__ = (
        Index(
            "uq_membership_open_stint",
            "project_id",
            "person_id",
            unique=True,
            postgresql_where=text("left_on IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    project_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("project.id"), nullable=False, index=True)
    )
    person_id: str = Field(
        sa_column=Column(ForeignKey("person.id", onupdate="CASCADE"), nullable=False, index=True)
    )
    role: ProjectRole = Field()  # the stint's role (its last, once it ended)
    joined_on: dt.date
    left_on: dt.date | None = Field(default=None)
    version: int = Field(default=1)
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class MembershipCreate(Model):
    """Who joins and as what: no `person_id` means the caller themselves, in the skill group."""

    person_id: PersonId | None = None
    role: ProjectRole = Field(default=ProjectRole.skill)


class MembershipUpdate(Model):
    role: ProjectRole


class MembershipPublic(Model):
    """A stint as the public sees it: the person's name only if they show it."""

    id: uuid.UUID
    project_id: uuid.UUID
    person_id: str
    display_name: str  # as the person allows: their name, "a member" or "erased person"
    role: ProjectRole
    joined_on: dt.date
    left_on: dt.date | None
    version: int


class MembershipsPublic(Model):
    data: list[MembershipPublic]
    count: int
