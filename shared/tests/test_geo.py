"""GeoJSON area geometries: accepted when valid, refused with a reason otherwise."""

import pytest

from meent_shared.geo import GeometryError, parse_area

SQUARE = [
    [
        [18.6466, 54.3507],
        [18.6490, 54.3507],
        [18.6490, 54.3520],
        [18.6466, 54.3520],
        [18.6466, 54.3507],
    ]
]


def test_a_polygon_is_promoted_to_a_multipolygon():
    area = parse_area({"type": "Polygon", "coordinates": SQUARE})
    assert area.geom_type == "MultiPolygon"
    assert len(area.geoms) == 1


def test_third_coordinates_are_dropped():
    ring = [[x, y, 12.0] for x, y in SQUARE[0]]
    assert not parse_area({"type": "Polygon", "coordinates": [ring]}).has_z


@pytest.mark.parametrize(
    ("geometry", "code", "words"),
    [
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "not_an_area", "LineString"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            "unclosed_ring",
            "not closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "invalid_geometry",
            "Self-intersection",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]},
            "coordinates_out_of_range",
            "out of range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
            "invalid_ring",
            "at least 4",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, "a"], [1, 0], [1, 1], [0, 0]]]},
            "invalid_geometry",
            "position",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": SQUARE,
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
            },
            "unsupported_crs",
            "28992",
        ),
        ({"coordinates": SQUARE}, "invalid_geometry", "type"),
    ],
)
def test_bad_geometry_is_refused_with_its_reason(geometry, code, words):
    with pytest.raises(GeometryError) as refused:
        parse_area(geometry)
    assert refused.value.code == code
    assert words in refused.value.msg


def test_a_wgs84_crs_member_is_accepted():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert parse_area({"type": "Polygon", "coordinates": SQUARE, "crs": crs}).is_valid


def test_too_many_vertices_are_refused_before_any_geometry_work():
    ring = [[0.0, 0.0], *[[i / 1e6, 1.0] for i in range(200)], [1.0, 0.0], [0.0, 0.0]]
    with pytest.raises(GeometryError) as refused:
        parse_area({"type": "Polygon", "coordinates": [ring]}, max_vertices=100)
    assert refused.value.code == "too_many_vertices"
