"""How much work checking an area is, known before GEOS does it.

GEOS checks an area's validity (and `make_valid` repairs one) by comparing the edges whose bounding
boxes meet. A real boundary has a few such pairs per edge; a ring drawn as a star or a comb makes
nearly every pair meet, and the work grows with the square of the vertices: GEOS took over a minute
to find a 100,000-vertex comb valid, and 156 s to repair a 301-point star. So the pairs are counted
first, in time bounded by the number of edges and the limit, and an area with too many of them is
refused before GEOS sees it.
"""

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

# One index query returns at most about this many pairs (its edges' bounds add up to it), so that
# counting stops soon after the limit however the edges are spread.
_PAIRS_PER_QUERY = 1 << 16
_EDGES_PER_QUERY = 4096

Indices = NDArray[np.intp]


@dataclass(frozen=True)
class Edges:
    """An area's edges, zero-length ones left out, each with the first and last edge of its ring
    (an edge always meets its two neighbours: only other pairs count)."""

    starts: NDArray[np.float64]
    ends: NDArray[np.float64]
    ring_first: Indices
    ring_last: Indices

    def __len__(self) -> int:
        return len(self.starts)


def edges_of(area: BaseGeometry) -> Edges:
    rings = shapely.get_rings(shapely.get_parts(area))
    coordinates, ring_of = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_of[1:] == ring_of[:-1]
    starts, ends = coordinates[:-1][same_ring], coordinates[1:][same_ring]
    ring_of = ring_of[:-1][same_ring]
    moves = np.any(starts != ends, axis=1)
    starts, ends, ring_of = starts[moves], ends[moves], ring_of[moves]
    first = np.searchsorted(ring_of, ring_of, side="left")
    last = np.searchsorted(ring_of, ring_of, side="right") - 1
    return Edges(starts, ends, first, last)


def pair_bounds(edges: Edges) -> Indices:
    """For each edge, at most how many edges other than itself and its neighbours its box meets.

    Two boxes meet only if their spans meet on both axes; the spans an edge's span meets on one
    axis are counted by sorting, so the bound costs O(n log n) whatever the shape."""
    low, high = np.minimum(edges.starts, edges.ends), np.maximum(edges.starts, edges.ends)
    met = np.full(len(edges), len(edges), dtype=np.intp)
    for axis in (0, 1):
        lows, highs = np.sort(low[:, axis]), np.sort(high[:, axis])
        meeting = np.searchsorted(lows, high[:, axis], side="right") - np.searchsorted(
            highs, low[:, axis], side="left"
        )
        met = np.minimum(met, meeting)
    neighbours = np.minimum(2, edges.ring_last - edges.ring_first)
    return np.maximum(met - 1 - neighbours, 0)


def count_close_pairs(edges: Edges, limit: int) -> int:
    """How many pairs of edges (not neighbours) have boxes that meet, or a bound on it; above
    `limit` the count stops, returning some number above it."""
    bounds = pair_bounds(edges)
    bound = int(bounds.sum()) // 2
    if bound <= limit:
        return bound
    found = close_pairs(edges, limit, bounds)
    return limit + 1 if found is None else len(found[0])


def close_pairs(
    edges: Edges, limit: int, bounds: Indices | None = None
) -> tuple[Indices, Indices] | None:
    """The pairs (i < j) of edges, not neighbours, whose boxes meet; None if there are more than
    `limit`. Each query's edges are chosen so that it returns about `_PAIRS_PER_QUERY` at most."""
    bounds = pair_bounds(edges) if bounds is None else bounds
    low, high = np.minimum(edges.starts, edges.ends), np.maximum(edges.starts, edges.ends)
    boxes = shapely.box(low[:, 0], low[:, 1], high[:, 0], high[:, 1])
    tree, reach = STRtree(boxes), np.cumsum(bounds)
    found: list[tuple[Indices, Indices]] = []
    count, start = 0, 0
    while start < len(edges) and count <= limit:
        enough = (reach[start - 1] if start else 0) + _PAIRS_PER_QUERY
        end = int(np.searchsorted(reach, enough, side="right"))
        end = min(max(end, start + 1), start + _EDGES_PER_QUERY)
        queried, met = tree.query(boxes[start:end])
        pair = _distant_pairs(edges, queried + start, met)
        found.append(pair)
        count += len(pair[0])
        start = end
    if count > limit:
        return None
    return np.concatenate([i for i, _ in found]), np.concatenate([j for _, j in found])


def _distant_pairs(edges: Edges, queried: Indices, met: Indices) -> tuple[Indices, Indices]:
    """Of the pairs a query found, each once (i < j), and not an edge with its neighbour."""
    keep = met > queried
    i, j = queried[keep], met[keep]
    first, last = edges.ring_first[i], edges.ring_last[i]
    neighbours = (j == i + 1) | ((i == first) & (j == last))
    return i[~neighbours], j[~neighbours]


def count_crossings(edges: Edges, pairs: tuple[Indices, Indices]) -> int:
    """How many of the pairs of edges touch or cross (each pair tested exactly, by GEOS)."""
    i, j = pairs
    if not len(i):
        return 0
    lines = shapely.linestrings(np.stack([edges.starts, edges.ends], axis=1))
    return int(np.count_nonzero(shapely.intersects(lines[i], lines[j])))
