"""GeoJSON (RFC 7946) at the boundary: area geometries in, checked and explained, out as GeoJSON.

Storage is SRID 4326; every refusal names the problem, so a citizen or a GIS team can fix the data.
Checking an area takes time bounded by its size and `AreaLimits`: structure and positions are read
in one pass, and GEOS sees an area only once its edges are known not to be tangled (`edge_pairs`).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.validation import explain_validity

from meent_shared.edge_pairs import Edges, close_pairs, count_close_pairs, count_crossings, edges_of
from meent_shared.geo_positions import GeometryError, check_crs, ring_array

__all__ = [
    "AreaLimits",
    "CheckedArea",
    "GeometryError",
    "RepairLimits",
    "check_area",
    "check_crs",
    "parse_area",
    "repair_area",
    "to_geojson",
]

AREA_TYPES = ("Polygon", "MultiPolygon")
DEFAULT_MAX_VERTICES = 100_000


@dataclass(frozen=True)
class AreaLimits:
    """What one area may hold. Checking it costs time linear in `vertices`, plus GEOS's work on
    the pairs of nearby edges; many rings are compared pairwise too (a part inside another?)."""

    vertices: int = DEFAULT_MAX_VERTICES
    rings: int = 1_000  # outer and inner rings together
    close_edge_pairs: int = 1_000_000  # pairs of edges (not neighbours) whose boxes meet


@dataclass(frozen=True)
class RepairLimits:
    """What `make_valid` is asked to repair: its work grows faster than the number of places where
    edges cross (a 2,000-crossing knot took a second), so real slips — a bow tie, a small loop —
    are repaired, and a knot is refused."""

    vertices: int = 10_000
    close_edge_pairs: int = 100_000
    crossings: int = 200


@dataclass(frozen=True)
class CheckedArea:
    """A valid area, what it cost to check, and (if it was repaired) what was wrong with it."""

    shape: MultiPolygon
    vertices: int
    close_edge_pairs: int
    repaired: str | None = None
    crossings: int = 0


def parse_area(
    geometry: Any,
    *,
    loc: list[str | int] | None = None,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> MultiPolygon:
    """A GeoJSON Polygon or MultiPolygon as a valid 2D MultiPolygon (a Polygon is promoted)."""
    limits = AreaLimits(vertices=max_vertices)
    return check_area(geometry, loc=loc or ["body", "geometry"], limits=limits).shape


def repair_area(
    geometry: Any, *, loc: list[str | int] | None = None, max_vertices: int = DEFAULT_MAX_VERTICES
) -> tuple[MultiPolygon, str | None]:
    """Like `parse_area`, but an invalid area (a self-intersecting ring) is made valid with
    `make_valid`, keeping its polygonal parts. Returns the area and what was wrong, if anything."""
    limits = AreaLimits(vertices=max_vertices)
    area = check_area(
        geometry, loc=loc or ["body", "geometry"], limits=limits, repair=RepairLimits()
    )
    return area.shape, area.repaired


def check_area(
    geometry: Any,
    *,
    loc: list[str | int],
    limits: AreaLimits = AreaLimits(),
    repair: RepairLimits | None = None,
) -> CheckedArea:
    """The valid area a GeoJSON Polygon or MultiPolygon describes, or a `GeometryError` naming
    why not. With `repair`, an invalid one within those limits is made valid instead (only for
    callers that report the repair, such as bulk imports that ask for it; never silently)."""
    parsed, vertices = _area_shape(geometry, loc, limits)
    edges = edges_of(parsed)
    pairs = count_close_pairs(edges, limits.close_edge_pairs)
    if pairs > limits.close_edge_pairs:
        raise GeometryError(
            f"Too tangled to check: more than {limits.close_edge_pairs} pairs of edges lie across "
            "each other's bounding boxes (a real boundary has a few per vertex); simplify it",
            code="too_complex",
            loc=loc,
        )
    if parsed.is_valid:
        return CheckedArea(MultiPolygon(shapely.get_parts(parsed)), vertices, pairs)
    problem = explain_validity(parsed)
    if repair is None:
        raise GeometryError(f"Invalid geometry: {problem}", loc=loc)
    crossings = _crossings_to_repair(edges, vertices, problem, loc, repair)
    return _repaired(parsed, problem, pairs, crossings, loc=loc, limits=limits)


def _repaired(
    parsed: Polygon | MultiPolygon,
    problem: str,
    pairs: int,
    crossings: int,
    *,
    loc: list[str | int],
    limits: AreaLimits,
) -> CheckedArea:
    """`make_valid`'s polygons, once its work is known to be small; refused if they exceed what an
    area may hold (the knot of a star becomes thousands of parts)."""
    polygons = [
        p
        for part in shapely.get_parts(make_valid(parsed))
        for p in shapely.get_parts(part)
        if isinstance(p, Polygon)
    ]
    if not polygons:
        raise GeometryError(
            f"Invalid geometry, and no area is left after repair: {problem}", loc=loc
        )
    shape = MultiPolygon(polygons)
    made = int(shapely.get_num_coordinates(shape))
    rings = sum(1 + len(p.interiors) for p in polygons)
    if made > limits.vertices or rings > limits.rings:
        raise _too_complex_to_repair(
            f"repaired, it would have {made} vertices in {rings} rings "
            f"(at most {limits.vertices} in {limits.rings})",
            problem,
            loc,
        )
    return CheckedArea(shape, made, pairs, repaired=problem, crossings=crossings)


def _crossings_to_repair(
    edges: Edges,
    vertices: int,
    problem: str,
    loc: list[str | int],
    repair: RepairLimits,
) -> int:
    """Where the area's edges cross or touch, counted before `make_valid` starts."""
    if vertices > repair.vertices:
        raise _too_complex_to_repair(
            f"repair takes at most {repair.vertices} vertices", problem, loc
        )
    pairs = close_pairs(edges, repair.close_edge_pairs)
    crossings = repair.crossings + 1 if pairs is None else count_crossings(edges, pairs)
    if crossings > repair.crossings:
        raise _too_complex_to_repair(
            f"its edges cross in more than {repair.crossings} places", problem, loc
        )
    return crossings


