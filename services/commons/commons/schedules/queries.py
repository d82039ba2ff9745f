"""Map queries over many sites: which use each site has on a date, answered in SQL from the
materialized occurrences (the engine answers for dates beyond their horizon)."""

import datetime as dt
import sys
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Select, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.schedules import engine, horizon
from commons.schedules.models import UseOccurrence
from commons.schedules.service import active_periods, as_engine_period
from commons.sites.models import Site
from meent_shared.db import table_of

# "The use on a date" is the use at local noon: one answer per site and day, for maps and lists.
USE_HOUR = dt.time(12)


def within_horizon(on: dt.date, today: dt.date) -> bool:
    return on in horizon.materialized_days(today)


def winner_at_local_noon(on: dt.date):
    occurrences = table_of(UseOccurrence)
    noon = literal(dt.datetime.combine(on, USE_HOUR), DateTime(timezone=False))
    instant = func.timezone(Site.timezone, noon)
    return (
        select(occurrences.c.use, occurrences.c.period_id)
        .where(occurrences.c.site_id == Site.id, occurrences.c.during.op("@>")(instant))
        # The engine's order (engine.winner_order): highest priority, then the lowest period id.
        .order_by(occurrences.c.priority.desc(), occurrences.c.period_id)
        .limit(1)
        .lateral("winner")
    )


def sites_query(
    *,
    bbox: tuple[float, float, float, float],
    kind: str | None,
    limit: int | None,
    offset: int | None,
) -> Select[Any]:
    query = (
        select(Site, func.ST_AsGeoJSON(Site.geom, 7).label("geojson"))
        .where(func.ST_Intersects(Site.geom, func.ST_MakeEnvelope(*bbox, 4326)))
        .order_by(col(Site.name), col(Site.id))
        .limit(limit)
        .offset(offset)
    )
    return query.where(col(Site.kind) == kind) if kind else query


async def sites_with_use(
    session: AsyncSession,
    *,
    bbox: tuple[float, float, float, float],
    on: dt.date,
    use: str | None,
    kind: str | None,
    limit: int,
    offset: int,
    today: dt.date,
) -> list[tuple[Site, str, str | None, Any]]:
    """(site, geojson, use on that date, period id) for sites in the bbox, optionally one use."""
    if not within_horizon(on, today):
        return await _sites_with_use_by_engine(
            session, bbox=bbox, on=on, use=use, kind=kind, limit=limit, offset=offset
        )
    winner = winner_at_local_noon(on)
    query = sites_query(bbox=bbox, kind=kind, limit=limit, offset=offset)
    query = query.add_columns(winner.c.use, winner.c.period_id).outerjoin(winner, true())
    if use:
        query = query.where(winner.c.use == use)
    rows = await session.execute(query)
    return [(row.Site, row.geojson, row.use, row.period_id) for row in rows]


async def count_sites_with_use(
    session: AsyncSession,
    *,
    bbox: tuple[float, float, float, float],
    on: dt.date,
    use: str,
    kind: str | None,
    today: dt.date,
) -> int:
    """How many sites `sites_with_use` lists with that use over all its pages."""
    if not within_horizon(on, today):
        every = await _sites_with_use_by_engine(
            session, bbox=bbox, on=on, use=use, kind=kind, limit=sys.maxsize, offset=0
        )
        return len(every)
    winner = winner_at_local_noon(on)
    matching = (
        sites_query(bbox=bbox, kind=kind, limit=None, offset=None)
        .with_only_columns(col(Site.id))
        .order_by(None)
        .outerjoin(winner, true())
        .where(winner.c.use == use)
    )
    return int(
        (await session.execute(select(func.count()).select_from(matching.subquery()))).scalar_one()
    )


async def _sites_with_use_by_engine(
    session: AsyncSession,
    *,
    bbox: tuple[float, float, float, float],
    on: dt.date,
    use: str | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> list[tuple[Site, str, str | None, Any]]:
    found: list[tuple[Site, str, str | None, Any]] = []
    batch_offset = 0
    while len(found) < limit + offset:
        query = sites_query(bbox=bbox, kind=kind, limit=500, offset=batch_offset)
        rows = list(await session.execute(query))
        for row in rows:
            zone = ZoneInfo(row.Site.timezone)
            periods = [
                as_engine_period(p, p.id) for p in await active_periods(session, row.Site.id)
            ]
            instant = dt.datetime.combine(on, USE_HOUR, zone)
            segment = engine.use_at(periods, zone, instant)
            site_use = segment.use if segment else None
            if use is None or site_use == use:
                found.append(
                    (row.Site, row.geojson, site_use, segment.period_id if segment else None)
                )
        if len(rows) < 500:
            break
        batch_offset += 500
    return found[offset : offset + limit]
