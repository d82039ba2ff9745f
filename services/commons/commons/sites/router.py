import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from commons.bbox import parse_bbox
from commons.deps import MaintenanceStaff, SessionDep
from commons.schedules import queries as schedule_queries
from commons.schedules.service import check_date
from commons.sites import service as site_service
from commons.sites.models import SiteCreate, SiteUpdate
from meent_shared.types import Identifier, PageOffset

router = APIRouter(prefix="/sites", tags=["sites"])


@router.get(
    "",
    summary="Sites as a GeoJSON FeatureCollection, by bbox, kind and use on a date; "
    "numberMatched counts them over all pages",
)
async def list_sites(
    session: SessionDep,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat")] = None,
    kind: Annotated[Identifier | None, Query(max_length=60)] = None,
    on: Annotated[dt.date | None, Query(description="with each site's use on this date")] = None,
    use: Annotated[
        Identifier | None, Query(max_length=40, description="only sites with this use")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    box = parse_bbox(bbox)
    if on is None and use is None:
        features = await site_service.sites_in_bbox(
            session=session, bbox=box, kind=kind, limit=limit, offset=offset
        )
        matched = await site_service.count_sites_in_bbox(session, bbox=box, kind=kind)
        return {"type": "FeatureCollection", "numberMatched": matched, "features": features}
    day = on or dt.date.today()
    check_date(day, dt.date.today(), loc=["query", "on"])
    matched = (
        await site_service.count_sites_in_bbox(session, bbox=box, kind=kind)
        if use is None
        else await schedule_queries.count_sites_with_use(
            session, bbox=box, on=day, use=use, kind=kind, today=dt.date.today()
        )
    )
    rows = await schedule_queries.sites_with_use(
        session,
        bbox=box,
        on=day,
        use=use,
        kind=kind,
        limit=limit,
        offset=offset,
        today=dt.date.today(),
    )
    features = [
        site_service.site_feature(site, geojson, use=site_use, use_period_id=period_id)
        for site, geojson, site_use, period_id in rows
    ]
    return {
        "type": "FeatureCollection",
        "on": day.isoformat(),
        "numberMatched": matched,
        "features": features,
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
