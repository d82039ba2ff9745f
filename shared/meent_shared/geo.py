"""GeoJSON (RFC 7946) at the boundary: area geometries in, checked and explained, out as GeoJSON.

Storage is SRID 4326; every refusal names the problem, so a citizen or a GIS team can fix the data.
"""

import itertools
import math
from typing import Any

from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity

from meent_shared.errors import InvalidInput

WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
}
AREA_TYPES = ("Polygon", "MultiPolygon")
DEFAULT_MAX_VERTICES = 100_000
# Points closer than this (in degrees, about a centimetre) to each other's antipode count as antipodal.
ANTIPODAL_DEGREES = 1e-7


class GeometryError(InvalidInput):
    code = "invalid_geometry"


def check_crs(crs: Any, loc: list[str | int]) -> None:
    """RFC 7946 dropped `crs`; old files still carry it. Accept only a WGS84 one."""
    if crs is None:
        return
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if name not in WGS84_CRS_NAMES:
        raise GeometryError(
            f"Coordinates must be WGS84 longitude/latitude (RFC 7946); got crs {name!r}",
            code="unsupported_crs",
            loc=loc,
        )


def _check_position(position: Any, loc: list[str | int]) -> None:
    ok = (
        isinstance(position, list | tuple)
        and len(position) in (2, 3)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in position)
        and all(math.isfinite(v) for v in position)
    )
    if not ok:
        raise GeometryError(f"Not a position [lon, lat]: {str(position)[:60]}", loc=loc)
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            f"Coordinate out of range: [{lon}, {lat}] (longitude -180..180, latitude -90..90)",
            code="coordinates_out_of_range",
            loc=loc,
        )


def _check_edges(ring: Any, loc: list[str | int]) -> None:
    """On the sphere (PostGIS's geography, which measures the areas) an edge between antipodal
    points has no one way round, and PostGIS fails on it: refuse it, naming the edge."""
    for start, end in itertools.pairwise(ring):
        opposite_latitudes = abs(start[1] + end[1]) < ANTIPODAL_DEGREES
        at_a_pole = abs(start[1]) > 90 - ANTIPODAL_DEGREES
        half_way_round = abs(abs(start[0] - end[0]) - 180) < ANTIPODAL_DEGREES
        if opposite_latitudes and (at_a_pole or half_way_round):
            raise GeometryError(
                f"The edge from {list(start[:2])} to {list(end[:2])} joins opposite points of "
                "the globe, so it has no one way round: add a vertex between them",
                code="antipodal_edge",
                loc=loc,
            )


def _check_rings(polygon: Any, loc: list[str | int]) -> int:
    """Check one polygon's rings; return its vertex count."""
    if not isinstance(polygon, list | tuple) or not polygon:
        raise GeometryError("A polygon needs at least one ring", loc=loc)
    vertices = 0
    for index, ring in enumerate(polygon):
        if not isinstance(ring, list | tuple) or len(ring) < 4:
            raise GeometryError(
                f"Ring {index} needs at least 4 positions (closed: the last repeats the first)",
                code="invalid_ring",
                loc=loc,
            )
        for position in ring:
            _check_position(position, loc)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise GeometryError(
                f"Ring {index} is not closed: it starts at {ring[0]} and ends at {ring[-1]}",
                code="unclosed_ring",
                loc=loc,
            )
        _check_edges(ring, loc)
        vertices += len(ring)
    return vertices


def _flat_shape(kind: str, polygons: Any) -> Polygon | MultiPolygon:
    """The shapely geometry of checked polygons, in two dimensions: positions may mix [lon, lat]
    and [lon, lat, height], which shapely cannot read in one geometry."""
    flat = [[[position[:2] for position in ring] for ring in polygon] for polygon in polygons]
    if kind == "Polygon":
        return shape({"type": "Polygon", "coordinates": flat[0]})
    return shape({"type": "MultiPolygon", "coordinates": flat})


def _area_shape(geometry: Any, loc: list[str | int], max_vertices: int) -> Polygon | MultiPolygon:
    """A GeoJSON area as shapely reads it, every part of its structure checked (not its validity)."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryError("Geometry must be a GeoJSON object with a type", loc=loc)
    check_crs(geometry.get("crs"), loc)
    kind = geometry["type"]
    if kind not in AREA_TYPES:
        raise GeometryError(
            f"Geometry must be a Polygon or MultiPolygon, not {str(kind)[:40]}",
            code="not_an_area",
            loc=loc,
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list | tuple) or not polygons:
        raise GeometryError(f"A {kind} needs coordinates", loc=loc)
    vertices = 0
    for polygon in polygons:
        vertices += _check_rings(polygon, loc)
        if vertices > max_vertices:
            raise GeometryError(
                f"Too many vertices: more than {max_vertices}; simplify the geometry",
                code="too_many_vertices",
                loc=loc,
            )
    return _flat_shape(kind, polygons)


def _as_multipolygon(area: Polygon | MultiPolygon) -> MultiPolygon:
    return MultiPolygon([area]) if isinstance(area, Polygon) else area


def parse_area(
    geometry: Any,
    *,
    loc: list[str | int] | None = None,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> MultiPolygon:
    """A GeoJSON Polygon or MultiPolygon as a valid 2D MultiPolygon (a Polygon is promoted)."""
    loc = loc or ["body", "geometry"]
    parsed = _area_shape(geometry, loc, max_vertices)
    if not parsed.is_valid:
        raise GeometryError(f"Invalid geometry: {explain_validity(parsed)}", loc=loc)
    return _as_multipolygon(parsed)


def repair_area(
    geometry: Any, *, loc: list[str | int] | None = None, max_vertices: int = DEFAULT_MAX_VERTICES
) -> tuple[MultiPolygon, str | None]:
    """Like `parse_area`, but an invalid area (a self-intersecting ring) is made valid with
    `make_valid`, keeping its polygonal parts. Returns the area and what was wrong, if anything.
    Only for callers that report the repair (bulk imports that ask for it), never silently.
    A geometry that is not even an area's structure is refused as `parse_area` refuses it."""
    loc = loc or ["body", "geometry"]
    parsed = _area_shape(geometry, loc, max_vertices)
    if parsed.is_valid:
        return _as_multipolygon(parsed), None
    problem = explain_validity(parsed)
    repaired = make_valid(parsed)
    parts = [
        g for g in getattr(repaired, "geoms", [repaired]) if isinstance(g, Polygon | MultiPolygon)
    ]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    if not polygons:
        raise GeometryError(
            f"Invalid geometry, and no area is left after repair: {problem}", loc=loc
        )
    return MultiPolygon(polygons), problem


def to_geojson(geometry: Any) -> dict[str, Any]:
    return mapping(geometry)
