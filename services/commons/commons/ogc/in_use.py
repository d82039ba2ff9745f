"""`datetime` for the sites collection means *sites in use then*: a site matches when one of its
active use periods is in force at the instant, or at any moment of the (closed) interval.

Within the materialized horizon this is one indexed EXISTS on `use_occurrence`. A filter that
reaches outside it (or has an open end) is answered by the schedule engine — the source of truth
the occurrences are materialized from — over the active periods of the sites in the bbox, and the
matching ids then filter the SQL query like any other condition."""

import datetime as dt
import uuid
from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, any_, bindparam, exists, false, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from commons.ogc.params import TimeFilter
from commons.schedules import engine, horizon
from commons.schedules.models import PeriodStatus, UseOccurrence, UsePeriod
from commons.schedules.service import as_engine_period
from commons.sites.models import Site
from meent_shared.db import table_of

Bbox = tuple[float, float, float, float]
_TICK = dt.timedelta(microseconds=1)  # turns the closed end of a filter into an open one
_DAY = dt.timedelta(days=1)


def within_horizon(when: TimeFilter, today: dt.date) -> bool:
    """Whether the materialized occurrences surely cover the filter: the days they answer for
    (the one bound every reader shares), less a day at each edge for the sites' time zones."""
    if when.start is None or when.end is None:
        return False
    days = horizon.materialized_days(today)
    return _midnight_utc(days.first + _DAY) <= when.start and when.end < _midnight_utc(
        days.end - _DAY
    )


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def in_use_by_sql(when: TimeFilter) -> ColumnElement[bool]:
    """A condition on `Site`: an active occurrence contains the instant or meets the interval."""
    assert when.start is not None and when.end is not None
    occurrences = table_of(UseOccurrence)
    start = literal(when.start, DateTime(timezone=True))
    if when.is_instant:
        match = occurrences.c.during.op("@>")(start)
    else:
        end = literal(when.end, DateTime(timezone=True))
        match = occurrences.c.during.op("&&")(func.tstzrange(start, end, "[]"))
    return exists().where(occurrences.c.site_id == Site.id, match)


async def in_use_by_engine(
    session: AsyncSession, when: TimeFilter, bbox: Bbox
) -> ColumnElement[bool]:
    """The same condition, decided by the engine for the sites in the bbox."""
    query = (
        select(UsePeriod, col(Site.timezone))
        .join(Site, col(Site.id) == col(UsePeriod.site_id))
        .where(col(UsePeriod.status) == PeriodStatus.active)
        .where(func.ST_Intersects(Site.geom, func.ST_MakeEnvelope(*bbox, 4326)))
    )
    periods_of: dict[uuid.UUID, list[engine.Period]] = defaultdict(list)
    zones: dict[uuid.UUID, ZoneInfo] = {}
    for period, timezone in await session.execute(query):
        periods_of[period.site_id].append(as_engine_period(period, period.id))
        zones[period.site_id] = ZoneInfo(timezone)
    ids = [
        site_id
        for site_id, periods in periods_of.items()
        if any(period_in_use(p, zones[site_id], when) for p in periods)
    ]
    if not ids:
        return false()
    return col(Site.id) == any_(bindparam("in_use_ids", ids, type_=ARRAY(UUID(as_uuid=True))))


def period_in_use(period: engine.Period, zone: ZoneInfo, when: TimeFilter) -> bool:
    """Whether the period is active at some moment of the filter.

    The engine needs a finite window, and the period itself bounds one, so open ends cost
    nothing: none of it is active before its first day; and from any moment `begin` on, it is
    active again, if ever, within the day its next occurrence starts (or, inside an occurrence,
    within a day): two days, for a time window past midnight."""
    begin = dt.datetime.combine(period.starts_on, dt.time(), zone)
    if when.start is not None:
        begin = max(begin, when.start)
    day = begin.astimezone(zone).date()
    if period.rule is not None:
        # The rule's own arithmetic finds the next start, looking no further than its calendar.
        rule = engine.parse_rule(period.rule, period.starts_on)
        day = next(rule.starts_from(day + _DAY), day)
    finish = dt.datetime.combine(day + 2 * _DAY, dt.time(), zone)
    if when.end is not None:
        finish = min(finish, when.end + _TICK)
    return begin < finish and bool(engine.intervals(period, zone, begin, finish))
