import datetime as dt
import uuid
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import Column, DateTime, ForeignKey, UniqueConstraint, func
from sqlmodel import Field

from commons.db import Model
from commons.schedules.models import FIRST_YEAR, LAST_YEAR
from meent_shared.types import CalendarDate, FreeText, NonBlankLine, SingleLine

# Uses during which heavy work clashes with people on the site.
SENSITIVE_USES = frozenset({"recreation", "market", "event"})


class TeamCreate(Model):
    name: NonBlankLine = Field(min_length=1, max_length=200)
    description: FreeText = Field(default="", max_length=2000)


class Team(TeamCreate, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class TeamMember(Model, table=True):
    """A person (with the `maintenance` role) in a team."""

    __tablename__ = "team_member"

    team_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    person_id: str = Field(primary_key=True)


class TaskStatus(StrEnum):
    open = "open"
    cancelled = "cancelled"


class MaintenanceTaskBase(Model):
    title: NonBlankLine = Field(min_length=1, max_length=200)
    description: FreeText = Field(default="", max_length=5000)
    team_id: uuid.UUID | None = None
    due_on: dt.date = Field(description="The due date; the first one of a recurring task")
    rule: SingleLine | None = Field(
        default=None, max_length=500, description="RRULE for recurring work"
    )
    heavy: bool = Field(default=False, description="Heavy works: clash with recreation, markets")


class MaintenanceTaskCreate(MaintenanceTaskBase):
    @field_validator("due_on")
    @classmethod
    def within_the_living_city(cls, value: dt.date) -> dt.date:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"due_on must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return value


class MaintenanceTask(MaintenanceTaskBase, table=True):
    __tablename__ = "maintenance_task"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("site.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: TaskStatus = Field(default=TaskStatus.open)
    version: int = Field(default=1)
    created_by: str


class TaskCompletion(Model, table=True):
    """One due occurrence done: who and when."""

    __tablename__ = "task_completion"
    __table_args__ = (UniqueConstraint("task_id", "due_on"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    task_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("maintenance_task.id", ondelete="CASCADE"), nullable=False)
    )
    due_on: dt.date
    completed_by: str
    completed_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class CompletionCreate(Model):
    due_on: CalendarDate | None = Field(
        default=None, description="Which occurrence; default: oldest open"
    )


class TaskOccurrence(Model):
    """One due date of a task, as maintenance teams see it."""

    task_id: uuid.UUID
    site_id: uuid.UUID
    site_name: str
    team_id: uuid.UUID | None
    title: str
    due_on: dt.date
    heavy: bool
    done: bool
    completed_by: str | None
    overdue: bool
    clashes_with_use: str | None  # the site's use that day, when heavy work clashes with it


class TeamPublic(TeamCreate):
    id: uuid.UUID
    members: list[str]


class MaintenanceTaskPublic(MaintenanceTaskBase):
    id: uuid.UUID
    site_id: uuid.UUID
    status: TaskStatus
    version: int
