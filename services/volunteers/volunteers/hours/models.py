import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Column, DateTime, func
from sqlmodel import Field

from meent_shared.types import CalendarDate, FreeText, NonBlankLine
from volunteers.db import Model


class HourStatus(StrEnum):
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"


class HourEntryBase(Model):
    project_id: uuid.UUID
    site_id: uuid.UUID | None = None
    activity: NonBlankLine = Field(min_length=1, max_length=100)
    worked_on: CalendarDate
    note: FreeText = Field(default="", max_length=2000)


class HourEntryCreate(HourEntryBase):
    # A day has 1,440 minutes; more in one entry is a typing error, not dedication.
    minutes: int = Field(ge=1, le=1440)


class HourEntry(HourEntryBase, table=True):
    __tablename__ = "hour_entry"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    person_id: str = Field(index=True)
    minutes: int
    status: HourStatus = Field(default=HourStatus.submitted)
    version: int = Field(default=1)
    decided_by: str | None = None
    reason: str = ""
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class HourDecision(Model):
    reason: FreeText = Field(default="", max_length=2000)


class HourEntryPublic(HourEntryBase):
    id: uuid.UUID
    minutes: int
    status: HourStatus
    version: int
