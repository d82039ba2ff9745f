"""spaces' projects and memberships as grants knows them from events: who coordinates a project
(and so may apply for it), how many members it has (an eligibility rule), who belongs to it (a
reviewer from an applying project may not review it), and its name in the public ledger."""

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlmodel import Field

from grants.db import Model


class KnownProject(Model, table=True):
    __tablename__ = "known_project"

    project_id: uuid.UUID = Field(primary_key=True)
    name: str
    slug: str
    version: int


class ProjectMember(Model, table=True):
    """One stint (`membership.changed`): `role` None once it ended; dates local and inclusive."""

    __tablename__ = "project_member"
    __table_args__ = (Index("ix_project_member_project_person", "project_id", "person_id"),)

    membership_id: uuid.UUID = Field(primary_key=True)
    project_id: uuid.UUID
    person_id: str = Field(index=True)
    role: str | None = None
    joined_on: dt.date
    left_on: dt.date | None = None
    version: int
