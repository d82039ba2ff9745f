"""GeoJSON areas that cost GEOS time growing with the square of their vertices, for the tests
that show such work is refused before it starts (and honest ones of the same size, which are not)."""

import math
from typing import Any

# A small square's worth of Gdańsk: every shape fits in it.
CENTRE = (18.65, 54.35)
RADIUS = 0.01  # degrees, about a kilometre


def _polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def star(points: int) -> dict[str, Any]:
    """One ring joining `points` points of a circle, each to the one almost opposite: every edge
    crosses nearly every other (about points²/2 crossings). Invalid; repairing it is the knot."""
    step = points // 2
    return _polygon(
        [
            [
                round(CENTRE[0] + RADIUS * math.cos(2 * math.pi * i * step / points), 7),
                round(CENTRE[1] + RADIUS * math.sin(2 * math.pi * i * step / points), 7),
            ]
            for i in range(points)
        ]
    )


def circle(vertices: int, centre: tuple[float, float] = CENTRE) -> dict[str, Any]:
    """An honest round park: each edge's box meets only its neighbours'."""
    return _polygon(
        [
            [
                round(centre[0] + RADIUS * math.cos(2 * math.pi * i / vertices), 7),
                round(centre[1] + RADIUS * math.sin(2 * math.pi * i / vertices), 7),
            ]
            for i in range(vertices)
        ]
    )


def comb(teeth: int) -> dict[str, Any]:
    """A valid ring of `teeth` parallel diagonal teeth, side by side: no edges cross, but every
    tooth's edges lie across every other's bounding box (4 vertices a tooth)."""
    width = RADIUS / (2 * teeth)
    x0, y0 = CENTRE
    ring = []
    for tooth in range(teeth):
        x = x0 + tooth * width
        ring += [[x, y0], [x + RADIUS, y0 + RADIUS], [x + RADIUS + width / 2, y0 + RADIUS]]
        ring += [[x + width / 2, y0]]
    ring += [[x0 + teeth * width, y0 - RADIUS / 10], [x0, y0 - RADIUS / 10]]
    return _polygon(ring)


def bow_tie() -> dict[str, Any]:
    """The honest slip repair is for: a square with two corners swapped (one crossing)."""
    x, y = CENTRE
    return _polygon([[x, y], [x + RADIUS, y + RADIUS], [x + RADIUS, y], [x, y + RADIUS]])
