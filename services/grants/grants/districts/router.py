"""Districts over HTTP: the import (grant officers) and public reads, GeoJSON in and out."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from grants.deps import GrantOfficer, SessionDep, TodayDep
from grants.districts import service as district_service
from grants.districts.geojson import MAX_IMPORT_FEATURES, MAX_IMPORT_VERTICES
from grants.districts.models import DistrictPublic, DistrictsImported, DistrictsPublic
from grants.sites.models import SitesInDistrict
from meent_shared.errors import error_response
from meent_shared.types import PageLimit, PageOffset, SingleLine

router = APIRouter(prefix="/districts", tags=["districts"])

_SQUARE = [[[5.10, 52.08], [5.11, 52.08], [5.11, 52.09], [5.10, 52.09], [5.10, 52.08]]]
_EXAMPLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Oost"},
            "geometry": {"type": "Polygon", "coordinates": _SQUARE},
        }
    ],
}
Collection = Annotated[
    Any,
    Body(
        description="A GeoJSON FeatureCollection (RFC 7946) of Polygons and MultiPolygons in "
        f"WGS84: at most {MAX_IMPORT_FEATURES} features and {MAX_IMPORT_VERTICES} vertices in "
        "all, each area at most 50000 vertices in 1000 rings",
        examples=[_EXAMPLE],
    ),
]
REFUSED = (
    "No usable collection, or one error per feature that cannot be a district (`loc`: "
    '["body", "features", i, ...]); nothing is stored'
)
TOO_LARGE = (
    "Too many features or vertices, areas too tangled to check, too many repairs, or a body "
    "above the size limit (MEENT_MAX_BODY_BYTES): split the file"
)
NameProperty = Annotated[
    SingleLine,
    Query(min_length=1, max_length=200, description="the property holding each district's name"),
]


@router.post(
    "/import",
    response_model=DistrictsImported,
    status_code=201,
    summary="Import districts from a GeoJSON FeatureCollection, every feature or none (officers)",
    responses={
        422: {"description": REFUSED},
        409: {"description": "A concurrent import took one of the names"},
        413: {"description": TOO_LARGE},
    },
)
async def import_districts(
    collection: Collection,
    session: SessionDep,
    officer: GrantOfficer,
    name_property: NameProperty = "name",
) -> Any:
    """Invalid rings (within bounds) are made valid and reported in `repaired`."""
    try:
        async with session.begin():
            return await district_service.import_districts(
                session=session, collection=collection, name_property=name_property, by=officer
            )
    except district_service.FeaturesRefused as refused:
        return error_response(422, refused.items)


@router.get("", response_model=DistrictsPublic, summary="Districts by name, as GeoJSON (public)")
async def list_districts(
    session: SessionDep, limit: PageLimit = 100, offset: PageOffset = 0
) -> DistrictsPublic:
    return await district_service.list_districts(session=session, limit=limit, offset=offset)


@router.get("/{district_id}", response_model=DistrictPublic, summary="One district (public)")
async def get_district(district_id: uuid.UUID, session: SessionDep) -> DistrictPublic:
    return await district_service.get_district(session=session, district_id=district_id)


@router.get(
    "/{district_id}/sites",
    response_model=SitesInDistrict,
    summary="The sites inside a district, and who stewards each today (public)",
)
async def list_sites_in_district(
    district_id: uuid.UUID,
    session: SessionDep,
    today: TodayDep,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> SitesInDistrict:
    sites, count = await district_service.sites_in_district(
        session=session, district_id=district_id, today=today, limit=limit, offset=offset
    )
    return SitesInDistrict(data=sites, count=count)
