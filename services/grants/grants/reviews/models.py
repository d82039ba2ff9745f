"""A panel member's review of one application: a score per criterion on the call's scale, and a
comment. Reviews are public without their reviewer's identity."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StrictInt
from pydantic import Field as PydanticField
from sqlalchemy import Column, DateTime, ForeignKey, UniqueConstraint, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from grants.calls.models import MAX_CRITERIA
from grants.db import Model
from grants.money import Total
from meent_shared.types import FreeText


class Review(Model, table=True):
    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("application_id", "reviewer", name="one_per_reviewer"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), nullable=False, index=True)
    )
    application_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("application.id"), nullable=False, index=True)
    )
    reviewer: str
    scores: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    comment: str = ""
    version: int = 1
    reviewed_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scores: Annotated[dict[str, StrictInt], PydanticField(min_length=1, max_length=MAX_CRITERIA)]
    comment: Annotated[FreeText, PydanticField(max_length=5000)] = ""


class ReviewPublic(Model):
    id: uuid.UUID
    application_id: uuid.UUID
    scores: dict[str, int]
    comment: str
    reviewed_at: dt.datetime
    mine: bool = False


class RankedApplication(Model):
    position: int
    application_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str | None
    title: str
    requested: Total
    status: str
    score: Decimal  # 0..1, four places; the order is decided on exact fractions
    panel: Decimal | None
    vote: Decimal | None
    reviews: int
    votes: int | None  # only once the call is closed


class RankingPublic(Model):
    call_id: uuid.UUID
    mode: str
    tie_rule: str
    votes_counted: bool
    applications: list[RankedApplication]
