"""Districts: imported whole from a GeoJSON FeatureCollection (every feature, or none), read back
as GeoJSON, and the district rule of a funding call.

Geometry is checked in a worker thread of the import's own (`districts.geojson` bounds the work),
so a large file holds up neither other requests nor the threads they share.
"""

import asyncio
import datetime as dt
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from geoalchemy2.shape import from_shape
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.districts.geojson import DistrictDraft, collection_features, read_features
from grants.districts.models import (
    District,
    DistrictPublic,
    DistrictsImported,
    DistrictsPublic,
    RepairedFeature,
)
from grants.eligibility.models import RuleCheck
from grants.sites import service as site_service
from grants.sites.models import SiteInDistrict
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, InvalidInput, NotFound, error_item

# One answer's geometries hold at most this many vertices (about 4 MB of GeoJSON).
MAX_PAGE_VERTICES = 100_000
GEOJSON_DIGITS = 7  # about a centimetre
NO_SITE_INSIDE = "no stewarded site inside"
SHOWN = ("id", "name", "created_at", "version")
# Imports queue behind each other here, never in the pool everything else's threads share.
_geometry_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grants-districts")


class FeaturesRefused(InvalidInput):
    """Some features cannot be districts: one error per such feature, and nothing is stored."""

    code = "features_refused"

    def __init__(self, items: list[dict[str, Any]]):
        super().__init__(items[0]["msg"], code=items[0]["type"], loc=items[0]["loc"])
        self.items = items


async def import_districts(
    *, session: AsyncSession, collection: Any, name_property: str, by: Principal
) -> DistrictsImported:
    """Store every feature of the collection as a district, or none (`FeaturesRefused`)."""
    features = collection_features(collection)
    loop = asyncio.get_running_loop()
    drafts, errors = await loop.run_in_executor(
        _geometry_thread, read_features, features, name_property
    )
    errors += await _names_taken(session, drafts, name_property)
    if errors:
        raise FeaturesRefused(sorted(errors, key=lambda item: item["loc"][2]))
    districts = [
        District(name=d.name, geom=from_shape(d.area.shape, srid=4326), created_by=by.sub)
        for d in drafts
    ]
    session.add_all(districts)
    try:
        await session.flush()
    except IntegrityError:  # another import took one of the names since we looked
        raise Conflict(
            "Another import stored a district of one of these names meanwhile, so nothing was "
            "stored: look at the districts and import again",
            code="district_exists",
        ) from None
    ids = [district.id for district in districts]
    stored = await _public(session, _with_geojson().where(col(District.id).in_(ids)))
    repaired = [
        RepairedFeature(index=d.index, name=d.name, problem=d.area.repaired)
        for d in drafts
        if d.area.repaired is not None
    ]
    return DistrictsImported(data=stored, count=len(stored), repaired=repaired)


async def _names_taken(
    session: AsyncSession, drafts: list[DistrictDraft], name_property: str
) -> list[dict[str, Any]]:
    """An error for each feature naming a district imported before."""
    if not drafts:
        return []
    names = {d.name for d in drafts}
    query = select(col(District.name)).where(col(District.name).in_(names))
    taken = set(await session.scalars(query))
    return [
        error_item(
            f"Feature {d.index}: a district named {d.name!r} exists already",
            "district_exists",
            ["body", "features", d.index, "properties", name_property],
        )
        for d in drafts
        if d.name in taken
    ]


async def get_district(*, session: AsyncSession, district_id: uuid.UUID) -> DistrictPublic:
    found = await _public(session, _with_geojson().where(col(District.id) == district_id))
    if not found:
        raise NotFound(f"No district {district_id}")
    return found[0]


