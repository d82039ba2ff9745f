"""A funding call: its budget and award bounds, dates, how applications are judged (criteria on a
score scale, a panel, a public vote, or both), who may apply and who may vote, and its running
totals (what is committed and disbursed, kept in the award's own transaction)."""

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Column, DateTime, LargeBinary, Numeric, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from grants.db import Model
from grants.money import Amount, Total
from meent_shared.types import CalendarDate, CurrencyCode, FreeText, Identifier, NonBlankLine

MONEY = Numeric(14, 2)
MAX_CRITERIA = 12
MAX_SCALE = 100


class CallStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    decided = "decided"


class CallMode(StrEnum):
    panel = "panel"  # a review panel scores; the ranking is its weighted score
    vote = "vote"  # citizens vote; the ranking is the tally
    both = "both"  # both, combined by `vote_weight`


class BallotKind(StrEnum):
    points = "points"  # distribute up to `ballot_points` points
    approval = "approval"  # approve up to `ballot_max_choices` applications
    knapsack = "knapsack"  # choose applications whose requests fit within the budget


class VoterRule(StrEnum):
    citizen = "citizen"  # any signed-in citizen
    claim = "claim"  # a token claim `voter_claim` equal to `voter_claim_value` (e.g. residence)


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[NonBlankLine, PydanticField(min_length=1, max_length=100)]
    weight: Annotated[int, PydanticField(ge=1, le=100)]


class FundingCallFields(Model):
    """What an officer writes; the same fields are stored and shown."""

    title: NonBlankLine = Field(min_length=1, max_length=200)
    description: FreeText = Field(default="", max_length=20_000)
    currency: CurrencyCode = Field(default="EUR", min_length=3, max_length=3)
    budget: Amount = Field(sa_column=Column(MONEY, nullable=False))
    min_award: Amount = Field(sa_column=Column(MONEY, nullable=False))
    max_award: Amount = Field(sa_column=Column(MONEY, nullable=False))
    opens_on: CalendarDate
    closes_on: CalendarDate
    mode: CallMode = Field(default=CallMode.panel)
    vote_weight: Decimal = Field(
        default=Decimal("0"),
        ge=0,
        le=1,
        max_digits=3,
        decimal_places=2,
        sa_column=Column(Numeric(3, 2), nullable=False),
    )
    scale_min: int = Field(default=0, ge=0, le=MAX_SCALE)
    scale_max: int = Field(default=5, ge=1, le=MAX_SCALE)
    panel_size: int = Field(default=3, ge=1, le=50)
    ballot_kind: BallotKind | None = None
    ballot_points: int | None = Field(default=None, ge=1, le=1000)
    ballot_max_choices: int | None = Field(default=None, ge=1, le=100)
    voter_rule: VoterRule = Field(default=VoterRule.citizen)
    voter_claim: Identifier | None = Field(default=None, max_length=64)
    voter_claim_value: NonBlankLine | None = Field(default=None, max_length=200)
    min_members: int | None = Field(default=None, ge=1, le=10_000)
    min_hours: int | None = Field(default=None, ge=1, le=1_000_000)
    district_id: uuid.UUID | None = None


Criteria = Annotated[list[Criterion], PydanticField(min_length=1, max_length=MAX_CRITERIA)]


def _check_call(call: "FundingCallCreate") -> None:
    """The rules one call's fields must keep together; a ValueError names the first broken one."""
    if call.closes_on <= call.opens_on:
        raise ValueError("closes_on must be after opens_on")
    if call.min_award > call.max_award:
        raise ValueError("min_award must not exceed max_award")
    if call.max_award > call.budget:
        raise ValueError("max_award must not exceed the budget")
    if call.scale_min >= call.scale_max:
        raise ValueError("scale_min must be below scale_max")
    names = [c.name for c in call.criteria]
    if len(set(names)) != len(names):
        raise ValueError("criteria must have distinct names")
    voting = call.mode in (CallMode.vote, CallMode.both)
    if voting and call.ballot_kind is None:
        raise ValueError("a call with a public vote needs a ballot_kind")
    if not voting and call.ballot_kind is not None:
        raise ValueError("ballot_kind is for calls with a public vote")
    if call.ballot_kind is BallotKind.points and call.ballot_points is None:
        raise ValueError("a points ballot needs ballot_points")
    if call.ballot_kind is BallotKind.approval and call.ballot_max_choices is None:
        raise ValueError("an approval ballot needs ballot_max_choices")
    if call.mode is CallMode.both and not 0 < call.vote_weight < 1:
        raise ValueError("a call with both a panel and a vote needs 0 < vote_weight < 1")
    if call.mode is not CallMode.both and call.vote_weight != 0:
        raise ValueError("vote_weight is for calls with both a panel and a vote")
    if (call.voter_rule is VoterRule.claim) != (
        call.voter_claim is not None and call.voter_claim_value is not None
    ):
        raise ValueError("voter_rule claim needs voter_claim and voter_claim_value (and only it)")


class FundingCallCreate(FundingCallFields):
    criteria: Criteria = Field(default_factory=lambda: [Criterion(name="Quality", weight=1)])

    @model_validator(mode="after")
    def fields_fit_together(self) -> Self:
        _check_call(self)
        return self


class FundingCall(FundingCallFields, table=True):
    __tablename__ = "funding_call"
    __table_args__ = (
        CheckConstraint("committed >= 0 AND committed <= budget", name="committed_within_budget"),
        CheckConstraint("disbursed >= 0 AND disbursed <= committed", name="disbursed_committed"),
        CheckConstraint("min_award <= max_award AND max_award <= budget", name="award_bounds"),
        CheckConstraint("closes_on > opens_on", name="closes_after_opening"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    criteria: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    status: CallStatus = Field(default=CallStatus.draft)
    # Running totals, changed only in the transaction of the ledger entry that moves them; the
    # CHECKs above are the last word: no award can take `committed` past the budget.
    committed: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    disbursed: Decimal = Field(default=Decimal("0"), sa_column=Column(MONEY, nullable=False))
    version: int = Field(default=1)
    created_by: str
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    closed_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # The panel draw (grants.panels): the seed stays secret until the decision; its hash and
    # the frozen pool's are published when the call opens.
    draw_seed: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    seed_commitment: str | None = None
    pool_commitment: str | None = None
    pool_size: int = 0
    drawn_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class FundingCallPublic(FundingCallFields):
    id: uuid.UUID
    criteria: list[Criterion]
    status: CallStatus
    committed: Total
    disbursed: Total
    remaining: Total
    version: int


class FundingCallsPublic(Model):
    data: list[FundingCallPublic]
    count: int


def call_public(call: FundingCall) -> FundingCallPublic:
    return FundingCallPublic.model_validate(
        call, update={"remaining": call.budget - call.committed}
    )
