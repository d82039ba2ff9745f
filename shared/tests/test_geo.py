"""GeoJSON area geometries: accepted when valid, refused with a reason otherwise."""

import time

import pytest

from meent_shared.geo import (
    AreaLimits,
    CheckedArea,
    GeometryError,
    RepairLimits,
    check_area,
    parse_area,
    repair_area,
)
from meent_shared.testing.tangles import bow_tie, circle, comb, star

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


# --- Work bounded by the limits: tangles are refused before GEOS works on them ----------------

FAST = 1.0  # seconds: each of these took GEOS from 2.5 s to minutes before it was bounded


def timed(check, *args, **kwargs):
    started = time.perf_counter()
    try:
        return check(*args, **kwargs), time.perf_counter() - started
    except GeometryError as refused:
        return refused, time.perf_counter() - started


@pytest.mark.parametrize("points", [101, 201, 301])
def test_a_star_is_refused_repair_at_once(points):
    # Before: make_valid took 5 s (101 points), 44 s (201) and 156 s (301), about n^3.4, and
    # made a geometry 250 times the size of the input.
    refused, took = timed(repair_area, star(points))
    assert isinstance(refused, GeometryError)
    assert refused.code == "too_complex_to_repair"
    assert "Self-intersection" in refused.msg and "cross in more than 200 places" in refused.msg
    assert took < FAST, f"{took:.2f} s"


def test_a_bow_tie_is_still_repaired_and_says_what_was_wrong():
    shape, problem = repair_area(bow_tie())
    assert shape.is_valid and len(shape.geoms) == 2
    assert problem is not None and "Self-intersection" in problem


def test_a_repair_is_refused_when_its_result_would_exceed_the_limits():
    # 21 points cross in 105 places (within the repair limit); made valid they are 105 triangles
    # and a middle, over 500 vertices: more than this area may hold.
    with pytest.raises(GeometryError) as refused:
        check_area(star(21), loc=["g"], limits=AreaLimits(vertices=300), repair=RepairLimits())
    assert refused.value.code == "too_complex_to_repair"
    assert "it would have" in refused.value.msg and "at most 300" in refused.value.msg


def test_a_repair_of_many_vertices_is_refused_before_make_valid():
    big_bow_tie = circle(20_000)
    ring = big_bow_tie["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]  # one crossing; make_valid's work grows with the vertices
    refused, took = timed(repair_area, big_bow_tie)
    assert isinstance(refused, GeometryError) and refused.code == "too_complex_to_repair"
    assert "at most 10000 vertices" in refused.msg
    assert took < FAST


@pytest.mark.parametrize(
    ("tangle", "before"),
    [
        (lambda: comb(10_000), "a valid comb of 40,000 vertices: 10 s"),
        (lambda: star(99_999), "6 s"),
    ],
)
def test_a_tangled_area_is_refused_before_the_validity_check(tangle, before):
    refused, took = timed(parse_area, tangle())
    assert isinstance(refused, GeometryError), before
    assert refused.code == "too_complex" and "Too tangled to check" in refused.msg
    assert took < FAST, f"{took:.2f} s (before: {before})"


def test_an_honest_area_of_the_largest_size_is_checked_quickly():
    area, took = timed(check_area, circle(99_999), loc=["g"])
    assert isinstance(area, CheckedArea) and area.vertices == 100_000
    assert took < FAST / 4, f"{took:.2f} s"


def test_too_many_rings_are_refused_before_reading_their_positions():
    # GEOS compares rings pairwise (is one inside another?): their number is bounded too.
    triangle = [[0.0, 0.0], [0.001, 0.0], [0.0, 0.001], [0.0, 0.0]]
    parts = [[[[x + i * 0.002, y] for x, y in triangle]] for i in range(1_001)]
    with pytest.raises(GeometryError) as refused:
        parse_area({"type": "MultiPolygon", "coordinates": parts})
    assert refused.value.code == "too_many_rings" and "more than 1000" in refused.value.msg


@pytest.mark.parametrize(
    ("crs", "words"),
    [
        ("x", "a crs that names none ('x'"),
        ({"type": "name"}, "a crs that names none"),
        ({"type": "name", "properties": {"name": 4326}}, "a crs that names none"),
    ],
)
def test_a_crs_without_a_name_is_refused_saying_so(crs, words):
    # Before: "got crs None", naming nothing the file holds.
    with pytest.raises(GeometryError) as refused:
        parse_area({"type": "Polygon", "coordinates": SQUARE, "crs": crs})
    assert refused.value.code == "unsupported_crs"
    assert words in refused.value.msg and "None" not in refused.value.msg
