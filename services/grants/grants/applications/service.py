"""Applications: written by a project's coordinator while the call is open, submitted when the
project meets the call's rules, then awarded or rejected by a grant officer.

Awards serialise on the call: each takes the call's row lock (`lock_call`) before it reads what
is committed, so two awards never both see the same remaining budget; the table's CHECK
(`committed <= budget`) refuses whatever would slip past.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications import events
from grants.applications.models import (
    Application,
    ApplicationCreate,
    ApplicationPublic,
    ApplicationStatus,
    ApplicationWrite,
    AwardIn,
    RejectIn,
)
from grants.calls.models import CallStatus, FundingCall
from grants.calls.service import accepts_applications, get_call, lock_call
from grants.db import outbox
from grants.eligibility.service import check_eligibility
from grants.ledger.models import LedgerKind
from grants.ledger.service import append
from grants.projects.models import KnownProject
from grants.projects.service import is_coordinator
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput, MeentError, NotFound
from meent_shared.events.outbox import record_event


class BudgetExceeded(MeentError):
    status_code = 409
    code = "budget_exceeded"


class NotEligible(MeentError):
    status_code = 422
    code = "not_eligible"


class CallClosed(MeentError):
    status_code = 409
    code = "call_closed"


def _within_call(call: FundingCall, requested: Decimal) -> None:
    if not call.min_award <= requested <= call.max_award:
        raise InvalidInput(
            f"The call awards between {call.min_award:.2f} and {call.max_award:.2f} {call.currency}",
            code="outside_award_bounds",
            loc=["body", "requested"],
        )


def _stored(application_in: ApplicationWrite) -> dict[str, Any]:
    """The fields as the table keeps them: budget lines as JSON (amounts as strings)."""
    values = application_in.model_dump()
    values["budget_lines"] = application_in.model_dump(mode="json")["budget_lines"]
    return values


async def _require_coordinator(
    session: AsyncSession, project_id: uuid.UUID, person: Principal
) -> None:
    if not await is_coordinator(session, project_id, person.sub):
        raise Forbidden("Only a coordinator of the project applies for it", code="not_coordinator")


def _require_open(call: FundingCall, today: dt.date) -> None:
    if not accepts_applications(call, today):
        raise CallClosed(
            f"The call takes applications from {call.opens_on} to {call.closes_on} while open "
            f"(it is {call.status.value})"
        )


async def create_application(
    *,
    session: AsyncSession,
    application_in: ApplicationCreate,
    by: Principal,
    today: dt.date,
    most: int,
) -> Application:
    """A draft, by a coordinator of the project, while the call is open and has fewer than
    `most` applications (but withdrawn ones): its ranking and page are bounded by that."""
    call = await get_call(session=session, call_id=application_in.call_id)
    _require_open(call, today)
    await _require_coordinator(session, application_in.project_id, by)
    _within_call(call, application_in.requested)
    call = await lock_call(session, call.id)  # the count below stays true until this one is in
    _require_open(call, today)  # again, locked: a close may have ended just now
    live = await session.scalar(
        select(func.count()).where(
            col(Application.call_id) == call.id,
            col(Application.status) != ApplicationStatus.withdrawn,
        )
    )
    if (live or 0) >= most:
        raise Conflict(f"The call has its {most} applications: it takes no more", code="call_full")
    application = Application(**_stored(application_in), applicant=by.sub)
    session.add(application)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(
            "The project already has an application to this call", code="already_applied"
        ) from None
    return application


async def _lock_application(
    session: AsyncSession, application_id: uuid.UUID
) -> tuple[FundingCall, Application]:
    """The application and its call, locked call first (every path takes them in this order,
    so two of them never wait for each other)."""
    found = await session.get(Application, application_id)
    if found is None:
        raise NotFound(f"No application {application_id}")
    call = await lock_call(session, found.call_id)
    application = await session.get(
        Application, application_id, with_for_update=True, populate_existing=True
    )
    assert application is not None  # applications are never deleted
    return call, application


async def update_application(
    *,
    session: AsyncSession,
    application_id: uuid.UUID,
    application_in: ApplicationWrite,
    by: Principal,
    today: dt.date,
) -> Application:
    """A draft or a submitted application, rewritten until the call closes (a submitted one is
    checked again: it must still meet the call's rules)."""
    call, application = await _lock_application(session, application_id)
    await _require_coordinator(session, application.project_id, by)
    _require_open(call, today)
    if application.status not in (ApplicationStatus.draft, ApplicationStatus.submitted):
        raise Conflict(f"The application is {application.status.value}", code="not_editable")
    _within_call(call, application_in.requested)
    if application.status is ApplicationStatus.submitted:
        await _require_eligible(session, call, application.project_id, today)
    for name, value in _stored(application_in).items():
        setattr(application, name, value)
    application.version += 1
    await session.flush()
    if application.status is ApplicationStatus.submitted:
        await record_event(session, outbox, events.application_submitted(application))
    return application


async def submit_application(
    *, session: AsyncSession, application_id: uuid.UUID, by: Principal, today: dt.date
) -> Application:
    call, application = await _lock_application(session, application_id)
    await _require_coordinator(session, application.project_id, by)
    _require_open(call, today)
    if application.status is not ApplicationStatus.draft:
        raise Conflict(f"The application is {application.status.value}", code="not_a_draft")
    await _require_eligible(session, call, application.project_id, today)
    application.status = ApplicationStatus.submitted
    application.submitted_at = dt.datetime.now(dt.UTC)
    application.version += 1
    await session.flush()
    await record_event(session, outbox, events.application_submitted(application))
    return application


async def _require_eligible(
    session: AsyncSession, call: FundingCall, project_id: uuid.UUID, today: dt.date
) -> None:
    eligibility = await check_eligibility(session, call, project_id, today)
    unmet = [rule for rule in eligibility.rules if not rule.met]
    if unmet:
        raise NotEligible(
            "The project does not meet the call's rule: " + unmet[0].message,
            loc=["rule", unmet[0].rule],
            ctx={"rules": [rule.rule for rule in unmet]},
        )


async def withdraw_application(
    *, session: AsyncSession, application_id: uuid.UUID, by: Principal
) -> Application:
    call, application = await _lock_application(session, application_id)
    await _require_coordinator(session, application.project_id, by)
    if call.status is not CallStatus.open:
        raise CallClosed(f"The call is {call.status.value}: its applications stand")
    if application.status not in (ApplicationStatus.draft, ApplicationStatus.submitted):
        raise Conflict(f"The application is {application.status.value}", code="not_withdrawable")
    announced = application.status is ApplicationStatus.submitted  # drafts never were
    application.status = ApplicationStatus.withdrawn
    application.version += 1
    await session.flush()
    if announced:
        await record_event(session, outbox, events.application_withdrawn(application))
    return application


def _require_deciding(call: FundingCall, application: Application) -> None:
    if call.status is not CallStatus.closed:
        raise Conflict(
            f"Awards are made once the call is closed (it is {call.status.value})",
            code="call_not_closed",
        )
    if application.status is not ApplicationStatus.submitted:
        raise Conflict(f"The application is {application.status.value}", code="not_submitted")


async def award_application(
    *,
    session: AsyncSession,
    application_id: uuid.UUID,
    award: AwardIn,
    by: Principal,
    today: dt.date,
) -> Application:
    """Commit money to a submitted application of a closed call, if the budget still covers it."""
    call, application = await _lock_application(session, application_id)
    _require_deciding(call, application)
    amount = award.amount if award.amount is not None else application.requested
    if amount > application.requested:
        raise InvalidInput(
            f"The award may not exceed the requested {application.requested:.2f}",
            loc=["body", "amount"],
        )
    _within_call(call, amount)
    remaining = call.budget - call.committed
    if amount > remaining:
        raise BudgetExceeded(
            f"Only {remaining:.2f} {call.currency} of the budget is left; "
            f"the award is {amount:.2f}",
            ctx={"remaining": str(remaining), "amount": str(amount)},
        )
    call.committed += amount
    call.version += 1
    application.status = ApplicationStatus.awarded
    application.awarded = amount
    application.decision_note = award.note
    application.decided_at = dt.datetime.now(dt.UTC)
    application.version += 1
    try:
        async with session.begin_nested():  # the CHECK on committed: the last word
            await session.flush()
    except IntegrityError:
        raise BudgetExceeded("The award would take the call past its budget") from None
    await append(session, call, LedgerKind.committed, amount, by, application, award.note)
    await record_event(session, outbox, events.application_awarded(application, call, today))
    return application


async def reject_application(
    *, session: AsyncSession, application_id: uuid.UUID, reject: RejectIn, by: Principal
) -> Application:
    call, application = await _lock_application(session, application_id)
    _require_deciding(call, application)
    application.status = ApplicationStatus.rejected
    application.decision_note = reject.note
    application.decided_at = dt.datetime.now(dt.UTC)
    application.version += 1
    await session.flush()
    await record_event(session, outbox, events.application_rejected(application))
    return application


async def get_application(
    *, session: AsyncSession, application_id: uuid.UUID, viewer: Principal | None
) -> Application:
    """An application; a draft only to the project's coordinators and grant officers."""
    application = await session.get(Application, application_id)
    if application is None or not await _visible(session, application, viewer):
        raise NotFound(f"No application {application_id}")
    return application


async def _visible(
    session: AsyncSession, application: Application, viewer: Principal | None
) -> bool:
    if application.submitted_at is not None:  # public once submitted, whatever became of it
        return True
    return await _sees_drafts_of(session, application.project_id, viewer)


async def _sees_drafts_of(
    session: AsyncSession, project_id: uuid.UUID, viewer: Principal | None
) -> bool:
    if viewer is None:
        return False
    return viewer.has_role("grant_officer") or await is_coordinator(session, project_id, viewer.sub)


async def list_applications(
    *,
    session: AsyncSession,
    limit: int,
    offset: int,
    call_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    status: ApplicationStatus | None = None,
    viewer: Principal | None = None,
) -> tuple[list[ApplicationPublic], int]:
    """Applications once submitted (a draft, or a draft withdrawn — discarded — never was: it
    stays its project's), oldest submission first — and, of one project asked for by its
    coordinator or an officer, its drafts too (last): how a coordinator finds a draft again
    without its address."""
    filters: list[Any] = []
    if not (project_id is not None and await _sees_drafts_of(session, project_id, viewer)):
        filters.append(col(Application.submitted_at).is_not(None))
    if call_id is not None:
        filters.append(col(Application.call_id) == call_id)
    if project_id is not None:
        filters.append(col(Application.project_id) == project_id)
    if status is not None:
        filters.append(col(Application.status) == status)
    query = (
        select(Application, col(KnownProject.name), col(FundingCall.currency))
        .join(FundingCall, col(FundingCall.id) == col(Application.call_id))
        .outerjoin(KnownProject, col(KnownProject.project_id) == col(Application.project_id))
        .where(*filters)
        .order_by(col(Application.submitted_at).nulls_last(), col(Application.id))
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(query)).all()
    count = await session.scalar(select(func.count()).select_from(Application).where(*filters))
    return [application_public(a, name, currency) for a, name, currency in rows], count or 0


def application_public(
    application: Application, project_name: str | None, currency: str
) -> ApplicationPublic:
    return ApplicationPublic.model_validate(
        application, update={"project_name": project_name, "currency": currency}
    )


async def shown(session: AsyncSession, application: Application) -> ApplicationPublic:
    """The application as answers show it: with its project's name and its call's currency."""
    project = await session.get(KnownProject, application.project_id)
    call = await session.get(FundingCall, application.call_id)
    assert call is not None  # an application's call is never deleted
    return application_public(application, project.name if project else None, call.currency)
