"""Vector tiles of sites for web maps (MapLibre, Leaflet), and their TileJSON."""

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from commons.deps import SessionDep, TodayDep
from commons.public_url import public_root
from commons.schedules.service import check_date
from commons.tiles import queries as tile_queries
from meent_shared.errors import InvalidInput
from meent_shared.http import client_has, content_etag

TILES_PATH = "/tiles"  # where the router is mounted in this service
router = APIRouter(prefix=TILES_PATH, tags=["tiles"])

TILE_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
CACHE_CONTROL = "public, max-age=60"
_TILE_NAME = re.compile(r"^(\d{1,20})\.(mvt|pbf)$")
WEB_MERCATOR_LATITUDE = 85.0511287798066  # TileJSON's default bounds


def parse_tile(z: int, x: int, name: str) -> int:
    """The y of `{y}.mvt` (or `.pbf`), after checking x and y exist at zoom z."""
    match = _TILE_NAME.match(name)
    if match is None:
        raise InvalidInput(
            f"The tile must be named {{y}}.mvt or {{y}}.pbf, not {name[:40]!r}",
            code="invalid_tile",
            loc=["path", "y"],
        )
    y, last = int(match.group(1)), 2**z - 1
    for axis, value in (("x", x), ("y", y)):
        if value > last:
            raise InvalidInput(
                f"{axis} must be between 0 and {last} at zoom {z}, not {value}",
                code="invalid_tile",
                loc=["path", axis],
            )
    return y


def tiles_root(request: Request) -> str:
    """The public address of /tiles."""
    return public_root(request, TILES_PATH)


@router.get(
    "/sites/{z}/{x}/{tile}",
    summary="Sites as a Mapbox vector tile, layer `sites` (public)",
    response_class=Response,
    responses={200: {"content": {TILE_MEDIA_TYPE: {}}}, 204: {"description": "No site here"}},
)
async def site_tile(
    z: Annotated[int, Path(ge=0, le=tile_queries.MAX_ZOOM)],
    x: Annotated[int, Path(ge=0)],
    tile: Annotated[str, Path(description="{y}.mvt or {y}.pbf")],
    request: Request,
    session: SessionDep,
    today: TodayDep,
    on: Annotated[dt.date | None, Query(description="with each site's use on this date")] = None,
) -> Response:
    y = parse_tile(z, x, tile)
    body = await tile_queries.site_tile(session, z=z, x=x, y=y, on=on, today=today)
    etag = content_etag(body)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if client_has(request, etag):
        return Response(status_code=304, headers=headers)
    if not body:  # an empty tile: 204, which MapLibre and Leaflet treat as "nothing to draw"
        return Response(status_code=204, headers=headers)
    return Response(body, media_type=TILE_MEDIA_TYPE, headers=headers)


@router.get("/sites.json", summary="TileJSON 3.0.0 of the sites tiles (public)")
async def sites_tilejson(
    request: Request,
    session: SessionDep,
    today: TodayDep,
    on: Annotated[
        dt.date | None, Query(description="tiles with each site's use on this date")
    ] = None,
) -> JSONResponse:
    check_date(on, today, loc=["query", "on"])
    bounds = await tile_queries.sites_bounds(session)
    query = f"?on={on.isoformat()}" if on else ""
    document: dict[str, Any] = {
        "tilejson": "3.0.0",
        "name": "meent sites",
        "description": "Urban commons sites, with their use on a date when `on` is given",
        "scheme": "xyz",
        "tiles": [f"{tiles_root(request)}/sites/{{z}}/{{x}}/{{y}}.mvt{query}"],
        "minzoom": 0,
        "maxzoom": tile_queries.MAX_ZOOM,
        "bounds": list(bounds or (-180, -WEB_MERCATOR_LATITUDE, 180, WEB_MERCATOR_LATITUDE)),
        "vector_layers": [
            {
                "id": tile_queries.LAYER,
                "description": "Sites (polygons; at low zoom those under one tile unit are left out)",
                "minzoom": 0,
                "maxzoom": tile_queries.MAX_ZOOM,
                "fields": tile_queries.FIELDS,
            },
        ],
    }
    return JSONResponse(document, headers={"Cache-Control": CACHE_CONTROL})
