"""The positions of a GeoJSON area, checked as they are read: a ring becomes an array of
[lon, lat] in one pass, and a bad position is named with what is wrong with it."""

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from meent_shared.errors import InvalidInput

WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
}
# Points closer than this (in degrees, about a centimetre) to each other's antipode count as antipodal.
ANTIPODAL_DEGREES = 1e-7


class GeometryError(InvalidInput):
    code = "invalid_geometry"


def _error(msg: str, loc: list[str | int], code: str = "invalid_geometry") -> GeometryError:
    return GeometryError(msg, code=code, loc=loc)


def check_crs(crs: Any, loc: list[str | int]) -> None:
    """RFC 7946 dropped `crs`; old files still carry it. Accept only a WGS84 one, given as
    GeoJSON 2008 named it: {"type": "name", "properties": {"name": ...}}."""
    if crs is None:
        return
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if isinstance(name, str) and name in WGS84_CRS_NAMES:
        return
    if isinstance(name, str):
        found = f"crs {name[:80]!r}"
    else:
        found = f"a crs that names none ({str(crs)[:60]!r}; GeoJSON 2008 wrote "
        found += '{"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}})'
    raise _error(
        f"Coordinates must be WGS84 longitude/latitude (RFC 7946); got {found}",
        loc,
        "unsupported_crs",
    )


_NUMBERS = frozenset({int, float})  # not bool: true and false are no numbers


def _is_position(position: Any) -> bool:
    """[lon, lat] or [lon, lat, height], numbers only (a loop of type checks: no generator, as
    this runs for every vertex)."""
    if type(position) is not list and type(position) is not tuple:
        return False
    if len(position) == 2:
        return type(position[0]) in _NUMBERS and type(position[1]) in _NUMBERS
    if len(position) == 3:
        x, y, height = position
        return type(x) in _NUMBERS and type(y) in _NUMBERS and type(height) in _NUMBERS
    return False


def check_position(position: Any, loc: list[str | int]) -> None:
    """Raise the reason a position is refused (it is known to be bad)."""
    if not _is_position(position) or not all(math.isfinite(v) for v in position):
        raise _error(f"Not a position [lon, lat]: {str(position)[:60]}", loc)
    lon, lat = position[0], position[1]
    raise _error(
        f"Coordinate out of range: [{lon}, {lat}] (longitude -180..180, latitude -90..90)",
        loc,
        "coordinates_out_of_range",
    )


def _positions(ring: list[Any] | tuple[Any, ...]) -> NDArray[np.float64]:
    """The ring's positions as rows (with heights if all have one), at C speed when they are
    alike; positions with and without a height are cut to [lon, lat] first."""
    try:
        return np.array(ring, dtype=np.float64)
    except ValueError:  # some with a height, some without
        return np.array([position[:2] for position in ring], dtype=np.float64)


def ring_array(ring: Any, index: int, loc: list[str | int]) -> NDArray[np.float64]:
    """A ring's [lon, lat] positions (heights dropped), checked: numbers in range, at least four,
    closed, and no edge between antipodes."""
    if not isinstance(ring, list | tuple) or len(ring) < 4:
        raise _error(
            f"Ring {index} needs at least 4 positions (closed: the last repeats the first)",
            loc,
            "invalid_ring",
        )
    for position in ring:
        if not _is_position(position):
            check_position(position, loc)
    array = _positions(ring)
    good = np.isfinite(array).all(axis=1)
    good &= (np.abs(array[:, 0]) <= 180) & (np.abs(array[:, 1]) <= 90)
    if not good.all():
        check_position(ring[int(np.argmin(good))], loc)
    array = np.ascontiguousarray(array[:, :2])
    if not (array[0] == array[-1]).all():
        raise _error(
            f"Ring {index} is not closed: it starts at {ring[0]} and ends at {ring[-1]}",
            loc,
            "unclosed_ring",
        )
    _check_edges(array, loc)
    return array


def _check_edges(ring: NDArray[np.float64], loc: list[str | int]) -> None:
    """On the sphere (PostGIS's geography, which measures the areas) an edge between antipodal
    points has no one way round, and PostGIS fails on it: refuse it, naming the edge."""
    start, end = ring[:-1], ring[1:]
    opposite_latitudes = np.abs(start[:, 1] + end[:, 1]) < ANTIPODAL_DEGREES
    at_a_pole = np.abs(start[:, 1]) > 90 - ANTIPODAL_DEGREES
    half_way_round = np.abs(np.abs(start[:, 0] - end[:, 0]) - 180) < ANTIPODAL_DEGREES
    antipodal = opposite_latitudes & (at_a_pole | half_way_round)
    if antipodal.any():
        at = int(np.argmax(antipodal))
        raise _error(
            f"The edge from {start[at].tolist()} to {end[at].tolist()} joins opposite points of "
            "the globe, so it has no one way round: add a vertex between them",
            loc,
            "antipodal_edge",
        )


def positions_over(features: list[Any], limit: int) -> bool:
    """Whether a file's (Multi)Polygon features hold more than `limit` positions in all,
    counted before any is read (and stopping once past it): an import refuses such a file."""
    total = 0
    for feature in features:
        total += _positions_in(feature)
        if total > limit:
            return True
    return False


def _positions_in(feature: Any) -> int:
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
        return 0
    coordinates = geometry["coordinates"]
    polygons = coordinates if geometry.get("type") == "MultiPolygon" else [coordinates]
    return sum(
        len(ring)
        for polygon in polygons
        if isinstance(polygon, list)
        for ring in polygon
        if isinstance(ring, list)
    )
