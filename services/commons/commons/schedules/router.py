import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from commons.deps import CurrentPrincipal, MaintenanceStaff, SessionDep
from commons.schedules import service as schedule_service
from commons.schedules.engine import SEGMENT_REACH
from commons.schedules.models import (
    PeriodStatus,
    Timeline,
    UseAt,
    UsePeriod,
    UsePeriodCreate,
    UsePeriodPublic,
)
from commons.stewardship import service as stewardship_service
from meent_shared.errors import Forbidden, NotFound

router = APIRouter(tags=["schedules"])


@router.get(
    "/sites/{site_id}/periods",
    response_model=list[UsePeriodPublic],
    summary="A site's use periods, proposals included (public)",
)
async def list_periods(site_id: uuid.UUID, session: SessionDep) -> list[UsePeriod]:
    await schedule_service.get_site(session, site_id)
    query = select(UsePeriod).where(col(UsePeriod.site_id) == site_id)
    return list((await session.execute(query.order_by(col(UsePeriod.starts_on)))).scalars())


@router.post(
    "/sites/{site_id}/periods",
    response_model=UsePeriodPublic,
    status_code=201,
    summary="Add a use period (maintenance, admin); stewards' coordinators propose one",
)
async def add_period(
    site_id: uuid.UUID, period_in: UsePeriodCreate, session: SessionDep, who: CurrentPrincipal
) -> UsePeriod:
    today = dt.date.today()
    async with session.begin():
        if who.has_role("maintenance"):
            status, proposer = PeriodStatus.active, None
        elif await stewardship_service.coordinates_a_steward(
            session, person_id=who.sub, site_id=site_id, on=today
        ):
            status, proposer = PeriodStatus.proposed, who.sub
        else:
            raise Forbidden("Maintenance staff schedule uses; a steward's coordinator proposes")
        return await schedule_service.add_period(
            session,
            site_id=site_id,
            period_in=period_in,
            status=status,
            proposed_by=proposer,
            today=today,
        )


@router.put("/periods/{period_id}", response_model=UsePeriodPublic, summary="Change a period")
async def replace_period(
    period_id: uuid.UUID, period_in: UsePeriodCreate, session: SessionDep, who: MaintenanceStaff
) -> UsePeriod:
    async with session.begin():
        return await schedule_service.replace_period(
            session, period_id=period_id, period_in=period_in, today=dt.date.today()
        )


@router.post(
    "/periods/{period_id}/accept",
    response_model=UsePeriodPublic,
    summary="Make a proposed period part of the schedule (maintenance, admin)",
)
async def accept_period(
    period_id: uuid.UUID, session: SessionDep, who: MaintenanceStaff
) -> UsePeriod:
    async with session.begin():
        return await schedule_service.accept_period(
            session, period_id=period_id, today=dt.date.today()
        )


@router.delete("/periods/{period_id}", status_code=204, summary="Remove a period")
async def remove_period(period_id: uuid.UUID, session: SessionDep, who: MaintenanceStaff) -> None:
    async with session.begin():
        await schedule_service.remove_period(session, period_id=period_id)


@router.get(
    "/sites/{site_id}/timeline",
    response_model=Timeline,
    summary="The site's uses between two dates, as non-overlapping segments (public)",
)
async def timeline(
    site_id: uuid.UUID,
    session: SessionDep,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
) -> Timeline:
    return await schedule_service.site_timeline(session, site_id=site_id, start=start, end=end)


@router.get(
    "/sites/{site_id}/use",
    response_model=UseAt | None,
    summary="The site's use at an instant (public); null when nothing is scheduled",
    description="The whole segment of the use in force at the instant: when this use began and "
    f"when it next changes, each looked for up to {SEGMENT_REACH.days} days away (a use that "
    "began earlier or goes on longer shows that bound).",
)
async def use_at(
    site_id: uuid.UUID,
    session: SessionDep,
    at: Annotated[dt.datetime | None, Query(description="ISO 8601; default: now")] = None,
    on: Annotated[dt.date | None, Query(description="a day: its use at local noon")] = None,
) -> UseAt | None:
    if on is not None:
        return await schedule_service.site_use_on(session, site_id=site_id, on=on)
    instant = at or dt.datetime.now(dt.UTC)
    return await schedule_service.site_use_at(session, site_id=site_id, instant=instant)


@router.get("/periods/{period_id}", response_model=UsePeriodPublic, summary="One period (public)")
async def get_period(period_id: uuid.UUID, session: SessionDep) -> UsePeriod:
    period = await session.get(UsePeriod, period_id)
    if period is None:
        raise NotFound(f"No use period {period_id}")
    return period
