"""What `python -m grants.worker republish` re-announces, at current versions: every published
call (drafts were never announced), every application's submission or decision (spaces records
an award once, however often it hears of it), and every ledger entry."""

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications import events as application_events
from grants.applications.models import Application, ApplicationStatus
from grants.calls import events as call_events
from grants.calls.models import CallStatus, FundingCall
from grants.ledger.models import LedgerEntry
from grants.ledger.service import ledger_entry_added
from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import BATCH, Announcer, each
from meent_shared.settings import ServiceSettings

ANNOUNCED = (
    ApplicationStatus.submitted,
    ApplicationStatus.awarded,
    ApplicationStatus.rejected,
    ApplicationStatus.withdrawn,
)


async def announce_calls(session: AsyncSession) -> AsyncIterator[EventPayload]:
    published = col(FundingCall.status) != CallStatus.draft
    query = select(FundingCall).where(published).order_by(col(FundingCall.id))
    async for call in each(session, query):
        # The event of its state now: a closed (or decided) call is announced closed, so a
        # consumer that keeps the newest version never sees it open again.
        if call.status is CallStatus.open or call.closed_at is None:
            yield call_events.call_published(call)
        else:
            yield call_events.call_closed(call)


async def announce_applications(session: AsyncSession) -> AsyncIterator[EventPayload]:
    query = (
        select(Application, FundingCall)
        .join(FundingCall, col(FundingCall.id) == col(Application.call_id))
        .where(col(Application.status).in_(ANNOUNCED))
        .order_by(col(Application.id))
    )
    city = ZoneInfo(ServiceSettings().city_timezone)  # the award's local date, as announced
    result = await session.stream(query.execution_options(yield_per=BATCH))
    async for application, call in result.tuples():
        if application.status is ApplicationStatus.awarded:
            assert application.decided_at is not None
            awarded_on = application.decided_at.astimezone(city).date()
            yield application_events.application_awarded(application, call, awarded_on)
        elif application.status is ApplicationStatus.rejected:
            yield application_events.application_rejected(application)
        elif application.status is ApplicationStatus.withdrawn:
            if application.submitted_at is not None:  # a withdrawn draft was never announced
                yield application_events.application_withdrawn(application)
        else:
            yield application_events.application_submitted(application)


async def announce_ledger(session: AsyncSession) -> AsyncIterator[EventPayload]:
    query = (
        select(LedgerEntry, col(FundingCall.currency))
        .join(FundingCall, col(FundingCall.id) == col(LedgerEntry.call_id))
        .order_by(col(LedgerEntry.seq))
    )
    result = await session.stream(query.execution_options(yield_per=BATCH))
    async for entry, currency in result.tuples():
        yield ledger_entry_added(entry, currency)


ANNOUNCERS: list[Announcer] = [announce_calls, announce_applications, announce_ledger]
