"""Vector tiles of sites on real PostGIS: the right sites in the right tile, in the right place, with
their use on a date; bad tile addresses refused; TileJSON with absolute URLs; the GiST index used."""

import datetime as dt
import math

import mapbox_vector_tile
import psycopg
import pytest
from sqlalchemy import event

from commons.tiles import queries as tile_queries
from meent_shared.testing.helpers import sql_value

TILE_TYPE = "application/vnd.mapbox-vector-tile"
COAL_SQUARE = (18.6466, 54.3507, 18.6490, 54.3520)  # west, south, east, north
NEIGHBOUR_GARDEN = (18.6400, 54.3500, 18.6420, 54.3510)  # the same z14 tile
NEXT_TILE_VERGE = (18.6600, 54.3500, 18.6620, 54.3510)  # the z14 tile to the east
UTRECHT_PARK = (5.1200, 52.0900, 5.1250, 52.0930)
THIS_YEAR = dt.date.today().year


def box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map tile holding a point (OpenStreetMap's formula)."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def tile_edges(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """West, south, east, north of a tile in degrees."""

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / 2**z))))

    return x / 2**z * 360 - 180, lat(y + 1), (x + 1) / 2**z * 360 - 180, lat(y)


def to_tile_pixels(lon: float, lat: float, z: int, x: int, y: int) -> tuple[float, float]:
    """A point in the tile's coordinates (0..4096, y down), computed independently of PostGIS."""
    n = 2**z
    merc_y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return ((lon + 180) / 360 * n - x) * 4096, (merc_y - y) * 4096


