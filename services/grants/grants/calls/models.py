import datetime as dt
import uuid
from enum import StrEnum
from typing import Self

from pydantic import model_validator
from sqlalchemy import BigInteger, Column, DateTime, func
from sqlmodel import Field

from grants.db import Model
from meent_shared.types import CalendarDate, CurrencyCode, FreeText, NonBlankLine


class CallStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class FundingCallBase(Model):
    title: NonBlankLine = Field(min_length=1, max_length=200)
    description: FreeText = Field(default="", max_length=20_000)
    currency: CurrencyCode = Field(default="EUR", min_length=3, max_length=3)
    budget_cents: int = Field(gt=0, le=10**13, sa_column=Column(BigInteger, nullable=False))
    min_award_cents: int = Field(gt=0, le=10**13, sa_column=Column(BigInteger, nullable=False))
    max_award_cents: int = Field(gt=0, le=10**13, sa_column=Column(BigInteger, nullable=False))
    opens_on: CalendarDate
    closes_on: CalendarDate


class FundingCallCreate(FundingCallBase):
    @model_validator(mode="after")
    def amounts_and_dates_fit(self) -> Self:
        if self.closes_on <= self.opens_on:
            raise ValueError("closes_on must be after opens_on")
        if self.min_award_cents > self.max_award_cents:
            raise ValueError("min_award_cents must not exceed max_award_cents")
        if self.max_award_cents > self.budget_cents:
            raise ValueError("max_award_cents must not exceed budget_cents")
        return self


class FundingCall(FundingCallBase, table=True):
    __tablename__ = "funding_call"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    status: CallStatus = Field(default=CallStatus.draft)
    version: int = Field(default=1)
    created_by: str
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class FundingCallPublic(FundingCallBase):
    id: uuid.UUID
    status: CallStatus
    version: int


class FundingCallsPublic(Model):
    data: list[FundingCallPublic]
    count: int
