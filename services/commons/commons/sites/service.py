"""Sites: the places citizens steward, as valid MultiPolygons in SRID 4326."""

import datetime as dt
import json
import uuid
from typing import Any

from geoalchemy2 import Geography
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import MultiPolygon
from sqlalchemy import cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.db import outbox
from commons.schedules.models import UsePeriod
from commons.schedules.service import materialize
from commons.sites import events
from commons.sites.geometry import checked_area
from commons.sites.models import Site, SiteCreate, SiteUpdate
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event

FEATURE_COLUMNS = (Site, func.ST_AsGeoJSON(Site.geom, 7).label("geojson"))


def site_feature(site: Site, geojson: str, **extra: Any) -> dict[str, Any]:
    properties = {
        "name": site.name,
        "kind": site.kind,
        "description": site.description,
        "timezone": site.timezone,
        "area_m2": round(site.area_m2, 1),
        "external_id": site.external_id,
        "attributes": site.attributes,
        "version": site.version,
    }
    properties.update({k: str(v) if isinstance(v, uuid.UUID) else v for k, v in extra.items()})
    return {
        "type": "Feature",
        "id": str(site.id),
        "geometry": json.loads(geojson),
        "properties": properties,
    }


async def geodesic_area(session: AsyncSession, shape: MultiPolygon) -> float:
    geom = from_shape(shape, srid=4326)
    area = await session.scalar(select(func.ST_Area(cast(geom, Geography(srid=4326)), True)))
    return float(area or 0.0)


async def create_site(
    session: AsyncSession, *, site_in: SiteCreate, shape: MultiPolygon | None = None
) -> Site:
    """Store a site and record `site.created`; its area is computed geodesically by PostGIS.
    `shape` is its geometry when the caller has checked it already (an import)."""
    if shape is None:
        shape = (await checked_area(site_in.geometry, ["body", "geometry"])).shape
    site = Site.model_validate(
        site_in.model_dump(exclude={"geometry"}),
        update={
            "geom": from_shape(shape, srid=4326),
            "area_m2": await geodesic_area(session, shape),
        },
    )
    session.add(site)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(
            f"A site with external id {site_in.external_id!r} exists", code="external_id_taken"
        ) from None
    await record_event(session, outbox, events.site_created(site, shape))
    return site


async def update_site(
    session: AsyncSession,
    *,
    site_id: uuid.UUID,
    site_in: SiteUpdate,
    shape: MultiPolygon | None = None,
) -> Site:
    """Change a site; `shape` is its new geometry when the caller has checked it already."""
    site = await session.get(Site, site_id, with_for_update=True)
    if site is None:
        raise NotFound(f"No site {site_id}")
    changes = site_in.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        return site
    if "geometry" in changes:
        geometry = changes.pop("geometry")
        if shape is None:
            shape = (await checked_area(geometry, ["body", "geometry"])).shape
        site.geom = from_shape(shape, srid=4326)
        site.area_m2 = await geodesic_area(session, shape)
    else:
        shape = to_shape(site.geom)
    for field, value in changes.items():
        setattr(site, field, value)
    site.version += 1
    site.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    if "timezone" in changes:
        await _rematerialize(session, site)
    await record_event(session, outbox, events.site_updated(site, shape))
    return site


async def _rematerialize(session: AsyncSession, site: Site) -> None:
    """Local days move with the time zone: rewrite the site's materialized occurrences."""
    periods = await session.execute(select(UsePeriod).where(col(UsePeriod.site_id) == site.id))
    for period in periods.scalars():
        await materialize(session, period, site, dt.date.today())


async def get_site_feature(session: AsyncSession, *, site_id: uuid.UUID) -> dict[str, Any]:
    row = (await session.execute(select(*FEATURE_COLUMNS).where(col(Site.id) == site_id))).first()
    if row is None:
        raise NotFound(f"No site {site_id}")
    return site_feature(row.Site, row.geojson)
