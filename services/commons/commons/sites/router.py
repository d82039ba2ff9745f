import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from commons.bbox import parse_bbox
from commons.config import Settings
from commons.deps import CommonsSettings, MaintenanceStaff, SessionDep, TodayDep
from commons.schedules.service import check_date
from commons.sites import listing as listing_queries
from commons.sites import service as site_service
from commons.sites.listing import ENGINE_PERIODS_PER_REQUEST, Listing
from commons.sites.models import SiteCreate, SiteUpdate
from meent_shared.types import Identifier, PageOffset

router = APIRouter(prefix="/sites", tags=["sites"])
MAX_ANSWER_VERTICES = Settings.model_fields["max_answer_vertices"].default


@router.get(
    "",
    summary="Sites as a GeoJSON FeatureCollection, by bbox, kind and use on a date; "
    "numberMatched counts them over all pages",
    description="A page holds at most `limit` features, and stops early once its geometries "
    f"hold {MAX_ANSWER_VERTICES} vertices in all (MEENT_MAX_ANSWER_VERTICES): `truncated` is "
    "then true; ask on from `offset + numberReturned`. Beyond the materialized occurrences, "
    f"uses are worked out from at most {ENGINE_PERIODS_PER_REQUEST} use periods "
    "(422 `sites_too_busy`: a smaller bbox, limit or a nearer date).",
)
async def list_sites(
    session: SessionDep,
    today: TodayDep,
    settings: CommonsSettings,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat")] = None,
    kind: Annotated[Identifier | None, Query(max_length=60)] = None,
    on: Annotated[dt.date | None, Query(description="with each site's use on this date")] = None,
    use: Annotated[
        Identifier | None, Query(max_length=40, description="only sites with this use")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    listing = Listing(parse_bbox(bbox), kind, limit, offset, settings.max_answer_vertices)
    if on is None and use is None:
        page = await listing_queries.sites_page(session, listing)
        return _collection(page)
    day = on or today
    check_date(day, today, loc=["query", "on"])
    page = await listing_queries.sites_with_use_page(session, listing, on=day, use=use, today=today)
    return _collection(page, on=day.isoformat())


def _collection(page: listing_queries.SitesPage, **members: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        **members,
        "numberMatched": page.matched,
        "numberReturned": len(page.features),
        "truncated": page.truncated,
        "features": page.features,
    }


@router.get("/{site_id}", summary="One site as a GeoJSON Feature (public)")
async def get_site(site_id: uuid.UUID, session: SessionDep) -> dict[str, Any]:
    return await site_service.get_site_feature(session=session, site_id=site_id)


@router.post("", status_code=201, summary="Add a site (admin, maintenance)")
async def create_site(
    site_in: SiteCreate, session: SessionDep, editor: MaintenanceStaff
) -> dict[str, Any]:
    async with session.begin():
        site = await site_service.create_site(session=session, site_in=site_in)
    return await site_service.get_site_feature(session=session, site_id=site.id)


@router.patch("/{site_id}", summary="Change a site (admin, maintenance)")
async def update_site(
    site_id: uuid.UUID, site_in: SiteUpdate, session: SessionDep, editor: MaintenanceStaff
) -> dict[str, Any]:
    async with session.begin():
        await site_service.update_site(session=session, site_id=site_id, site_in=site_in)
    return await site_service.get_site_feature(session=session, site_id=site_id)
