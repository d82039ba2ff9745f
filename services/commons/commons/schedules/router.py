import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select
from sqlmodel import col

from commons.config import Settings
from commons.deps import CurrentPrincipal, MaintenanceStaff, RuntimeDep, SessionDep, TodayDep
from commons.schedules import service as schedule_service
from commons.schedules.engine import MAX_INTERVALS, SEGMENT_REACH
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


def max_periods_per_site(runtime: RuntimeDep) -> int:
    settings = runtime.settings
    assert isinstance(settings, Settings)  # commons' runtime is built from its own settings
    return settings.max_periods_per_site


MaxPeriods = Annotated[int, Depends(max_periods_per_site)]
CAP = (
    "A site has at most `MEENT_MAX_PERIODS_PER_SITE` (50 unless configured) active periods, and "
    "as many proposals: a period beyond that is refused (422 `too_many_periods`)."
)


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
    description=CAP,
)
async def add_period(
    site_id: uuid.UUID,
    period_in: UsePeriodCreate,
    session: SessionDep,
    today: TodayDep,
    who: CurrentPrincipal,
    max_periods: MaxPeriods,
) -> UsePeriod:
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
            max_periods=max_periods,
        )


@router.put("/periods/{period_id}", response_model=UsePeriodPublic, summary="Change a period")
async def replace_period(
    period_id: uuid.UUID,
    period_in: UsePeriodCreate,
    session: SessionDep,
    today: TodayDep,
    who: MaintenanceStaff,
) -> UsePeriod:
    async with session.begin():
        return await schedule_service.replace_period(
            session, period_id=period_id, period_in=period_in, today=today
        )


@router.post(
    "/periods/{period_id}/accept",
    response_model=UsePeriodPublic,
    summary="Make a proposed period part of the schedule (maintenance, admin)",
    description=CAP,
)
async def accept_period(
    period_id: uuid.UUID,
    session: SessionDep,
    today: TodayDep,
    who: MaintenanceStaff,
    max_periods: MaxPeriods,
) -> UsePeriod:
    async with session.begin():
        return await schedule_service.accept_period(
            session, period_id=period_id, today=today, max_periods=max_periods
        )


@router.delete("/periods/{period_id}", status_code=204, summary="Remove a period")
async def remove_period(period_id: uuid.UUID, session: SessionDep, who: MaintenanceStaff) -> None:
    async with session.begin():
        await schedule_service.remove_period(session, period_id=period_id)


@router.get(
    "/sites/{site_id}/timeline",
    response_model=Timeline,
    summary="The site's uses between two dates, as non-overlapping segments (public)",
    description="Up to five years; and the answer expands at most "
    f"{MAX_INTERVALS} time windows (occurrences, or a windowed period's days): a span too "
    "long for the site's schedule is refused (422 `schedule_too_dense`) — ask for a shorter one.",
)
async def timeline(
    site_id: uuid.UUID,
    session: SessionDep,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
) -> Response:
    found = await schedule_service.site_timeline(session, site_id=site_id, start=start, end=end)
    # Serialised once, not validated again on the way out: a long timeline has 40,000 segments.
    return Response(found.model_dump_json(), media_type="application/json")


@router.get(
    "/sites/{site_id}/use",
    response_model=UseAt | None,
    summary="The site's use at an instant (public); null when nothing is scheduled",
    description="The whole segment of the use in force at the instant: when this use began and "
    f"when it next changes, each looked for up to {SEGMENT_REACH.days} days away (a use that "
    "began earlier or goes on longer shows that bound; so does one on a site whose schedule "
    f"has more than {MAX_INTERVALS} time windows in those days, at the nearest of 3, 45 or "
    f"{SEGMENT_REACH.days} days it could look).",
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
