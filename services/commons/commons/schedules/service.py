"""Use schedules: periods checked for conflicts, kept materialized for map queries, and the two
core questions — what is the site used for at an instant, and over a range (the timeline)."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.db import outbox
from commons.schedules import engine, horizon, overlaps
from commons.schedules.models import (
    PeriodStatus,
    Segment,
    SiteSchedule,
    Timeline,
    UseAt,
    UseOccurrence,
    UsePeriod,
    UsePeriodCreate,
)
from commons.sites.models import Site
from meent_shared.db import table_of
from meent_shared.errors import Conflict, InvalidInput, NotFound
from meent_shared.events.contracts.commons import ScheduleChanged
from meent_shared.events.outbox import record_event

# Questions about dates further away are refused: the calendar arithmetic has to end somewhere.
ANSWERED_YEARS = 100


def check_date(day: dt.date | None, today: dt.date, *, loc: list[str | int]) -> None:
    first, last = engine.add_years(today, -ANSWERED_YEARS), engine.add_years(today, ANSWERED_YEARS)
    if day is not None and not first <= day <= last:
        raise InvalidInput(
            f"{loc[-1]} must be between {first} and {last}", code="date_out_of_range", loc=loc
        )


def as_engine_period(period: UsePeriod | UsePeriodCreate, period_id: uuid.UUID) -> engine.Period:
    return engine.Period(
        id=period_id,
        use=period.use,
        priority=period.priority,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        rule=period.rule,
        day_starts_at=period.day_starts_at,
        day_ends_at=period.day_ends_at,
    )


async def get_site(session: AsyncSession, site_id: uuid.UUID, *, lock: bool = False) -> Site:
    site = await session.get(Site, site_id, with_for_update=lock)
    if site is None:
        raise NotFound(f"No site {site_id}")
    return site


async def active_periods(session: AsyncSession, site_id: uuid.UUID) -> list[UsePeriod]:
    query = select(UsePeriod).where(
        col(UsePeriod.site_id) == site_id, col(UsePeriod.status) == PeriodStatus.active
    )
    return list((await session.execute(query)).scalars())


def check_rule(period_in: UsePeriodCreate) -> None:
    if period_in.rule is None:
        return
    try:
        engine.parse_rule(period_in.rule, period_in.starts_on)
    except engine.RuleError as error:
        raise InvalidInput(
            f"RRULE refused: {error}", code="invalid_rule", loc=["body", "rule"]
        ) from None


async def check_room(
    session: AsyncSession, site: Site, status: PeriodStatus, max_periods: int
) -> None:
    """Refuse a period beyond the site's cap of active periods (or of proposals): every answer
    about the site reads them all. The site is locked, so the count holds until the commit."""
    query = select(func.count()).where(
        col(UsePeriod.site_id) == site.id, col(UsePeriod.status) == status
    )
    if (await session.scalar(query) or 0) >= max_periods:
        kind = "active periods" if status is PeriodStatus.active else "proposed periods"
        raise InvalidInput(
            f"A site has at most {max_periods} {kind}: remove one, or merge two, first",
            code="too_many_periods",
            loc=["path", "site_id"],
        )


async def check_conflicts(
    session: AsyncSession, site: Site, candidate: engine.Period, today: dt.date
) -> None:
    """Refuse a period that overlaps another of the same priority with another use."""
    others = [as_engine_period(p, p.id) for p in await active_periods(session, site.id)]
    try:
        found = overlaps.conflicts(candidate, others, ZoneInfo(site.timezone), today)
    except engine.ScheduleTooDense:
        raise InvalidInput(
            f"Too many time windows to check the period against the site's others of priority "
            f"{candidate.priority} over {overlaps.CONFLICT_HORIZON_YEARS} years (more than "
            f"{overlaps.MAX_CHECKED_INTERVALS}): give it another priority, or fewer windows",
            code=engine.ScheduleTooDense.code,
            loc=["body"],
        ) from None
    if found:
        other, when = found[0]
        raise Conflict(
            f"Conflicts with period {other.id} ({other.use}, priority {other.priority}): both "
            f"apply from {when.date().isoformat()}. Give one a higher priority or change the dates.",
            code="schedule_conflict",
            ctx={
                "period_id": str(other.id),
                "use": other.use,
                "first_overlap": when.date().isoformat(),
            },
        )


async def materialize(session: AsyncSession, period: UsePeriod, site: Site, today: dt.date) -> None:
    """Rewrite the period's occurrences over the horizon (none unless it is active)."""
    await session.execute(delete(UseOccurrence).where(col(UseOccurrence.period_id) == period.id))
    if period.status is not PeriodStatus.active:
        return
    zone = ZoneInfo(site.timezone)
    first = max(period.starts_on, horizon.materialized_days(today).first)
    start = dt.datetime.combine(first, dt.time(), zone)
    until = horizon.written_until(today)
    end = dt.datetime.combine(until, dt.time(), zone)
    period.materialized_until = until
    rows = [
        {
            "period_id": period.id,
            "site_id": site.id,
            "use": period.use,
            "priority": period.priority,
            "during": Range(i.start, i.end, bounds="[)"),
        }
        for i in engine.intervals(as_engine_period(period, period.id), zone, start, end)
    ]
    if rows:
        statement = insert(table_of(UseOccurrence)).on_conflict_do_nothing(
            index_elements=["period_id", "during"]
        )
        await session.execute(statement, rows)


async def schedule_changed(
    session: AsyncSession, site: Site, period: UsePeriod, change: str
) -> None:
    schedule = await session.get(SiteSchedule, site.id, with_for_update=True)
    if schedule is None:
        schedule = SiteSchedule(site_id=site.id)
        session.add(schedule)
    schedule.version += 1
    await session.flush()
    event = ScheduleChanged(
        site_id=site.id, version=schedule.version, use_period_id=period.id, change=change
    )
    await record_event(session, outbox, event)


