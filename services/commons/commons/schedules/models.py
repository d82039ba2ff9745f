import datetime as dt
import uuid
from enum import StrEnum
from typing import Any, Self

from pydantic import model_validator
from sqlalchemy import Column, DateTime, ForeignKey, Index, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import TSTZRANGE
from sqlmodel import Field

from commons.db import Model
from commons.schedules.engine import SEGMENT_REACH
from meent_shared.types import FreeText, Identifier, SingleLine, WallClockTime

# A known core of uses; the vocabulary stays open.
CORE_USES = ("parking", "recreation", "market", "event", "closed", "works", "green")


# Schedules are for the living city: far-away dates are typing errors.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class PeriodStatus(StrEnum):
    active = "active"  # part of the schedule
    proposed = "proposed"  # a steward's proposal, waiting for maintenance or an admin


class UsePeriodBase(Model):
    use: Identifier = Field(min_length=1, max_length=40)
    priority: int = Field(default=0, ge=0, le=100)
    starts_on: dt.date
    ends_on: dt.date | None = None
    rule: SingleLine | None = Field(default=None, max_length=500, description="RFC 5545 RRULE")
    day_starts_at: WallClockTime | None = None
    day_ends_at: WallClockTime | None = None
    note: FreeText = Field(default="", max_length=2000)


class UsePeriodCreate(UsePeriodBase):
    @model_validator(mode="after")
    def dates_and_window_fit(self) -> Self:
        for day in (self.starts_on, self.ends_on):
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValueError(f"dates must lie between {FIRST_YEAR} and {LAST_YEAR}")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if self.ends_on is None and self.rule is not None:
            raise ValueError("a recurring period needs ends_on (the last day of its first span)")
        if (self.day_starts_at is None) != (self.day_ends_at is None):
            raise ValueError("give both day_starts_at and day_ends_at, or neither")
        if self.day_starts_at is not None and self.day_starts_at == self.day_ends_at:
            raise ValueError("the time-of-day window is empty")
        return self


class UsePeriod(UsePeriodBase, table=True):
    __tablename__ = "use_period"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("site.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: PeriodStatus = Field(default=PeriodStatus.active)
    proposed_by: str | None = None
    version: int = Field(default=1)
    # How far ahead its occurrences are materialized; the scheduler moves it on.
    materialized_until: dt.date | None = None
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class UsePeriodPublic(UsePeriodBase):
    id: uuid.UUID
    site_id: uuid.UUID
    status: PeriodStatus
    version: int


class UseOccurrence(Model, table=True):
    """Active periods' occurrences, materialized over a horizon, so map queries over thousands of
    sites answer in SQL; the engine stays the source of truth (and covers any date)."""

    __tablename__ = "use_occurrence"
    __table_args__ = (
        Index("ix_use_occurrence_during", "during", postgresql_using="gist"),
        # "This site's occurrences at that instant", for thousands of sites at once (btree_gist).
        Index("ix_use_occurrence_site_during", "site_id", "during", postgresql_using="gist"),
        # An occurrence is written once, whoever writes it (ON CONFLICT DO NOTHING).
        UniqueConstraint("period_id", "during"),
    )

    id: int | None = Field(default=None, primary_key=True)
    period_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("use_period.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    site_id: uuid.UUID = Field(index=True)
    use: str
    priority: int
    during: Any = Field(sa_column=Column(TSTZRANGE, nullable=False))


class Segment(Model):
    start: dt.datetime
    end: dt.datetime
    use: str
    period_id: uuid.UUID
    priority: int


_REACH = f"{SEGMENT_REACH.days} days"


class UseAt(Segment):
    """The use in force at an instant, as its whole segment."""

    start: dt.datetime = Field(
        description=f"When this use began, looked for up to {_REACH} before the instant: a use "
        "that began earlier shows that bound"
    )
    end: dt.datetime = Field(
        description=f"When this use next changes or stops, looked for up to {_REACH} after the "
        "instant: a use that goes on longer shows that bound"
    )
    use: str
    period_id: uuid.UUID = Field(
        description="The period in force at the instant (neighbouring periods of the same use "
        "make one segment)"
    )
    priority: int = Field(description="That period's priority")


class Timeline(Model):
    site_id: uuid.UUID
    timezone: str
    segments: list[Segment]


class SiteSchedule(Model, table=True):
    """Per site: the schedule's version (for schedule.changed) and the flip scheduler's memory."""

    __tablename__ = "site_schedule"

    site_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    )
    version: int = Field(default=0)
    use_version: int = Field(default=0)  # version of site.use_changed events
    current_use: str | None = None
