"""The bbox query parameter, as OGC API and GeoJSON clients send it."""

from meent_shared.errors import InvalidInput

WORLD = (-180.0, -90.0, 180.0, 90.0)


def parse_bbox(bbox: str | None, loc: str = "bbox") -> tuple[float, float, float, float]:
    if bbox is None:
        return WORLD
    try:
        values = tuple(float(v) for v in bbox.split(","))
    except ValueError:
        values = ()
    if (
        len(values) != 4
        or values[0] > values[2]
        or values[1] > values[3]
        or not all(-180 <= v <= 180 for v in values[::2])
        or not all(-90 <= v <= 90 for v in values[1::2])
    ):
        raise InvalidInput(
            "bbox must be minLon,minLat,maxLon,maxLat in WGS84",
            code="invalid_bbox",
            loc=["query", loc],
        )
    return values[0], values[1], values[2], values[3]
