"""grants' copy of commons' sites and stewardships, and which of them lie in an area.

Each row is kept with `apply_if_newer` by commons' ids and versions: a redelivered, reordered or
republished event changes nothing it should not. Nothing is summed, so a rebuilt consumer reaches
the same state.
"""

import datetime as dt
import logging
import math
import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.sites.models import KnownSite, SiteInDistrict, SiteStewardship
from meent_shared.db import table_of
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated, StewardshipChanged
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer

log = logging.getLogger("meent.grants.sites")


async def on_site_changed(
    session: AsyncSession, payload: SiteCreated | SiteUpdated, event: CloudEvent
) -> None:
    values = {
        "site_id": payload.site_id,
        "name": payload.name,
        "point": _point(payload),
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(KnownSite), values)


def _point(payload: SiteCreated | SiteUpdated) -> Any:
    """The site's inside point as PostGIS reads it; None (in no district) when commons sent
    none a map could hold — parking the event would only hide the site's name as well."""
    lon, lat = payload.centroid
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        log.warning("site %s announced without a usable point: %r", payload.site_id, (lon, lat))
        return None
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)


async def on_stewardship_changed(
    session: AsyncSession, payload: StewardshipChanged, event: CloudEvent
) -> None:
    values = {
        "stewardship_id": payload.stewardship_id,
        "site_id": payload.site_id,
        "project_id": payload.project_id,
        "starts_on": payload.starts_on,
        "ends_on": payload.ends_on,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(SiteStewardship), values)


def stewarded_on(on: dt.date) -> ColumnElement[bool]:
    """The stewardship runs on that day (it started, and has not ended: `ends_on` inclusive, as
    commons counts it)."""
    return and_(
        col(SiteStewardship.starts_on) <= on,
        or_(col(SiteStewardship.ends_on).is_(None), col(SiteStewardship.ends_on) >= on),
    )


async def stewarded_site_within(
    session: AsyncSession, *, area: Any, project_id: uuid.UUID, on: dt.date
) -> str | None:
    """The name of a site the project stewards on that day whose point lies within `area` (a
    geometry expression; first by name), or None. The GiST index on the points finds them."""
    query = (
        select(col(KnownSite.name))
        .join(SiteStewardship, col(SiteStewardship.site_id) == col(KnownSite.site_id))
        .where(
            col(SiteStewardship.project_id) == project_id,
            stewarded_on(on),
            func.ST_Covers(area, KnownSite.point),
        )
        .order_by(col(KnownSite.name), col(KnownSite.site_id))
        .limit(1)
    )
    return await session.scalar(query)


async def sites_within(
    session: AsyncSession, *, area: Any, on: dt.date, limit: int, offset: int
) -> tuple[list[SiteInDistrict], int]:
    """Known sites whose point lies within `area`, by name, each with the projects stewarding
    it on that day; and how many there are in all."""
    inside = func.ST_Covers(area, KnownSite.point)
    stewards = (
        select(func.array_agg(col(SiteStewardship.project_id)))
        .where(col(SiteStewardship.site_id) == col(KnownSite.site_id), stewarded_on(on))
        .scalar_subquery()
    )
    query = (
        select(
            KnownSite,
            func.ST_X(KnownSite.point).label("lon"),
            func.ST_Y(KnownSite.point).label("lat"),
            stewards.label("stewards"),
        )
        .where(inside)
        .order_by(col(KnownSite.name), col(KnownSite.site_id))
        .limit(limit)
        .offset(offset)
    )
    rows = await session.execute(query)
    sites = [
        SiteInDistrict(
            site_id=row.KnownSite.site_id,
            name=row.KnownSite.name,
            point=(row.lon, row.lat),
            stewarded_by=sorted(row.stewards or []),
        )
        for row in rows
    ]
    count = await session.scalar(select(func.count()).select_from(KnownSite).where(inside))
    return sites, count or 0
