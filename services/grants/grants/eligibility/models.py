import datetime as dt
import uuid

from sqlmodel import Field

from grants.db import Model


class ApprovedHourEntry(Model, table=True):
    """One approved hour entry as volunteers announced it (`volunteers.hours.approved`).

    Keyed by volunteers' entry id and kept with `apply_if_newer`, so a redelivery, a re-created
    consumer or a republish sets the same row again; totals are summed by query (a correction is
    an entry of its own, with negative minutes).
    """

    __tablename__ = "approved_hour_entry"

    entry_id: uuid.UUID = Field(primary_key=True)
    project_id: uuid.UUID = Field(index=True)
    minutes: int
    worked_on: dt.date
    corrects_entry_id: uuid.UUID | None = None
    version: int


class ProjectHoursPublic(Model):
    project_id: uuid.UUID
    approved_minutes: int
    approved_hours: float
    approved_entries: int


class RuleCheck(Model):
    """One eligibility rule of a call, as a project stands against it now."""

    rule: str  # min_members, min_hours, district
    met: bool
    required: int | str
    actual: int | str
    message: str


class EligibilityPublic(Model):
    call_id: uuid.UUID
    project_id: uuid.UUID
    eligible: bool
    rules: list[RuleCheck]
