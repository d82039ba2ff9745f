"""Hour entries: time a member logged on a project, decided on by someone else.

An approved entry never changes. A correction is a new entry (`corrects_entry_id`) with a signed
minutes delta, approved like any entry; totals count the net minutes of approved entries.
"""

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlmodel import Field

from meent_shared.types import CalendarDate, FreeText
from volunteers.db import Model

MINUTES_PER_DAY = 1440


class HourStatus(StrEnum):
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"  # by its logger, while it was still submitted


class HourActivity(StrEnum):
    planning = "planning"
    consultation = "consultation"
    gardening = "gardening"
    maintenance = "maintenance"
    outreach = "outreach"
    administration = "administration"
    other = "other"


class HourSource(StrEnum):
    web = "web"  # logged by the volunteer (web client, GraphQL, REST)
    correction = "correction"
    imported = "imported"  # from a coordinator's CSV of a paper sign-in sheet


class HourEntry(Model, table=True):
    __tablename__ = "hour_entry"
    __table_args__ = (
        # An ordinary entry is 1..1440 minutes; a correction is a non-zero delta of at most a day.
        CheckConstraint(
            "(corrects_entry_id IS NULL AND minutes BETWEEN 1 AND 1440)"
            " OR (corrects_entry_id IS NOT NULL AND minutes <> 0 AND minutes BETWEEN -1440 AND 1440)",
            name="minutes_in_range",
        ),
        Index("ix_hour_entry_project_day", "project_id", "worked_on"),
        Index("ix_hour_entry_person_day", "person_id", "worked_on"),
        # The approval queue: only submitted entries, per project.
        Index(
            "ix_hour_entry_submitted",
            "project_id",
            "created_at",
            postgresql_where=text("status = 'submitted'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    project_id: uuid.UUID
    site_id: uuid.UUID | None = None
    person_id: str = Field(index=True)  # whose hours these are (OIDC subject, or a pseudonym)
    logged_by: str  # who entered them: the person, or the coordinator who imported or corrected
    activity: HourActivity
    worked_on: CalendarDate
    minutes: int  # signed only on a correction
    note: FreeText = Field(default="", max_length=2000)
    status: HourStatus = Field(default=HourStatus.submitted)
    source: HourSource = Field(default=HourSource.web)
    corrects_entry_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("hour_entry.id"), nullable=True, index=True)
    )
    version: int = Field(default=1)
    decided_by: str | None = None
    decided_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    reason: str = ""
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class HourRollup(Model, table=True):
    """Approved net minutes per project, month, activity and person, kept in the approval's own
    transaction, so summaries read a few rows instead of every entry of a large project."""

    __tablename__ = "hour_rollup"

    project_id: uuid.UUID = Field(primary_key=True)
    month: dt.date = Field(sa_column=Column(Date, primary_key=True))  # the month's first day
    activity: HourActivity = Field(primary_key=True)
    person_id: str = Field(primary_key=True)
    minutes: int = Field(sa_column=Column(BigInteger, nullable=False))
    entries: int = Field(sa_column=Column(Integer, nullable=False))


class HourProjectMonth(Model, table=True):
    """`hour_rollup` without the person: approved net minutes per project, month and activity,
    kept in the same transaction. Monthly and per-activity summaries and totals read these few
    dozen rows per project instead of every member's (thousands for a large project)."""

    __tablename__ = "hour_project_month"

    project_id: uuid.UUID = Field(primary_key=True)
    month: dt.date = Field(sa_column=Column(Date, primary_key=True))  # the month's first day
    activity: HourActivity = Field(primary_key=True)
    minutes: int = Field(sa_column=Column(BigInteger, nullable=False))
    entries: int = Field(sa_column=Column(Integer, nullable=False))


class IdempotencyKey(Model, table=True):
    """A submission's `Idempotency-Key`, per caller, kept 24 h: a retry gets the stored answer."""

    __tablename__ = "idempotency_key"

    person_id: str = Field(primary_key=True)
    key: str = Field(sa_column=Column(String(255), primary_key=True))
    request_hash: str  # SHA-256 of the canonical request body: another body is refused
    status_code: int
    entry_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("hour_entry.id"), nullable=True)
    )
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
        ),
    )


# --- what clients send and see


class HourEntryCreate(Model):
    project_id: uuid.UUID
    site_id: uuid.UUID | None = None
    activity: HourActivity
    worked_on: CalendarDate
    # A day has 1,440 minutes; more in one entry is a typing error, not dedication.
    minutes: int = Field(ge=1, le=MINUTES_PER_DAY)
    note: FreeText = Field(default="", max_length=2000)


class HourDecision(Model):
    reason: FreeText = Field(default="", max_length=2000)


class HourEntryPublic(Model):
    id: uuid.UUID
    project_id: uuid.UUID
    site_id: uuid.UUID | None
    person_id: str
    logged_by: str
    activity: HourActivity
    worked_on: dt.date
    minutes: int
    note: str
    status: HourStatus
    source: HourSource
    corrects_entry_id: uuid.UUID | None
    version: int
    decided_by: str | None
    reason: str


class HourEntryEdit(Model):
    """The logger's change to a submitted entry; `version` is the one they started from."""

    site_id: uuid.UUID | None = None
    activity: HourActivity | None = None
    worked_on: CalendarDate | None = None
    # Signed only when the entry is a correction; the service checks which.
    minutes: int | None = Field(default=None, ge=-MINUTES_PER_DAY, le=MINUTES_PER_DAY)
    note: FreeText | None = Field(default=None, max_length=2000)
    version: int = Field(ge=1)


class HourCorrectionCreate(Model):
    """A signed change to an approved entry's minutes, approved like any entry."""

    minutes: int = Field(ge=-MINUTES_PER_DAY, le=MINUTES_PER_DAY)
    note: FreeText = Field(default="", max_length=2000)
    activity: HourActivity | None = None  # the corrected entry's, unless named


class HourDecisionBatch(Model):
    """Several entries approved (or rejected, with one reason) at once."""

    entry_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)
    approve: bool
    reason: FreeText = Field(default="", max_length=2000)


class HourDecisionError(Model):
    type: str
    msg: str


class HourDecisionResult(Model):
    entry_id: uuid.UUID
    entry: HourEntryPublic | None = None
    error: HourDecisionError | None = None


class HourDecisionResults(Model):
    results: list[HourDecisionResult]
