"""Sites on real PostGIS: stored as MultiPolygons, measured on the spheroid, found by bbox."""

import json
from pathlib import Path

import pytest
from pyproj import Geod

from meent_shared.testing.helpers import sql_value

DATA = Path(__file__).parents[3] / "tests" / "data"
COAL_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.6490, 54.3507],
            [18.6490, 54.3520],
            [18.6466, 54.3520],
            [18.6466, 54.3507],
        ]
    ],
}


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def editor(auth_header):
    return auth_header("marek", ["maintenance"])


def geodesic_area(geometry: dict) -> float:
    geod = Geod(ellps="WGS84")
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    total = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            lons, lats = zip(*[(p[0], p[1]) for p in ring], strict=True)
            area = abs(geod.polygon_area_perimeter(lons, lats)[0])
            total += area if index == 0 else -area
    return total


async def test_a_polygon_is_stored_as_a_multipolygon_with_its_geodesic_area(commons, editor):
    answer = await commons.client.post(
        "/sites",
        json={
            "name": "Plac Węglowy",
            "kind": "square",
            "timezone": "Europe/Warsaw",
            "geometry": COAL_SQUARE,
        },
        headers=editor,
    )
    assert answer.status_code == 201, answer.text
    feature = answer.json()
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["area_m2"] == pytest.approx(geodesic_area(COAL_SQUARE), rel=0.005)
    stored = sql_value(
        commons.database_url, "SELECT ST_GeometryType(geom) || ST_SRID(geom) FROM site"
    )
    assert stored == "ST_MultiPolygon4326"


@pytest.mark.parametrize("name", ["grand-rapids-parks-2020", "utrecht-buurten"])
async def test_real_areas_match_an_independent_computation(commons, editor, name):
    """Every polygon of the real files, against pyproj's geodesic area on WGS84, within 0.5 %."""
    features = json.loads((DATA / f"{name}.geojson").read_text())["features"]
    parks = [f for f in features if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert len(parks) > 80
    for index, park in enumerate(parks):
        answer = await commons.client.post(
            "/sites",
            json={
                "name": str(park["properties"].get("name") or park.get("id") or index),
                "kind": "park",
                "geometry": park["geometry"],
            },
            headers=editor,
        )
        assert answer.status_code == 201, answer.text
        area = answer.json()["properties"]["area_m2"]
        assert area == pytest.approx(geodesic_area(park["geometry"]), rel=0.005), index


async def test_sites_are_found_by_bbox(commons, editor):
    await commons.client.post(
        "/sites",
        json={"name": "Coal Square", "kind": "square", "geometry": COAL_SQUARE},
        headers=editor,
    )
    gdansk = await commons.client.get("/sites", params={"bbox": "18.6,54.3,18.7,54.4"})
    assert [f["properties"]["name"] for f in gdansk.json()["features"]] == ["Coal Square"]
    utrecht = await commons.client.get("/sites", params={"bbox": "5.0,52.0,5.2,52.1"})
    assert utrecht.json()["features"] == []
    reversed_box = await commons.client.get("/sites", params={"bbox": "18.7,54.3,18.6,54.4"})
    assert reversed_box.status_code == 422


async def test_invalid_geometry_is_refused_with_its_reason_and_nothing_stored(commons, editor):
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    answer = await commons.client.post(
        "/sites", json={"name": "Bow tie", "kind": "square", "geometry": bow_tie}, headers=editor
    )
    assert answer.status_code == 422
    [item] = answer.json()["detail"]
    assert item["type"] == "invalid_geometry"
    assert "Self-intersection" in item["msg"]
    assert sql_value(commons.database_url, "SELECT count(*) FROM site") == 0


async def test_an_unknown_time_zone_is_refused(commons, editor):
    answer = await commons.client.post(
        "/sites",
        json={
            "name": "X",
            "kind": "square",
            "timezone": "Europe/Atlantis",
            "geometry": COAL_SQUARE,
        },
        headers=editor,
    )
    assert answer.status_code == 422
    assert "Europe/Atlantis" in answer.json()["detail"][0]["msg"]


async def test_an_external_id_is_unique(commons, editor):
    body = {"name": "Oxford Park", "kind": "park", "geometry": COAL_SQUARE, "external_id": "way/1"}
    assert (await commons.client.post("/sites", json=body, headers=editor)).status_code == 201
    again = await commons.client.post("/sites", json=body, headers=editor)
    assert again.status_code == 409
    assert again.json()["detail"][0]["type"] == "external_id_taken"


async def test_citizens_cannot_add_sites(commons, auth_header):
    answer = await commons.client.post(
        "/sites",
        json={"name": "Mine", "kind": "garden", "geometry": COAL_SQUARE},
        headers=auth_header("someone"),
    )
    assert answer.status_code == 403


async def test_a_kind_must_be_a_lower_case_word(commons, editor):
    answer = await commons.client.post(
        "/sites", json={"name": "X", "kind": "Big Square!", "geometry": COAL_SQUARE}, headers=editor
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "kind"]
