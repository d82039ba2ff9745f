"""The ledger: entries appended in the transaction that moves the call's totals, under the call's
row lock, each announced as `ledger.entry_added`."""

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications.models import Application, ApplicationStatus
from grants.calls.models import FundingCall
from grants.calls.service import get_call, lock_call
from grants.db import outbox
from grants.ledger.models import (
    LedgerEntry,
    LedgerEntryPublic,
    LedgerKind,
    LedgerPublic,
    PaymentIn,
)
from grants.money import cents
from grants.projects.models import KnownProject
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, InvalidInput, NotFound
from meent_shared.events.contracts.grants import LedgerEntryAdded
from meent_shared.events.outbox import record_event


async def append(
    session: AsyncSession,
    call: FundingCall,
    kind: LedgerKind,
    amount: Decimal,
    by: Principal,
    application: Application | None = None,
    note: str = "",
) -> LedgerEntry:
    """One entry; the caller holds the call's lock and has moved its totals."""
    entry = LedgerEntry(
        call_id=call.id,
        application_id=application.id if application else None,
        kind=kind,
        amount=amount,
        note=note,
        recorded_by=by.sub,
    )
    session.add(entry)
    await session.flush()
    await record_event(session, outbox, ledger_entry_added(entry, call.currency))
    return entry


def ledger_entry_added(entry: LedgerEntry, currency: str) -> LedgerEntryAdded:
    """An entry never changes: its event is always version 1 (a republish sends it again)."""
    return LedgerEntryAdded(
        entry_id=entry.id,
        call_id=entry.call_id,
        application_id=entry.application_id,
        kind=entry.kind.value,
        amount_cents=cents(entry.amount),
        currency=currency,
        version=1,
    )


async def record_payment(
    *, session: AsyncSession, call_id: uuid.UUID, payment: PaymentIn, by: Principal
) -> LedgerEntry:
    """A disbursement (money paid out of an award) or a release (an award's unspent money back
    to the call's budget). Neither may exceed what is left of the award."""
    if payment.kind is LedgerKind.committed:
        raise InvalidInput("Commitments are made by awarding", loc=["body", "kind"])
    call = await lock_call(session, call_id)
    application = await session.get(
        Application, payment.application_id, with_for_update=True, populate_existing=True
    )
    if application is None or application.call_id != call.id:
        raise NotFound(f"No application {payment.application_id} in this call")
    if application.status is not ApplicationStatus.awarded or application.awarded is None:
        raise Conflict("Only an awarded application is paid or released", code="not_awarded")
    left = application.awarded - application.disbursed - application.released
    if payment.amount > left:
        raise Conflict(
            f"Only {left:.2f} of the award is left to pay or release",
            code="over_award",
            ctx={"left": str(left)},
        )
    if payment.kind is LedgerKind.disbursed:
        application.disbursed += payment.amount
        call.disbursed += payment.amount
    else:
        application.released += payment.amount
        call.committed -= payment.amount
    application.version += 1
    call.version += 1
    await session.flush()
    return await append(session, call, payment.kind, payment.amount, by, application, payment.note)


async def ledger_of(
    *,
    session: AsyncSession,
    call_id: uuid.UUID,
    limit: int,
    offset: int,
    viewer: Principal | None = None,
) -> LedgerPublic:
    """The call's totals and its entries in order, each with its project's name (public)."""
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    query = (
        select(LedgerEntry, col(Application.project_id), col(KnownProject.name))
        .outerjoin(Application, col(Application.id) == col(LedgerEntry.application_id))
        .outerjoin(KnownProject, col(KnownProject.project_id) == col(Application.project_id))
        .where(col(LedgerEntry.call_id) == call_id)
        .order_by(col(LedgerEntry.seq))
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(query)).all()
    count = await session.scalar(
        select(func.count()).select_from(LedgerEntry).where(col(LedgerEntry.call_id) == call_id)
    )
    entries = [_public(entry, project_id, name) for entry, project_id, name in rows]
    return LedgerPublic(
        call_id=call.id,
        currency=call.currency,
        budget=call.budget,
        committed=call.committed,
        disbursed=call.disbursed,
        remaining=call.budget - call.committed,
        entries=entries,
        count=count or 0,
    )


async def entry_public(session: AsyncSession, entry: LedgerEntry) -> LedgerEntryPublic:
    project_id, name = None, None
    if entry.application_id is not None:
        application = await session.get(Application, entry.application_id)
        if application is not None:
            project_id = application.project_id
            project = await session.get(KnownProject, project_id)
            name = project.name if project else None
    await session.refresh(entry)  # recorded_at, set by the database
    return _public(entry, project_id, name)


def _public(
    entry: LedgerEntry, project_id: uuid.UUID | None, project_name: str | None
) -> LedgerEntryPublic:
    assert entry.recorded_at is not None  # the database sets it on insert
    return LedgerEntryPublic(
        id=entry.id,
        call_id=entry.call_id,
        application_id=entry.application_id,
        project_id=project_id,
        project_name=project_name,
        kind=entry.kind,
        amount=entry.amount,
        note=entry.note,
        recorded_at=entry.recorded_at,
    )