def centre(bounds: tuple[float, float, float, float]) -> tuple[float, float]:
    return (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2


@pytest.fixture
async def commons(start_service):
    # Links name the configured public URL; here it is the test client's own origin.
    return await start_service("commons", run_workers=False, public_url="http://commons.test")


@pytest.fixture
async def sites(commons, auth_header):
    """Sites by name → id, and a summer recreation period on Coal Square."""
    editor = auth_header("x", ["maintenance"])
    made = {}
    for name, bounds in [
        ("Coal Square", COAL_SQUARE),
        ("Garden", NEIGHBOUR_GARDEN),
        ("Verge", NEXT_TILE_VERGE),
        ("Utrecht park", UTRECHT_PARK),
    ]:
        answer = await commons.client.post(
            "/sites",
            json={
                "name": name,
                "kind": "square",
                "timezone": "Europe/Warsaw",
                "geometry": box(*bounds),
            },
            headers=editor,
        )
        assert answer.status_code == 201, answer.text
        made[name] = answer.json()["id"]
    period = {
        "use": "recreation",
        "priority": 10,
        "starts_on": "2024-05-01",
        "ends_on": "2024-09-30",
        "rule": "FREQ=YEARLY",
    }
    answer = await commons.client.post(
        f"/sites/{made['Coal Square']}/periods", json=period, headers=editor
    )
    assert answer.status_code == 201, answer.text
    return made


async def get_tile(commons, z: int, x: int, y: int, **params) -> list[dict]:
    answer = await commons.client.get(f"/tiles/sites/{z}/{x}/{y}.mvt", params=params)
    if answer.status_code == 204:
        return []
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == TILE_TYPE
    layers = mapbox_vector_tile.decode(answer.content, default_options={"y_coord_down": True})
    assert set(layers) == {"sites"}
    return layers["sites"]["features"]


async def test_a_z14_tile_holds_exactly_the_sites_in_it(commons, sites):
    z, (x, y) = 14, tile_of(*centre(COAL_SQUARE), 14)
    features = await get_tile(commons, z, x, y)
    assert sorted(f["properties"]["id"] for f in features) == sorted(
        [sites["Coal Square"], sites["Garden"]]
    )
    coal = next(f for f in features if f["properties"]["name"] == "Coal Square")
    assert coal["properties"]["kind"] == "square"
    assert coal["properties"]["area_m2"] == pytest.approx(23_000, rel=0.1)
    assert "use" not in coal["properties"]  # no `on`, no use
    east = await get_tile(commons, z, x + 1, y)
    assert [f["properties"]["id"] for f in east] == [sites["Verge"]]


async def test_a_tile_without_sites_is_204_and_cacheable(commons, sites):
    answer = await commons.client.get("/tiles/sites/14/0/0.mvt")
    assert answer.status_code == 204
    assert answer.content == b""
    assert answer.headers["cache-control"] == "public, max-age=60"
    assert answer.headers["etag"]


async def test_the_use_on_a_date_is_a_feature_property(commons, sites):
    z, (x, y) = 14, tile_of(*centre(COAL_SQUARE), 14)

    async def uses(on: str) -> dict[str, str | None]:
        return {
            f["properties"]["name"]: f["properties"].get("use")
            for f in await get_tile(commons, z, x, y, on=on)
        }

    assert await uses(f"{THIS_YEAR}-07-15") == {"Coal Square": "recreation", "Garden": None}
    assert await uses(f"{THIS_YEAR}-10-15") == {"Coal Square": None, "Garden": None}
    # Beyond the materialized occurrences (6 years ahead) the schedule engine answers.
    assert await uses(f"{THIS_YEAR + 8}-07-15") == {"Coal Square": "recreation", "Garden": None}
    assert await uses(f"{THIS_YEAR + 8}-10-15") == {"Coal Square": None, "Garden": None}


async def test_geometry_lands_where_the_site_is_and_is_clipped_to_the_buffer(
    commons, sites, auth_header
):
    z, (x, y) = 14, tile_of(*centre(COAL_SQUARE), 14)
    west, south, east, north = tile_edges(z, x, y)
    big_park = (west - 0.05, south - 0.05, east + 0.05, north + 0.05)  # covers the whole tile
    answer = await commons.client.post(
        "/sites",
        json={"name": "Big park", "kind": "park", "geometry": box(*big_park)},
        headers=auth_header("x", ["maintenance"]),
    )
    assert answer.status_code == 201, answer.text
    features = {f["properties"]["name"]: f for f in await get_tile(commons, z, x, y)}

    [coal_ring] = features["Coal Square"]["geometry"]["coordinates"]
    corners = box(*COAL_SQUARE)["coordinates"][0]
    expected = [to_tile_pixels(lon, lat, z, x, y) for lon, lat in corners]
    for px, py in coal_ring:
        assert 0 <= px <= 4096 and 0 <= py <= 4096
        assert min(math.dist((px, py), e) for e in expected) <= 1.5, (px, py)

    [park_ring] = features["Big park"]["geometry"]["coordinates"]
    assert {(round(px), round(py)) for px, py in park_ring} <= {
        (-64, -64),
        (4160, -64),
        (4160, 4160),
        (-64, 4160),
    }


async def test_a_site_whose_bounding_box_meets_the_tile_but_not_its_shape_is_left_out(
    commons, sites, auth_header
):
    z, (x, y) = 14, tile_of(*centre(COAL_SQUARE), 14)
    west, south, east, north = tile_edges(z, x, y)
    # An L along the tile's south and west sides, well beyond the buffer: its bbox covers the tile.
    ring = [
        [west - 0.02, south - 0.02],
        [east + 0.02, south - 0.02],
        [east + 0.02, south - 0.01],
        [west - 0.01, south - 0.01],
        [west - 0.01, north + 0.02],
        [west - 0.02, north + 0.02],
        [west - 0.02, south - 0.02],
    ]
    answer = await commons.client.post(
        "/sites",
        json={"name": "L", "kind": "verge", "geometry": {"type": "Polygon", "coordinates": [ring]}},
        headers=auth_header("x", ["maintenance"]),
    )
    assert answer.status_code == 201, answer.text
    names = {f["properties"]["name"] for f in await get_tile(commons, z, x, y)}
    assert names == {"Coal Square", "Garden"}


async def test_pbf_is_the_same_tile_and_an_etag_answers_304(commons, sites):
    x, y = tile_of(*centre(COAL_SQUARE), 14)
    mvt = await commons.client.get(f"/tiles/sites/14/{x}/{y}.mvt")
    pbf = await commons.client.get(f"/tiles/sites/14/{x}/{y}.pbf")
    assert mvt.status_code == pbf.status_code == 200
    assert mvt.content == pbf.content
    assert mvt.headers["cache-control"] == "public, max-age=60"
    again = await commons.client.get(
        f"/tiles/sites/14/{x}/{y}.mvt", headers={"If-None-Match": mvt.headers["etag"]}
    )
    assert again.status_code == 304
    summer = await commons.client.get(f"/tiles/sites/14/{x}/{y}.mvt?on={THIS_YEAR}-07-15")
    assert summer.headers["etag"] != mvt.headers["etag"]


async def test_a_lower_zoom_tile_holds_the_sites_of_the_city(commons, sites):
    z, (x, y) = 9, tile_of(*centre(COAL_SQUARE), 9)
    features = await get_tile(commons, z, x, y)
    assert sorted(f["properties"]["name"] for f in features) == ["Coal Square", "Garden", "Verge"]


async def test_a_busy_tile_beyond_the_precomputed_dates_is_refused_with_advice(
    commons, sites, monkeypatch
):
    monkeypatch.setattr(tile_queries, "ENGINE_PERIODS_PER_TILE", 0)
    x, y = tile_of(*centre(COAL_SQUARE), 14)
    far = await commons.client.get(f"/tiles/sites/14/{x}/{y}.mvt?on={THIS_YEAR + 8}-07-15")
    assert far.status_code == 422
    assert "zoom in" in far.json()["detail"][0]["msg"]
    near = await commons.client.get(f"/tiles/sites/14/{x}/{y}.mvt?on={THIS_YEAR}-07-15")
    assert near.status_code == 200


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("/tiles/sites/23/0/0.mvt", "z"),
        ("/tiles/sites/-1/0/0.mvt", "z"),
        ("/tiles/sites/zz/0/0.mvt", "z"),
        ("/tiles/sites/2/4/0.mvt", "x"),
        ("/tiles/sites/2/-1/0.mvt", "x"),
        ("/tiles/sites/2/0/4.mvt", "y"),
        ("/tiles/sites/0/0/99999999999999999999.mvt", "y"),
        ("/tiles/sites/2/0/-1.mvt", "y"),
        ("/tiles/sites/2/0/0.png", "y"),
        ("/tiles/sites/2/0/0", "y"),
        ("/tiles/sites/2/0/0.mvt?on=midsummer", "on"),
        ("/tiles/sites/2/0/0.mvt?on=9999-12-31", "on"),
    ],
)
async def test_a_bad_tile_address_is_refused_with_a_reason(commons, path, loc):
    answer = await commons.client.get(path)
    assert answer.status_code == 422, answer.text
    [item] = answer.json()["detail"]
    assert item["loc"][-1] == loc
    assert item["msg"]


