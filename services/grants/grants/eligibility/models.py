import uuid

from sqlalchemy import BigInteger, Column
from sqlmodel import Field

from grants.db import Model


class ProjectHours(Model, table=True):
    """Approved volunteer minutes per project, summed from `volunteers.hours.approved` events.

    Calls can require e.g. "at least 100 approved hours". The sum is not idempotent, so it relies
    on the inbox: each event is applied exactly once.
    """

    __tablename__ = "project_hours"

    project_id: uuid.UUID = Field(primary_key=True)
    approved_minutes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    approved_entries: int = Field(default=0)


class ProjectHoursPublic(Model):
    project_id: uuid.UUID
    approved_minutes: int
    approved_hours: float
    approved_entries: int
