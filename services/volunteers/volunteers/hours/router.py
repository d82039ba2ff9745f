import datetime as dt
import uuid

from fastapi import APIRouter

from volunteers.deps import CurrentPrincipal, SessionDep
from volunteers.hours import service as hour_service
from volunteers.hours.models import HourDecision, HourEntryCreate, HourEntryPublic

router = APIRouter(prefix="/hours", tags=["hours"])


@router.post("", response_model=HourEntryPublic, status_code=201, summary="Log volunteer hours")
async def submit_hours(
    entry_in: HourEntryCreate, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await hour_service.submit_hours(
            session=session, entry_in=entry_in, person=principal, today=dt.date.today()
        )
    return HourEntryPublic.model_validate(entry)


@router.post("/{entry_id}/approve", response_model=HourEntryPublic, summary="Approve hours")
async def approve_hours(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await hour_service.decide_hours(
            session=session, entry_id=entry_id, by=principal, approve=True
        )
    return HourEntryPublic.model_validate(entry)


@router.post("/{entry_id}/reject", response_model=HourEntryPublic, summary="Reject hours")
async def reject_hours(
    entry_id: uuid.UUID, decision: HourDecision, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await hour_service.decide_hours(
            session=session, entry_id=entry_id, by=principal, approve=False, reason=decision.reason
        )
    return HourEntryPublic.model_validate(entry)


@router.get("/{entry_id}", response_model=HourEntryPublic, summary="One hour entry (its volunteer)")
async def get_hours(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    entry = await hour_service.visible_hours(session=session, entry_id=entry_id, by=principal)
    return HourEntryPublic.model_validate(entry)