async def list_districts(*, session: AsyncSession, limit: int, offset: int) -> DistrictsPublic:
    """A page of districts by name, stopping early once it holds MAX_PAGE_VERTICES (the first
    district always: one holds at most `AREA_LIMITS.vertices`)."""
    page = (
        select(District, func.ST_NPoints(District.geom).label("vertices"))
        .order_by(col(District.name), col(District.id))
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    order = (page.c.name, page.c.id)
    counted = select(
        page,
        func.sum(page.c.vertices).over(order_by=order).label("running"),
        func.row_number().over(order_by=order).label("position"),
        func.count().over().label("page_rows"),
    ).subquery("counted")
    shown = [counted.c[name] for name in SHOWN]
    query = (
        select(*shown, func.ST_AsGeoJSON(counted.c.geom, GEOJSON_DIGITS).label("geojson"))
        .add_columns(counted.c.page_rows)
        .where(or_(counted.c.running <= MAX_PAGE_VERTICES, counted.c.position == 1))
        .order_by(*(counted.c.name, counted.c.id))
    )
    rows = list(await session.execute(query))
    data = [_public_row(row) for row in rows]
    count = await session.scalar(select(func.count()).select_from(District))
    truncated = bool(rows) and len(rows) < rows[0].page_rows
    return DistrictsPublic(data=data, count=count or 0, truncated=truncated)


def _with_geojson() -> Select[Any]:
    """The shown columns and the area as GeoJSON (never the stored geometry as well)."""
    shown = [getattr(District, name) for name in SHOWN]
    return select(*shown, func.ST_AsGeoJSON(District.geom, GEOJSON_DIGITS).label("geojson"))


async def _public(session: AsyncSession, query: Select[Any]) -> list[DistrictPublic]:
    rows = await session.execute(query.order_by(col(District.name), col(District.id)))
    return [_public_row(row) for row in rows]


def _public_row(row: Any) -> DistrictPublic:
    values = {name: getattr(row, name) for name in SHOWN}
    return DistrictPublic(**values, geometry=json.loads(row.geojson))


async def require_known_district(session: AsyncSession, district_id: uuid.UUID | None) -> None:
    """For a call's terms: its district (if any) must be one grants knows."""
    if district_id is None:
        return
    if await _district_name(session, district_id) is None:
        raise InvalidInput(
            f"No district {district_id}: import it first (POST /districts/import)",
            code="unknown_district",
            loc=["body", "district_id"],
        )


async def _district_name(session: AsyncSession, district_id: uuid.UUID) -> str | None:
    return await session.scalar(select(col(District.name)).where(col(District.id) == district_id))


def _area_of(district_id: uuid.UUID) -> Any:
    return select(District.geom).where(col(District.id) == district_id).scalar_subquery()


async def district_rule(
    session: AsyncSession, *, district_id: uuid.UUID, project_id: uuid.UUID, today: dt.date
) -> RuleCheck:
    """A call limited to a district admits a project that, today, stewards a site inside it
    (the point commons announced for the site lies in the district, its boundary included)."""
    name = await _district_name(session, district_id)
    if name is None:  # a call drafted before its district was checked; never met
        return RuleCheck(
            rule="district",
            met=False,
            required=str(district_id),
            actual=NO_SITE_INSIDE,
            message=f"stewards a site in district {district_id}, which grants does not know",
        )
    site = await site_service.stewarded_site_within(
        session, area=_area_of(district_id), project_id=project_id, on=today
    )
    return RuleCheck(
        rule="district",
        met=site is not None,
        required=name,
        actual=site or NO_SITE_INSIDE,
        message=f"stewards a site in {name} "
        + (f"(the project stewards {site})" if site else "(the project stewards none there)"),
    )


async def sites_in_district(
    *, session: AsyncSession, district_id: uuid.UUID, today: dt.date, limit: int, offset: int
) -> tuple[list[SiteInDistrict], int]:
    if await _district_name(session, district_id) is None:
        raise NotFound(f"No district {district_id}")
    return await site_service.sites_within(
        session, area=_area_of(district_id), on=today, limit=limit, offset=offset
    )
