"""Bad geometry sent to commons: a clear 4xx naming the problem, and nothing stored."""

import json

import pytest

from meent_shared.testing.helpers import sql_value


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


def polygon(ring, **extra):
    return {"type": "Polygon", "coordinates": [ring], **extra}


SQUARE = [
    [18.6466, 54.3507],
    [18.649, 54.3507],
    [18.649, 54.352],
    [18.6466, 54.352],
    [18.6466, 54.3507],
]


@pytest.mark.parametrize(
    ("geometry", "code", "words"),
    [
        (
            polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]),
            "invalid_geometry",
            "Self-intersection",
        ),
        (polygon(SQUARE[:-1]), "unclosed_ring", "not closed"),
        (
            polygon([[18.6, 54.3], [218.6, 54.3], [218.6, 154.3], [18.6, 54.3]]),
            "coordinates_out_of_range",
            "out of range",
        ),
        (
            polygon(
                SQUARE, crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
            ),
            "unsupported_crs",
            "EPSG::28992",
        ),
        ({"type": "LineString", "coordinates": SQUARE}, "not_an_area", "LineString"),
        ({"type": "Point", "coordinates": [18.6, 54.3]}, "not_an_area", "Point"),
    ],
)
async def test_bad_geometry_is_refused_by_name(commons, auth_header, geometry, code, words):
    answer = await commons.client.post(
        "/sites",
        json={"name": "Bad", "kind": "square", "geometry": geometry},
        headers=auth_header("marek", ["maintenance"]),
    )
    assert answer.status_code == 422, answer.text
    [item] = answer.json()["detail"]
    assert item["type"] == code
    assert words in item["msg"]
    assert item["loc"] == ["body", "geometry"]
    assert sql_value(commons.database_url, "SELECT count(*) FROM site") == 0
    assert sql_value(commons.database_url, "SELECT count(*) FROM outbox") == 0


async def test_ten_megabytes_of_vertices_are_refused(commons, auth_header):
    # A circle of ~450,000 vertices: about 10 MB of JSON, far over the vertex limit.
    import math

    steps = 450_000
    ring = [
        [
            round(18.6 + 0.01 * math.cos(2 * math.pi * i / steps), 7),
            round(54.3 + 0.01 * math.sin(2 * math.pi * i / steps), 7),
        ]
        for i in range(steps)
    ]
    ring.append(ring[0])
    body = json.dumps({"name": "Huge", "kind": "park", "geometry": polygon(ring)}).encode()
    assert len(body) > 10_000_000
    answer = await commons.client.post(
        "/sites",
        content=body,
        headers={**auth_header("marek", ["maintenance"]), "Content-Type": "application/json"},
    )
    assert answer.status_code in (413, 422), answer.text
    assert answer.json()["detail"][0]["type"] in ("too_many_vertices", "payload_too_large")
    assert sql_value(commons.database_url, "SELECT count(*) FROM site") == 0