def _too_complex_to_repair(why: str, problem: str, loc: list[str | int]) -> GeometryError:
    return GeometryError(
        f"Invalid geometry ({problem}), and too complex to repair: {why}; fix it in a GIS tool",
        code="too_complex_to_repair",
        loc=loc,
    )


def _area_shape(
    geometry: Any, loc: list[str | int], limits: AreaLimits
) -> tuple[Polygon | MultiPolygon, int]:
    """A GeoJSON area as shapely reads it, every part of its structure checked (not its validity),
    and its number of vertices."""
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
    _check_size(polygons, loc, limits)
    arrays = [_polygon_arrays(polygon, loc) for polygon in polygons]
    parts = [shapely.polygons(rings[0], holes=rings[1:] or None) for rings in arrays]
    vertices = sum(len(ring) for rings in arrays for ring in rings)
    return (parts[0] if kind == "Polygon" else MultiPolygon(parts)), vertices


def _check_size(
    polygons: list[Any] | tuple[Any, ...], loc: list[str | int], limits: AreaLimits
) -> None:
    """Refuse an area above the limits before reading any of its positions."""
    rings = vertices = 0
    for polygon in polygons:
        if not isinstance(polygon, list | tuple) or not polygon:
            raise GeometryError("A polygon needs at least one ring", loc=loc)
        rings += len(polygon)
        vertices += sum(len(ring) if isinstance(ring, list | tuple) else 0 for ring in polygon)
        if rings > limits.rings:
            raise GeometryError(
                f"Too many rings: more than {limits.rings} (parts and holes); simplify the "
                "geometry or split it into several sites",
                code="too_many_rings",
                loc=loc,
            )
        if vertices > limits.vertices:
            raise GeometryError(
                f"Too many vertices: more than {limits.vertices}; simplify the geometry",
                code="too_many_vertices",
                loc=loc,
            )


def _polygon_arrays(polygon: list[Any], loc: list[str | int]) -> list[NDArray[np.float64]]:
    return [ring_array(ring, index, loc) for index, ring in enumerate(polygon)]


def to_geojson(geometry: Any) -> dict[str, Any]:
    return mapping(geometry)
