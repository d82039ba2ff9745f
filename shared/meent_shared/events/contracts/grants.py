"""Events published by grants on `meent.grants.>` (stream MEENT_GRANTS). Amounts in cents."""

import datetime as dt
import uuid
from typing import ClassVar, Literal

from meent_shared.events.contracts.base import EventPayload


class _CallEvent(EventPayload):
    service: ClassVar[str] = "grants"
    entity: ClassVar[str] = "call"
    key: ClassVar[str] = "call_id"

    call_id: uuid.UUID
    title: str


class CallPublished(_CallEvent):
    verb: ClassVar[str] = "published"

    budget_cents: int
    currency: str
    opens_on: dt.date
    closes_on: dt.date
    # The panel draw's commitments (hex SHA-256 of the secret seed and of the sorted pool-entry
    # ids frozen at the opening); the seed and the pool are shown at the decision.
    seed_commitment: str | None = None
    pool_commitment: str | None = None
    pool_size: int = 0


class CallClosed(_CallEvent):
    verb: ClassVar[str] = "closed"

    closed_at: dt.datetime


class _ApplicationEvent(EventPayload):
    service: ClassVar[str] = "grants"
    entity: ClassVar[str] = "application"
    key: ClassVar[str] = "application_id"

    application_id: uuid.UUID
    call_id: uuid.UUID
    project_id: uuid.UUID
    title: str


class ApplicationSubmitted(_ApplicationEvent):
    verb: ClassVar[str] = "submitted"

    requested_cents: int


class ApplicationAwarded(_ApplicationEvent):
    """spaces records it once in the project's space, as a published agreement."""

    verb: ClassVar[str] = "awarded"

    amount_cents: int
    currency: str
    call_title: str
    awarded_on: dt.date  # the city's local date of the decision


class ApplicationRejected(_ApplicationEvent):
    verb: ClassVar[str] = "rejected"


class ApplicationWithdrawn(_ApplicationEvent):
    """Its coordinators took it back while the call was open: it is in no ranking or vote."""

    verb: ClassVar[str] = "withdrawn"


class LedgerEntryAdded(EventPayload):
    service: ClassVar[str] = "grants"
    entity: ClassVar[str] = "ledger"
    verb: ClassVar[str] = "entry_added"
    key: ClassVar[str] = "entry_id"

    entry_id: uuid.UUID
    call_id: uuid.UUID
    application_id: uuid.UUID | None
    kind: Literal["committed", "disbursed", "released"]
    amount_cents: int
    currency: str