async def add_period(
    session: AsyncSession,
    *,
    site_id: uuid.UUID,
    period_in: UsePeriodCreate,
    status: PeriodStatus,
    proposed_by: str | None,
    today: dt.date,
    max_periods: int,
) -> UsePeriod:
    site = await get_site(session, site_id, lock=True)  # one schedule change per site at a time
    check_rule(period_in)
    await check_room(session, site, status, max_periods)
    period = UsePeriod.model_validate(
        period_in, update={"site_id": site.id, "status": status, "proposed_by": proposed_by}
    )
    if status is PeriodStatus.active:
        await check_conflicts(session, site, as_engine_period(period, period.id), today)
    session.add(period)
    await session.flush()
    await materialize(session, period, site, today)
    if status is PeriodStatus.active:
        await schedule_changed(session, site, period, "created")
    return period


async def lock_site_and_period(
    session: AsyncSession, period_id: uuid.UUID
) -> tuple[Site, UsePeriod]:
    """The period and its site, locked in the one order every schedule change (and the horizon
    job) takes them — the site, then its period — so two changes wait, never deadlock."""
    query = select(col(UsePeriod.site_id)).where(col(UsePeriod.id) == period_id)
    site_id = await session.scalar(query)
    if site_id is None:
        raise NotFound(f"No use period {period_id}")
    site = await get_site(session, site_id, lock=True)
    period = await session.get(UsePeriod, period_id, with_for_update=True)
    if period is None:  # removed while we waited for the site
        raise NotFound(f"No use period {period_id}")
    return site, period


async def replace_period(
    session: AsyncSession, *, period_id: uuid.UUID, period_in: UsePeriodCreate, today: dt.date
) -> UsePeriod:
    site, period = await lock_site_and_period(session, period_id)
    check_rule(period_in)
    for field, value in period_in.model_dump().items():
        setattr(period, field, value)
    if period.status is PeriodStatus.active:
        await check_conflicts(session, site, as_engine_period(period, period.id), today)
    period.version += 1
    await session.flush()
    await materialize(session, period, site, today)
    if period.status is PeriodStatus.active:
        await schedule_changed(session, site, period, "updated")
    return period


async def accept_period(
    session: AsyncSession, *, period_id: uuid.UUID, today: dt.date, max_periods: int
) -> UsePeriod:
    site, period = await lock_site_and_period(session, period_id)
    if period.status is PeriodStatus.active:
        return period
    await check_room(session, site, PeriodStatus.active, max_periods)
    await check_conflicts(session, site, as_engine_period(period, period.id), today)
    period.status = PeriodStatus.active
    period.version += 1
    await session.flush()
    await materialize(session, period, site, today)
    await schedule_changed(session, site, period, "created")
    return period


async def remove_period(session: AsyncSession, *, period_id: uuid.UUID) -> None:
    site, period = await lock_site_and_period(session, period_id)
    was_active = period.status is PeriodStatus.active
    await session.delete(period)
    await session.flush()
    if was_active:
        await schedule_changed(session, site, period, "deleted")


async def site_timeline(
    session: AsyncSession, *, site_id: uuid.UUID, start: dt.date, end: dt.date
) -> Timeline:
    check_date(start, dt.date.today(), loc=["query", "from"])
    check_date(end, dt.date.today(), loc=["query", "to"])
    if end <= start:
        raise InvalidInput("to must be after from", code="reversed_dates", loc=["query", "to"])
    if (end - start).days > engine.MAX_TIMELINE_DAYS:
        raise InvalidInput(
            "A timeline covers at most 5 years", code="range_too_long", loc=["query", "to"]
        )
    site = await get_site(session, site_id)
    zone = ZoneInfo(site.timezone)
    periods = [as_engine_period(p, p.id) for p in await active_periods(session, site.id)]
    begin = dt.datetime.combine(start, dt.time(), zone)
    finish = dt.datetime.combine(end, dt.time(), zone)
    try:
        found = engine.timeline(periods, zone, begin, finish)
    except engine.ScheduleTooDense:
        raise InvalidInput(
            f"The site's schedule has more than {engine.MAX_INTERVALS} time windows from {start} "
            f"to {end}: ask for a shorter span",
            code=engine.ScheduleTooDense.code,
            loc=["query", "to"],
        ) from None
    # Built unvalidated: tens of thousands of the engine's own segments, typed already.
    segments = [Segment.model_construct(**vars(s)) for s in found]
    return Timeline.model_construct(site_id=site.id, timezone=site.timezone, segments=segments)


async def site_use_at(
    session: AsyncSession, *, site_id: uuid.UUID, instant: dt.datetime
) -> UseAt | None:
    """The use at an instant as its whole segment (see `engine.segment_at` for how far)."""
    check_date(instant.date(), dt.date.today(), loc=["query", "at"])
    site = await get_site(session, site_id)
    zone = ZoneInfo(site.timezone)
    periods = [as_engine_period(p, p.id) for p in await active_periods(session, site.id)]
    found = engine.segment_at(
        periods, zone, instant if instant.tzinfo else instant.replace(tzinfo=zone)
    )
    return UseAt(**vars(found)) if found else None


async def site_use_on(session: AsyncSession, *, site_id: uuid.UUID, on: dt.date) -> UseAt | None:
    """The use on a day: at local noon, the same rule the map and `GET /sites?on=` follow."""
    check_date(on, dt.date.today(), loc=["query", "on"])  # the day asked for, by its own name
    site = await get_site(session, site_id)
    noon = dt.datetime.combine(on, dt.time(12), ZoneInfo(site.timezone))
    return await site_use_at(session, site_id=site_id, instant=noon)
