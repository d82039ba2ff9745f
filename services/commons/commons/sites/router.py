import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from commons.deps import SessionDep, require_role
from commons.sites import service as site_service
from commons.sites.models import SiteCreate
from meent_shared.auth import Principal
from meent_shared.errors import InvalidInput

router = APIRouter(prefix="/sites", tags=["sites"])
SiteEditor = Annotated[Principal, Depends(require_role("maintenance"))]


def parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in bbox.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise InvalidInput("bbox must be minLon,minLat,maxLon,maxLat", loc=["query", "bbox"])
    return values


@router.get("", summary="Sites in a bounding box, as a GeoJSON FeatureCollection (public)")
async def list_sites(
    session: SessionDep,
    bbox: Annotated[str, Query(description="minLon,minLat,maxLon,maxLat")] = "-180,-90,180,90",
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    features = await site_service.sites_in_bbox(session=session, bbox=parse_bbox(bbox), limit=limit)
    return {"type": "FeatureCollection", "features": features}


@router.get("/{site_id}", summary="One site as a GeoJSON Feature (public)")
async def get_site(site_id: uuid.UUID, session: SessionDep) -> dict[str, Any]:
    return await site_service.get_site_feature(session=session, site_id=site_id)


@router.post("", status_code=201, summary="Add a site (admin, maintenance)")
async def create_site(
    site_in: SiteCreate, session: SessionDep, editor: SiteEditor
) -> dict[str, Any]:
    async with session.begin():
        site = await site_service.create_site(session=session, site_in=site_in)
    return await site_service.get_site_feature(session=session, site_id=site.id)
