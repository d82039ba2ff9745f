"""A citizen's ballot in a call's public vote: one per person and call, changeable until the call
closes; never shown to anyone but its voter. Tallies are public once the call is closed."""

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StrictInt
from pydantic import Field as PydanticField
from sqlalchemy import Column, DateTime, ForeignKey, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from grants.db import Model

MAX_CHOICES = 200  # more than any call's applications a voter could be shown on one page


class Ballot(Model, table=True):
    __tablename__ = "ballot"

    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), primary_key=True)
    )
    voter: str = Field(primary_key=True)
    choices: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))  # id → points
    version: int = 1
    cast_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class BallotIn(BaseModel):
    """Application id → points (approval and budget ballots: 1 for each chosen application)."""

    model_config = ConfigDict(extra="forbid")
    choices: Annotated[
        dict[uuid.UUID, StrictInt], PydanticField(min_length=1, max_length=MAX_CHOICES)
    ]


class BallotPublic(Model):
    """The voter's own ballot, shown only to them."""

    call_id: uuid.UUID
    choices: dict[uuid.UUID, int]
    version: int
    cast_at: dt.datetime


class TallyLine(Model):
    application_id: uuid.UUID
    title: str
    project_name: str | None
    points: int


class TallyPublic(Model):
    call_id: uuid.UUID
    kind: str
    ballots: int
    lines: list[TallyLine]


class VoterPublic(Model):
    """Whether the caller's ballot would count: the call's voter rule against their token."""

    may_vote: bool