async def test_tilejson_describes_the_layer_with_absolute_urls(commons, sites):
    answer = await commons.client.get("/tiles/sites.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://commons.test/tiles/sites/{z}/{x}/{y}.mvt"]
    assert (document["minzoom"], document["maxzoom"]) == (0, 22)
    [layer] = document["vector_layers"]
    assert layer["id"] == "sites"
    assert set(layer["fields"]) == {"id", "name", "kind", "area_m2", "use"}
    west, south, east, north = document["bounds"]
    assert (west, south) == pytest.approx((UTRECHT_PARK[0], UTRECHT_PARK[1]))
    assert (east, north) == pytest.approx((NEXT_TILE_VERGE[2], COAL_SQUARE[3]))

    # The tiles' address is the public URL's, whatever host the client (or a proxy) names.
    forged = {
        "Host": "evil.example",
        "X-Forwarded-Host": 'evil.example/"><script>',
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Prefix": "/city/tiles",
    }
    dated = await commons.client.get(
        "/tiles/sites.json", params={"on": f"{THIS_YEAR}-07-15"}, headers=forged
    )
    assert dated.json()["tiles"] == [
        f"http://commons.test/tiles/sites/{{z}}/{{x}}/{{y}}.mvt?on={THIS_YEAR}-07-15"
    ]
    assert "vary" not in dated.headers  # nothing in it depends on the request's headers


async def test_tilejson_without_sites_spans_the_web_mercator_world(commons):
    document = (await commons.client.get("/tiles/sites.json")).json()
    assert document["bounds"] == pytest.approx([-180, -85.0511287798066, 180, 85.0511287798066])


async def test_the_tile_query_uses_the_spatial_index(commons, sites):
    """With thousands of sites, the tile reads the GiST index, not the whole table."""
    with psycopg.connect(commons.database_url, autocommit=True) as conn:
        conn.execute(
            b"""INSERT INTO site (id, name, kind, description, timezone, geom, area_m2,
                                  attributes, version)
                SELECT gen_random_uuid(), 'bulk ' || i, 'park', '', 'Europe/Warsaw',
                       ST_Multi(ST_MakeEnvelope(lon, lat, lon + 0.001, lat + 0.001, 4326)),
                       7000, '{}', 1
                FROM (SELECT i, -170 + (i * 7.31) % 340 AS lon, -60 + (i * 3.17) % 130 AS lat
                      FROM generate_series(1, 5000) AS i) AS spread"""
        )
        conn.execute(b"ANALYZE site")
    assert sql_value(commons.database_url, "SELECT count(*) FROM site") == 5004

    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "ST_AsMVT(" in statement:
            captured.append((statement, parameters))

    engine = commons.runtime.engine
    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        x, y = tile_of(*centre(COAL_SQUARE), 14)
        await get_tile(commons, 14, x, y, on=f"{THIS_YEAR}-07-15")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    [(statement, parameters)] = captured
    async with engine.connect() as conn:
        plan = "\n".join(
            row[0] for row in await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        )
    assert "idx_site_geom" in plan, plan
    assert "Seq Scan on site" not in plan, plan
