"""Mapbox vector tiles of sites, made by PostGIS in one query per tile (`ST_AsMVT`).

Sites are stored in SRID 4326 with a GiST index on `geom`: rows are chosen with `&&` against the
tile envelope transformed to 4326 (so the index answers), and only the chosen rows are transformed
to Web Mercator and clipped to tile coordinates.
"""

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Numeric, Select, Text, cast, func, literal, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from commons.schedules import engine, horizon
from commons.schedules.models import PeriodStatus, UsePeriod
from commons.schedules.queries import USE_HOUR, winner_at_local_noon, within_horizon
from commons.schedules.service import as_engine_period, check_date
from commons.sites.models import Site
from meent_shared.errors import InvalidInput

LAYER = "sites"
EXTENT = 4096  # tile coordinates per side
BUFFER = 64  # tile coordinates kept beyond each edge, so strokes meet across tiles
MAX_ZOOM = 22
# Beyond the materialized horizon each site's rules are expanded in Python, up to the date asked
# for: a bounded number of periods, and dates within a century of today.
ENGINE_PERIODS_PER_TILE = 500
# TileJSON `fields`: each property of a feature, with what it holds.
FIELDS = {
    "id": "String: the site's id (UUID)",
    "name": "String: the site's name",
    "kind": "String: the kind of site (square, park, garden, ...)",
    "area_m2": "Number: geodesic area in square metres",
    "use": "String: the site's use at local noon on the `on` date (absent: no use, or no `on`)",
}


def _tile_envelope(z: int, x: int, y: int) -> ColumnElement[Any]:
    return func.ST_TileEnvelope(z, x, y)


def _features(z: int, x: int, y: int) -> Select[Any]:
    """One row per site whose bounding box meets the tile, its geometry in tile coordinates."""
    envelope = _tile_envelope(z, x, y)
    mvt_geom = func.ST_AsMVTGeom(
        func.ST_Transform(Site.geom, 3857), envelope, EXTENT, BUFFER, true()
    )
    return select(
        cast(col(Site.id), Text).label("id"),
        col(Site.name),
        col(Site.kind),
        cast(func.round(cast(col(Site.area_m2), Numeric), 1), Float).label("area_m2"),
        mvt_geom.label("geom"),
    ).where(col(Site.geom).op("&&")(func.ST_Transform(envelope, 4326)))


def _as_tile(features: Select[Any]) -> Select[Any]:
    # A bounding box can meet the tile while the polygon does not (or a polygon is below one tile
    # unit at low zoom): ST_AsMVTGeom gives NULL and ST_AsMVT skips the row. No `IS NOT NULL`
    # filter: PostgreSQL would compute ST_AsMVTGeom twice per row.
    rows = features.subquery("features")
    return select(func.ST_AsMVT(rows.table_valued(), LAYER, EXTENT, "geom"))


async def _uses_by_engine(
    session: AsyncSession, *, z: int, x: int, y: int, on: dt.date, today: dt.date
) -> dict[str, str]:
    """Beyond the materialized horizon the schedule engine answers: {site id: use} in the tile."""
    query = (
        select(UsePeriod, col(Site.timezone))
        .join(Site, col(Site.id) == col(UsePeriod.site_id))
        .where(col(Site.geom).op("&&")(func.ST_Transform(_tile_envelope(z, x, y), 4326)))
        .where(col(UsePeriod.status) == PeriodStatus.active)
        .limit(ENGINE_PERIODS_PER_TILE + 1)
    )
    rows = (await session.execute(query)).all()
    if len(rows) > ENGINE_PERIODS_PER_TILE:
        days = horizon.materialized_days(today)
        raise InvalidInput(
            f"Too many use periods in this tile to work out uses on {on}: zoom in, or choose a "
            f"date from {days.first} to {days.end - dt.timedelta(days=1)}",
            code="tile_too_busy",
            loc=["query", "on"],
        )
    periods: dict[uuid.UUID, list[engine.Period]] = defaultdict(list)
    zones: dict[uuid.UUID, ZoneInfo] = {}
    for period, timezone in rows:
        periods[period.site_id].append(as_engine_period(period, period.id))
        zones[period.site_id] = ZoneInfo(timezone)
    # Expanding rules is CPU work: off the event loop.
    return await asyncio.to_thread(_winning_uses, periods, zones, on)


def _winning_uses(
    periods: dict[uuid.UUID, list[engine.Period]], zones: dict[uuid.UUID, ZoneInfo], on: dt.date
) -> dict[str, str]:
    uses = {}
    for site_id, zone in zones.items():
        segment = engine.use_at(periods[site_id], zone, dt.datetime.combine(on, USE_HOUR, zone))
        if segment is not None:
            uses[str(site_id)] = segment.use
    return uses


async def site_tile(
    session: AsyncSession, *, z: int, x: int, y: int, on: dt.date | None, today: dt.date
) -> bytes:
    """The `sites` layer of tile z/x/y (empty bytes: no site in it); with `use` on a date."""
    check_date(on, today, loc=["query", "on"])
    features = _features(z, x, y)
    if on is not None and within_horizon(on, today):
        # The same rule as the GeoJSON lists: the winning occurrence at the site's local noon.
        winner = winner_at_local_noon(on)
        features = features.add_columns(winner.c.use).outerjoin(winner, true())
    elif on is not None:
        uses = await _uses_by_engine(session, z=z, x=x, y=y, on=on, today=today)
        site_use = literal(uses, JSONB).op("->>", return_type=Text)(cast(col(Site.id), Text))
        features = features.add_columns(site_use.label("use"))
    tile = await session.scalar(_as_tile(features))
    return bytes(tile or b"")


async def sites_bounds(session: AsyncSession) -> tuple[float, float, float, float] | None:
    """West, south, east, north of all sites (None: there are none)."""
    extent = select(func.ST_Extent(col(Site.geom)).label("box")).subquery()
    box = extent.c.box
    query = select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))
    row = (await session.execute(query)).one()
    if row[0] is None:
        return None
    return float(row[0]), float(row[1]), float(row[2]), float(row[3])
