"""An application of a citizen project to a funding call: what it asks for, line by line, and
where it stands (draft → submitted → withdrawn / awarded / rejected)."""

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from grants.calls.models import MONEY
from grants.db import Model
from grants.money import Amount, Total
from meent_shared.types import FreeText, NonBlankLine

MAX_BUDGET_LINES = 50


class ApplicationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"
    awarded = "awarded"
    rejected = "rejected"


class BudgetLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Annotated[NonBlankLine, PydanticField(min_length=1, max_length=200)]
    amount: Amount


class ApplicationFields(Model):
    title: NonBlankLine = Field(min_length=1, max_length=200)
    summary: FreeText = Field(default="", max_length=10_000)
    requested: Amount = Field(sa_column=Column(MONEY, nullable=False))
    document_id: uuid.UUID | None = Field(
        default=None, description="A document in the project's space that the application links"
    )


class ApplicationWrite(ApplicationFields):
    """What a coordinator writes; the budget lines must add up to the requested amount."""

    budget_lines: Annotated[
        list[BudgetLine], PydanticField(min_length=1, max_length=MAX_BUDGET_LINES)
    ]

    @model_validator(mode="after")
    def lines_sum_to_the_request(self) -> Self:
        total = sum((line.amount for line in self.budget_lines), Decimal("0"))
        if total != self.requested:
            raise ValueError(
                f"the budget lines add up to {total:.2f}, not the requested {self.requested:.2f}"
            )
        return self


class ApplicationCreate(ApplicationWrite):
    call_id: uuid.UUID
    project_id: uuid.UUID


class Application(ApplicationFields, table=True):
    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(
            "disbursed >= 0 AND released >= 0 AND disbursed + released <= coalesce(awarded, 0)",
            name="spent_within_award",
        ),
        # One live application per project and call (a withdrawn one may be followed by another).
        Index(
            "uq_application_call_project_live",
            "call_id",
            "project_id",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), nullable=False, index=True)
    )
    project_id: uuid.UUID = Field(index=True)
    applicant: str
    budget_lines: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    status: ApplicationStatus = Field(default=ApplicationStatus.draft)
    awarded: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    disbursed: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    released: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    decision_note: str = ""
    version: int = Field(default=1)
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    submitted_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class ApplicationPublic(ApplicationFields):
    id: uuid.UUID
    call_id: uuid.UUID
    currency: str  # the call's: every amount of the application is in it
    project_id: uuid.UUID
    project_name: str | None
    # No `applicant`: the coordinator's login id is personal data, not part of a public answer
    # (their data export has it).
    budget_lines: list[BudgetLine]
    status: ApplicationStatus
    awarded: Total | None
    disbursed: Total
    released: Total
    decision_note: str
    version: int
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class ApplicationsPublic(Model):
    data: list[ApplicationPublic]
    count: int


class AwardIn(BaseModel):
    """The amount awarded: the request unless the officer awards less (within the call's bounds)."""

    model_config = ConfigDict(extra="forbid")
    amount: Amount | None = None
    note: Annotated[FreeText, PydanticField(max_length=2000)] = ""


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Annotated[FreeText, PydanticField(max_length=2000)] = ""
