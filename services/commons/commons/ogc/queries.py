"""The sites collection in SQL: filters, a stable page, a count, one feature and the extent."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from commons.ogc import in_use
from commons.ogc.params import TimeFilter
from commons.sites import service as site_service
from commons.sites.listing import page_within_vertices
from commons.sites.models import Site

FEATURE_COLUMNS = site_service.FEATURE_COLUMNS


@dataclass(frozen=True)
class Page:
    features: list[dict[str, Any]]
    number_matched: int


def as_feature(site: Site, geojson: str) -> dict[str, Any]:
    """The site's GeoJSON Feature, without the free attributes (not part of the collection's schema)."""
    feature = site_service.site_feature(site, geojson)
    del feature["properties"]["attributes"]
    return feature


async def site_filters(
    session: AsyncSession, *, bbox: in_use.Bbox, when: TimeFilter | None, today: dt.date
) -> list[ColumnElement[Any]]:
    filters: list[ColumnElement[Any]] = [
        func.ST_Intersects(Site.geom, func.ST_MakeEnvelope(*bbox, 4326))
    ]
    if when is not None and in_use.within_horizon(when, today):
        filters.append(in_use.in_use_by_sql(when))
    elif when is not None:
        filters.append(await in_use.in_use_by_engine(session, when, bbox))
    return filters


async def page_of_sites(
    session: AsyncSession,
    *,
    filters: list[ColumnElement[Any]],
    limit: int,
    offset: int,
    max_vertices: int,
) -> Page:
    """One page in (name, id) order, so pages neither repeat nor skip a site; it stops early once
    its geometries hold `max_vertices` (the next link starts where it stopped)."""
    query = (
        select(Site)
        .where(*filters)
        .order_by(col(Site.name), col(Site.id))
        .limit(limit)
        .offset(offset)
    )
    rows, _ = await page_within_vertices(session, query, max_vertices)
    features = [as_feature(row.Site, row.geojson) for row in rows]
    matched = await session.scalar(select(func.count()).select_from(Site).where(*filters))
    return Page(features, matched or 0)


async def site_feature(session: AsyncSession, site_id: uuid.UUID) -> dict[str, Any] | None:
    row = (await session.execute(select(*FEATURE_COLUMNS).where(col(Site.id) == site_id))).first()
    return None if row is None else as_feature(row.Site, row.geojson)


async def sites_extent(session: AsyncSession) -> list[float] | None:
    """The bbox of every site (PostGIS ST_Extent), or None while there are none."""
    extent = func.ST_Extent(Site.geom)
    box = (
        await session.execute(
            select(*(f(extent) for f in (func.ST_XMin, func.ST_YMin, func.ST_XMax, func.ST_YMax)))
        )
    ).one()
    return None if box[0] is None else [float(v) for v in box]
