"""The public ledger of a call: every commitment (an award), disbursement (a payment) and release
(unspent money back), in order. Entries are never changed or removed."""

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Uuid,
    func,
)
from sqlmodel import Field

from grants.calls.models import MONEY
from grants.db import Model
from grants.money import Amount, Total
from meent_shared.types import FreeText


class LedgerKind(StrEnum):
    committed = "committed"
    disbursed = "disbursed"
    released = "released"


class LedgerEntry(Model, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # The ledger's order: entries of one call are appended under the call's row lock.
    seq: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), nullable=False, unique=True),
    )
    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), nullable=False, index=True)
    )
    application_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(Uuid, ForeignKey("application.id"), index=True)
    )
    kind: LedgerKind
    amount: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    note: str = ""
    recorded_by: str
    recorded_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class LedgerEntryPublic(Model):
    id: uuid.UUID
    call_id: uuid.UUID
    application_id: uuid.UUID | None
    project_id: uuid.UUID | None
    project_name: str | None
    kind: LedgerKind
    amount: Total
    note: str
    recorded_at: dt.datetime


class LedgerPublic(Model):
    call_id: uuid.UUID
    currency: str
    budget: Total
    committed: Total
    disbursed: Total
    remaining: Total
    entries: list[LedgerEntryPublic]
    count: int


class PaymentIn(BaseModel):
    """A disbursement or a release against one awarded application."""

    model_config = ConfigDict(extra="forbid")
    application_id: uuid.UUID
    kind: Annotated[LedgerKind, PydanticField(description="disbursed or released")]
    amount: Amount
    note: Annotated[FreeText, PydanticField(max_length=2000)] = ""
