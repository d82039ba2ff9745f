"""spaces' memberships and people as volunteers knows them from events.

Who may log for a project on a date (a member that day), who approves (its coordinators, or a core
member where there is no other coordinator), and the names CSV exports and imports use.
"""

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlmodel import Field

from volunteers.db import Model


class ProjectMember(Model, table=True):
    """One stint (`membership.changed`): `role` None once they left; dates inclusive, local."""

    __tablename__ = "project_member"
    __table_args__ = (Index("ix_project_member_project_person", "project_id", "person_id"),)

    membership_id: uuid.UUID = Field(primary_key=True)
    project_id: uuid.UUID
    person_id: str = Field(index=True)
    role: str | None = None  # coordinator, core, skill; None once the stint ended
    last_role: str  # the stint's role, kept after it ended (approval on past dates)
    joined_on: dt.date
    left_on: dt.date | None = None
    version: int


class KnownPerson(Model, table=True):
    """`person.updated`: a display name, and whether it may be shown beside their hours."""

    __tablename__ = "known_person"

    person_id: str = Field(primary_key=True)
    display_name: str
    name_public: bool = False
    version: int
