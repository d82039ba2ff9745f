"""Sites: the places citizens steward, as valid MultiPolygons in SRID 4326."""

import json
import uuid
from typing import Any

from geoalchemy2 import Geography
from geoalchemy2.shape import from_shape
from sqlalchemy import cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.db import outbox
from commons.sites import events
from commons.sites.models import Site, SiteCreate
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event
from meent_shared.geo import parse_area

FEATURE_COLUMNS = (Site, func.ST_AsGeoJSON(Site.geom, 7).label("geojson"))


def site_feature(site: Site, geojson: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": str(site.id),
        "geometry": json.loads(geojson),
        "properties": {
            "name": site.name,
            "kind": site.kind,
            "description": site.description,
            "timezone": site.timezone,
            "area_m2": round(site.area_m2, 1),
            "external_id": site.external_id,
            "attributes": site.attributes,
            "version": site.version,
        },
    }


async def create_site(*, session: AsyncSession, site_in: SiteCreate) -> Site:
    """Store a site and record `site.created`; its area is computed geodesically by PostGIS."""
    shape = parse_area(site_in.geometry)
    geom = from_shape(shape, srid=4326)
    area = await session.scalar(select(func.ST_Area(cast(geom, Geography(srid=4326)), True)))
    site = Site.model_validate(
        site_in.model_dump(exclude={"geometry"}), update={"geom": geom, "area_m2": area}
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


async def get_site_feature(*, session: AsyncSession, site_id: uuid.UUID) -> dict[str, Any]:
    row = (await session.execute(select(*FEATURE_COLUMNS).where(col(Site.id) == site_id))).first()
    if row is None:
        raise NotFound(f"No site {site_id}")
    return site_feature(row.Site, row.geojson)


async def sites_in_bbox(
    *, session: AsyncSession, bbox: tuple[float, float, float, float], limit: int
) -> list[dict[str, Any]]:
    envelope = func.ST_MakeEnvelope(*bbox, 4326)
    query = (
        select(*FEATURE_COLUMNS)
        .where(func.ST_Intersects(Site.geom, envelope))
        .order_by(col(Site.name), col(Site.id))
        .limit(limit)
    )
    return [site_feature(row.Site, row.geojson) for row in await session.execute(query)]
