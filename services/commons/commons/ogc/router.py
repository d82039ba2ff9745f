"""OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0) for the commons sites, as QGIS and
GDAL's OAPIF driver read them. Links are absolute, for the origin the client used (`links`)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from commons.config import Settings
from commons.deps import CommonsSettings, SessionDep, TodayDep
from commons.ogc import documents, openapi, queries
from commons.ogc.documents import COLLECTION_ID
from commons.ogc.links import GEOJSON, OPENAPI, items_links, ogc_root
from commons.ogc.params import (
    DEFAULT_LIMIT,
    ITEMS_PARAMETERS,
    MAX_LIMIT,
    check_format,
    check_known,
    effective_limit,
    parse_datetime,
    parse_ogc_bbox,
)
from commons.ogc.route import OgcRoute
from meent_shared.errors import NotFound
from meent_shared.types import PageOffset

router = APIRouter(prefix="/ogc", tags=["OGC API - Features"], route_class=OgcRoute)
MAX_ANSWER_VERTICES = Settings.model_fields["max_answer_vertices"].default


class GeoJSONResponse(JSONResponse):
    media_type = GEOJSON


Format = Annotated[str | None, Query(description="json, the one format offered (optional)")]
Bbox = Annotated[
    str | None,
    Query(
        description="minLon,minLat,maxLon,maxLat in WGS84 "
        "(a 3D bbox is accepted, its heights ignored)"
    ),
]
Datetime = Annotated[
    str | None,
    Query(
        description="Sites in use then: an RFC 3339 date-time, "
        "or an interval start/end with .. for an open end"
    ),
]
Limit = Annotated[
    int,
    Query(
        ge=1,
        json_schema_extra={"maximum": MAX_LIMIT},
        description=f"Features per page (above {MAX_LIMIT}: {MAX_LIMIT})",
    ),
]


def require_sites(collection_id: str) -> None:
    if collection_id != COLLECTION_ID:
        raise NotFound(f"No collection {collection_id!r}; this API offers {COLLECTION_ID!r}")


@router.get("", summary="Landing page")
@router.get("/", include_in_schema=False)
async def landing_page(request: Request, f: Format = None) -> JSONResponse:
    check_format(f)
    return JSONResponse(documents.landing_page(ogc_root(request)))


@router.get("/api", summary="The API definition (OpenAPI 3.0)")
async def api_definition(request: Request, f: Format = None) -> JSONResponse:
    check_format(f)
    document = openapi.api_definition(request.app.openapi(), ogc_root(request))
    return JSONResponse(document, media_type=OPENAPI)


@router.get("/conformance", summary="Conformance classes implemented")
async def conformance(f: Format = None) -> JSONResponse:
    check_format(f)
    return JSONResponse(documents.conformance())


@router.get("/collections", summary="The feature collections")
async def collections(request: Request, session: SessionDep, f: Format = None) -> JSONResponse:
    check_format(f)
    extent = await queries.sites_extent(session)
    return JSONResponse(documents.collections(ogc_root(request), extent))


@router.get("/collections/{collection_id}", summary="One feature collection")
async def collection(
    collection_id: str, request: Request, session: SessionDep, f: Format = None
) -> JSONResponse:
    require_sites(collection_id)
    check_format(f)
    extent = await queries.sites_extent(session)
    return JSONResponse(documents.sites_collection(ogc_root(request), extent))


@router.get(
    "/collections/{collection_id}/items",
    response_class=GeoJSONResponse,
    summary="Sites as GeoJSON, by bbox and the time they are in use, a page at a time",
    description="A page stops before `limit` once its geometries hold "
    f"{MAX_ANSWER_VERTICES} vertices in all (MEENT_MAX_ANSWER_VERTICES); the `next` link "
    "starts where it stopped.",
)
async def items(
    collection_id: str,
    request: Request,
    session: SessionDep,
    today: TodayDep,
    settings: CommonsSettings,
    bbox: Bbox = None,
    datetime: Datetime = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: PageOffset = 0,
    f: Format = None,
) -> JSONResponse:
    require_sites(collection_id)
    check_known(request.query_params.keys(), ITEMS_PARAMETERS)
    check_format(f)
    box, when, size = parse_ogc_bbox(bbox), parse_datetime(datetime, today), effective_limit(limit)
    filters = await queries.site_filters(session, bbox=box, when=when, today=today)
    page = await queries.page_of_sites(
        session,
        filters=filters,
        limit=size,
        offset=offset,
        max_vertices=settings.max_answer_vertices,
    )
    links = items_links(
        f"{ogc_root(request)}/collections/{COLLECTION_ID}/items",
        request.query_params.multi_items(),
        limit=size,
        offset=offset,
        returned=len(page.features),
        matched=page.number_matched,
        as_json=f is not None,
    )
    body = documents.feature_collection(page.features, page.number_matched, links)
    return JSONResponse(body) if f is not None else GeoJSONResponse(body)


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    response_class=GeoJSONResponse,
    summary="One site as a GeoJSON Feature",
)
async def item(
    collection_id: str, feature_id: str, request: Request, session: SessionDep, f: Format = None
) -> JSONResponse:
    require_sites(collection_id)
    check_known(request.query_params.keys(), frozenset({"f"}))
    check_format(f)
    try:
        site_id = uuid.UUID(feature_id)
    except ValueError:  # not a uuid: no such feature either, as OGC clients expect
        site_id = None
    found = None if site_id is None else await queries.site_feature(session, site_id)
    if found is None:
        raise NotFound(f"No feature {feature_id!r} in collection {COLLECTION_ID!r}")
    body = documents.feature(ogc_root(request), found)
    return JSONResponse(body) if f is not None else GeoJSONResponse(body)
