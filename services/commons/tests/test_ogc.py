"""OGC API – Features over the commons sites, on real PostGIS: the documents QGIS and GDAL read,
paging by links, bbox on real Grand Rapids parks, and `datetime` as "sites in use then"."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from shapely.geometry import box, shape
from shapely.ops import unary_union
from sqlalchemy import select

from commons.ogc import in_use
from commons.ogc.params import TimeFilter, parse_datetime
from commons.sites.models import Site

DATA = Path(__file__).parents[3] / "tests" / "data"
ROOT = "http://commons.test/ogc"
ITEMS = "/ogc/collections/sites/items"
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
SUMMER = {
    "use": "recreation",
    "priority": 10,
    "starts_on": "2024-05-01",
    "ends_on": "2024-09-30",
    "rule": "FREQ=YEARLY",
}
ALL_YEAR = {"use": "parking", "priority": 0, "starts_on": "2020-01-01"}
MARKET = {
    "use": "market",
    "priority": 20,
    "starts_on": "2025-01-04",
    "ends_on": "2025-01-04",
    "rule": "FREQ=WEEKLY",
    "day_starts_at": "08:00:00",
    "day_ends_at": "14:00:00",
}
NEXT_YEAR = dt.date.today().year + 1
FAR_YEAR = dt.date.today().year + 20  # beyond the materialized horizon: the engine answers


@pytest.fixture
async def commons(start_service):
    # Links name the configured public URL; here it is the test client's own origin.
    return await start_service("commons", run_workers=False, public_url="http://commons.test")


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


async def add_site(commons, staff, name, geometry=COAL_SQUARE, *periods, **fields) -> str:
    body = {"name": name, "kind": "square", "timezone": "Europe/Warsaw", "geometry": geometry}
    answer = await commons.client.post("/sites", json=body | fields, headers=staff)
    assert answer.status_code == 201, answer.text
    site_id = answer.json()["id"]
    for period in periods:
        added = await commons.client.post(f"/sites/{site_id}/periods", json=period, headers=staff)
        assert added.status_code == 201, added.text
    return site_id


def insert_sites(database_url: str, count: int) -> None:
    """`count` small squares near Utrecht, by SQL; names repeat, so (name, id) decides order."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            """
        INSERT INTO site (id, name, kind, description, timezone, geom, area_m2, attributes, version)
        SELECT gen_random_uuid(), 'Hof ' || mod(i, 7), 'garden', '', 'Europe/Amsterdam',
               ST_Multi(ST_MakeEnvelope(5.0 + i * 0.001, 52.0, 5.0005 + i * 0.001, 52.0005, 4326)),
               1200.0, '{}', 1
        FROM generate_series(1, %s) AS i""",
            (count,),
        )


async def ids(commons, **params) -> set[str]:
    answer = await commons.client.get(ITEMS, params={"limit": 1000, **params})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["numberMatched"] == page["numberReturned"] == len(page["features"])
    return {feature["id"] for feature in page["features"]}


def links_of(document: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in document["links"]}


async def test_the_landing_page_links_to_definition_conformance_and_data(commons):
    answer = await commons.client.get("/ogc")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    page = answer.json()
    assert page["title"] and page["description"]
    links = links_of(page)
    assert set(links) == {"self", "service-desc", "conformance", "data"}
    assert all(link["type"] and link["title"] for link in page["links"])
    assert links["self"]["href"] == ROOT
    assert links["conformance"]["href"] == f"{ROOT}/conformance"
    assert links["data"]["href"] == f"{ROOT}/collections"
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert (await commons.client.get("/ogc/")).json() == page


async def test_the_api_definition_is_openapi_30_relative_to_the_landing_page(commons):
    landing = (await commons.client.get("/ogc")).json()
    answer = await commons.client.get(links_of(landing)["service-desc"]["href"])
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    api = answer.json()
    assert api["openapi"].startswith("3.0.")
    assert api["servers"][0]["url"] == ROOT
    assert {
        "/",
        "/conformance",
        "/collections",
        "/collections/{collection_id}/items",
        "/collections/{collection_id}/items/{feature_id}",
    } <= set(api["paths"])
    limit = api["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (10, 1000)  # where QGIS reads its page size
    items = api["paths"]["/collections/{collection_id}/items"]["get"]
    assert "application/geo+json" in items["responses"]["200"]["content"]
    assert "400" in items["responses"] and "422" not in items["responses"]
    assert '"type": "null"' not in json.dumps(api)  # no JSON Schema 2020-12 nullability in 3.0


async def test_conformance_declares_core_geojson_and_oas30(commons):
    answer = await commons.client.get("/ogc/conformance")
    assert set(answer.json()["conformsTo"]) == {
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    }


async def test_the_sites_collection_has_the_extent_of_all_sites(commons, staff):
    empty = (await commons.client.get("/ogc/collections/sites")).json()
    assert empty["extent"]["spatial"]["bbox"] == [[-180.0, -90.0, 180.0, 90.0]]
    park = json.loads((DATA / "grand-rapids-parks-2020.geojson").read_text())["features"][0]
    await add_site(commons, staff, "Coal Square")
    await add_site(commons, staff, "A park", park["geometry"], timezone="America/Detroit")
    listing = (await commons.client.get("/ogc/collections")).json()
    assert links_of(listing)["self"]["href"] == f"{ROOT}/collections"
    [sites] = listing["collections"]
    assert sites == (await commons.client.get("/ogc/collections/sites")).json()
    assert (sites["id"], sites["title"], sites["itemType"]) == ("sites", "Commons sites", "feature")
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert sites["crs"] == [crs84] and sites["extent"]["spatial"]["crs"] == crs84
    assert sites["extent"]["temporal"]["interval"] == [[None, None]]
    expected = shape(COAL_SQUARE).union(shape(park["geometry"])).bounds
    assert sites["extent"]["spatial"]["bbox"][0] == pytest.approx(list(expected), abs=1e-6)
    links = links_of(sites)
    assert links["self"]["href"] == f"{ROOT}/collections/sites"
    assert links["items"] == {
        "href": f"{ROOT}/collections/sites/items",
        "rel": "items",
        "type": "application/geo+json",
        "title": "The sites as GeoJSON",
    }


async def test_next_and_prev_links_page_through_every_site_exactly_once(commons):
    insert_sites(commons.database_url, 25)
    bbox = "4.9,51.9,5.1,52.1"
    url = f"{ITEMS}?bbox={bbox}&limit=10"
    pages = []
    while url:
        answer = await commons.client.get(url)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/geo+json"
        pages.append(answer.json())
        url = links_of(pages[-1]).get("next", {}).get("href")
    assert [p["numberReturned"] for p in pages] == [10, 10, 5]
    assert all(p["numberMatched"] == 25 for p in pages)
    seen = [f["id"] for p in pages for f in p["features"]]
    assert len(seen) == len(set(seen)) == 25
    keys = [(f["properties"]["name"], f["id"]) for p in pages for f in p["features"]]
    assert keys == sorted(keys)
    assert "prev" not in links_of(pages[0]) and "next" not in links_of(pages[-1])
    for page in pages[1:]:
        for rel in ("self", "prev"):
            href = links_of(page)[rel]["href"]
            assert href.startswith(f"{ROOT}/collections/sites/items?")
            assert parse_qs(urlsplit(href).query)["bbox"] == [bbox]
    # Back from the last page by prev links: the same pages, in reverse.
    back, url = [], links_of(pages[-1])["prev"]["href"]
    while url:
        back.append((await commons.client.get(url)).json())
        url = links_of(back[-1]).get("prev", {}).get("href")
    assert [[f["id"] for f in p["features"]] for p in back] == [
        [f["id"] for f in p["features"]] for p in reversed(pages[:-1])
    ]


async def test_offset_past_the_end_returns_no_features_and_no_next_link(commons):
    insert_sites(commons.database_url, 3)
    page = (await commons.client.get(ITEMS, params={"offset": 7, "limit": 2})).json()
    assert (page["numberMatched"], page["numberReturned"], page["features"]) == (3, 0, [])
    assert "next" not in links_of(page)
    assert parse_qs(urlsplit(links_of(page)["prev"]["href"]).query)["offset"] == ["5"]


async def test_a_limit_above_the_maximum_is_the_maximum(commons):
    insert_sites(commons.database_url, 1005)
    page = (await commons.client.get(ITEMS, params={"limit": 5000})).json()
    assert (page["numberMatched"], page["numberReturned"]) == (1005, 1000)
    following = parse_qs(urlsplit(links_of(page)["next"]["href"]).query)
    assert (following["limit"], following["offset"]) == (["1000"], ["1000"])
    default = (await commons.client.get(ITEMS)).json()
    assert default["numberReturned"] == 10


async def test_bbox_selects_the_grand_rapids_parks_it_touches(commons, staff):
    parks = json.loads((DATA / "grand-rapids-parks-2020.geojson").read_text())["features"][:15]
    park_ids = {}
    for park in parks:
        site_id = await add_site(
            commons,
            staff,
            park["properties"].get("name") or park["id"],
            park["geometry"],
            kind="park",
            timezone="America/Detroit",
        )
        park_ids[site_id] = shape(park["geometry"])
    coal_square = await add_site(commons, staff, "Coal Square")
    assert await ids(commons, bbox="-86.0,42.8,-85.5,43.1") == set(park_ids)
    assert await ids(commons, bbox="18.6,54.3,18.7,54.4") == {coal_square}
    assert await ids(commons, bbox="0,0,1,1") == set()
    # The western half of the parks' extent: exactly the parks a GIS finds there.
    west, south, east, north = unary_union(list(park_ids.values())).bounds
    half = (west, south, (west + east) / 2, north)
    expected = {i for i, park in park_ids.items() if park.intersects(box(*half))}
    assert 0 < len(expected) < len(park_ids)
    assert await ids(commons, bbox=",".join(map(str, half))) == expected
    # A 3D bbox is accepted; sites have no height, so its heights change nothing.
    bbox_3d = f"{half[0]},{half[1]},-100,{half[2]},{half[3]},500"
    assert await ids(commons, bbox=bbox_3d) == expected


@pytest.fixture
async def schedule(commons, staff):
    """Three sites in Warsaw: in use only in summer, all year, never."""
    return {
        "summer": await add_site(commons, staff, "Summer", COAL_SQUARE, SUMMER),
        "all_year": await add_site(commons, staff, "All year", COAL_SQUARE, ALL_YEAR),
        "idle": await add_site(commons, staff, "Idle", COAL_SQUARE),
    }


async def in_use_at(commons, schedule, when: str) -> set[str]:
    found = await ids(commons, datetime=when)
    return {name for name, site_id in schedule.items() if site_id in found}


@pytest.mark.parametrize("year", [NEXT_YEAR, FAR_YEAR])
async def test_an_instant_selects_the_sites_in_use_then(commons, schedule, year):
    assert await in_use_at(commons, schedule, f"{year}-07-15T12:00:00Z") == {"summer", "all_year"}
    assert await in_use_at(commons, schedule, f"{year}-10-15T12:00:00Z") == {"all_year"}
    # Summer begins at midnight in Warsaw (22:00 UTC the day before).
    assert await in_use_at(commons, schedule, f"{year}-04-30T21:59:59Z") == {"all_year"}
    assert await in_use_at(commons, schedule, f"{year}-04-30T22:00:00Z") == {"summer", "all_year"}
    assert await in_use_at(commons, schedule, f"{year}-05-01T00:00:00+02:00") == {
        "summer",
        "all_year",
    }


@pytest.mark.parametrize("year", [NEXT_YEAR, FAR_YEAR])
async def test_an_interval_selects_the_sites_in_use_at_any_moment_of_it(commons, schedule, year):
    winter = f"{year}-10-01T00:00:00Z/{year + 1}-04-01T00:00:00Z"
    assert await in_use_at(commons, schedule, winter) == {"all_year"}
    autumn = f"{year}-09-20T00:00:00Z/{year}-10-10T00:00:00Z"
    assert await in_use_at(commons, schedule, autumn) == {"summer", "all_year"}
    last_moment = f"{year}-09-30T20:00:00Z/{year}-09-30T21:59:59.999999Z"  # 23:59:59 in Warsaw
    assert await in_use_at(commons, schedule, last_moment) == {"summer", "all_year"}


async def test_the_past_and_open_intervals_are_answered_by_the_engine(commons, schedule):
    beyond = [
        "2021-07-15T12:00:00Z",
        f"{FAR_YEAR}-07-15T12:00:00Z",
        "../2020-06-01T00:00:00Z",
        f"{NEXT_YEAR}-10-01T00:00:00Z/..",
        "../..",
    ]
    for text in beyond:
        when = parse_datetime(text, dt.date.today())
        assert when is not None and not in_use.within_horizon(when, dt.date.today()), text
    assert await in_use_at(commons, schedule, "2015-07-15T12:00:00Z") == set()
    assert await in_use_at(commons, schedule, "2021-07-15T12:00:00Z") == {"all_year"}
    assert await in_use_at(commons, schedule, "../2019-12-31T00:00:00Z") == set()
    assert await in_use_at(commons, schedule, "../2020-06-01T00:00:00Z") == {"all_year"}
    assert await in_use_at(commons, schedule, "2023-01-01T00:00:00Z/2024-06-01T00:00:00Z") == {
        "summer",
        "all_year",
    }
    assert await in_use_at(commons, schedule, f"{NEXT_YEAR}-10-01T00:00:00Z/..") == {
        "summer",
        "all_year",
    }
    assert await in_use_at(commons, schedule, f"{FAR_YEAR}-10-01T00:00:00Z/") == {
        "summer",
        "all_year",
    }
    assert await in_use_at(commons, schedule, "../..") == {"summer", "all_year"}


async def test_sql_and_engine_agree_within_the_horizon(commons, staff, schedule):
    market = await add_site(commons, staff, "Market", COAL_SQUARE, MARKET)
    names = {**{v: k for k, v in schedule.items()}, market: "market"}
    saturday = dt.date.today() + dt.timedelta(days=(5 - dt.date.today().weekday()) % 7 + 7)
    filters = [
        f"{saturday}T06:59:59Z",
        f"{saturday}T07:00:00Z",
        f"{saturday}T11:59:59Z",
        f"{saturday}T12:00:00Z",
        f"{saturday}T12:00:00Z/{saturday}T23:00:00Z",
        f"{saturday}T12:00:01Z/{saturday}T23:00:00Z",
        f"{NEXT_YEAR}-07-01T00:00:00Z",
        f"{NEXT_YEAR}-11-01T00:00:00Z/{NEXT_YEAR}-11-30T00:00:00Z",
    ]
    today = dt.date.today()
    async with commons.runtime.session_factory() as session:
        for text in filters:
            when = parse_datetime(text, dt.date.today())
            assert isinstance(when, TimeFilter) and in_use.within_horizon(when, today)
            by_sql = await session.scalars(select(Site.id).where(in_use.in_use_by_sql(when)))
            condition = await in_use.in_use_by_engine(session, when, (-180, -90, 180, 90))
            by_engine = await session.scalars(select(Site.id).where(condition))
            assert {names[str(i)] for i in by_sql} == {names[str(i)] for i in by_engine}, text
    market_hours = await in_use_at(commons, {"market": market}, f"{saturday}T08:00:00Z")
    assert market_hours == {"market"}


async def test_one_site_is_a_feature_with_links(commons, staff):
    site_id = await add_site(commons, staff, "Coal Square", external_id="osm-1")
    answer = await commons.client.get(f"{ITEMS}/{site_id}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/geo+json"
    feature = answer.json()
    assert (feature["type"], feature["id"]) == ("Feature", site_id)
    assert feature["geometry"]["type"] == "MultiPolygon"
    properties = feature["properties"]
    assert set(properties) == {
        "name",
        "kind",
        "description",
        "timezone",
        "area_m2",
        "external_id",
        "version",
    }
    assert (properties["name"], properties["external_id"], properties["version"]) == (
        "Coal Square",
        "osm-1",
        1,
    )
    links = links_of(feature)
    assert links["self"]["href"] == f"{ROOT}/collections/sites/items/{site_id}"
    assert links["collection"]["href"] == f"{ROOT}/collections/sites"
    listed = (await commons.client.get(ITEMS)).json()["features"][0]
    assert {k: v for k, v in feature.items() if k != "links"} == listed


@pytest.mark.parametrize(
    "path",
    [
        f"{ITEMS}/6f1c1e8e-4f1e-4a53-9d51-2f0d8a3c1b7a",
        f"{ITEMS}/not-a-uuid",
        "/ogc/collections/parks",
        "/ogc/collections/parks/items",
        "/ogc/collections/parks/items/6f1c1e8e-4f1e-4a53-9d51-2f0d8a3c1b7a",
    ],
)
async def test_unknown_features_and_collections_are_404(commons, path):
    answer = await commons.client.get(path)
    assert answer.status_code == 404
    [error] = answer.json()["detail"]
    assert error["type"] == "not_found" and error["msg"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "10,0,5,5"}, "bbox"),
        ({"bbox": "0,0,200,1"}, "bbox"),
        ({"bbox": "0,0,5,1,1,0"}, "bbox"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-3"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "99999999999999999999"}, "offset"),
        ({"datetime": "yesterday"}, "RFC 3339"),
        ({"datetime": "2026-07-15"}, "time zone"),
        ({"datetime": "2026-07-15T12:00:00"}, "time zone"),
        ({"datetime": "2026-07-15T12:00:00 02:00"}, "%2B"),
        ({"datetime": "2026-13-01T00:00:00Z"}, "month"),
        ({"datetime": "9999-12-31T23:59:59-23:59"}, "valid date-time"),
        ({"datetime": "8000-01-01T00:00:00Z/.."}, "too far away"),
        ({"datetime": "../1800-01-01T00:00:00Z"}, "too far away"),
        ({"datetime": "2026-08-01T00:00:00Z/2026-07-01T00:00:00Z"}, "ends before it starts"),
        ({"datetime": "2026-07-01T00:00:00Z/2026-08-01T00:00:00Z/.."}, "interval"),
        ({"f": "html"}, "JSON only"),
        ({"name": "Coal Square"}, "Unknown query parameter 'name'"),
        ({"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}, "bbox-crs"),
    ],
)
async def test_every_bad_parameter_is_a_400_saying_what_is_wrong(commons, params, names):
    answer = await commons.client.get(ITEMS, params=params)
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["detail"]
    assert names in error["msg"] + " " + " ".join(map(str, error.get("loc", []))), error


async def test_f_json_is_plain_json_and_f_html_is_refused_everywhere(commons, staff):
    site_id = await add_site(commons, staff, "Coal Square")
    page = await commons.client.get(ITEMS, params={"f": "json"})
    assert page.status_code == 200 and page.headers["content-type"] == "application/json"
    links = links_of(page.json())
    assert (links["self"]["type"], links["alternate"]["type"]) == (
        "application/json",
        "application/geo+json",
    )
    assert "f=" not in links["alternate"]["href"]
    geojson = links_of((await commons.client.get(ITEMS)).json())["alternate"]
    assert (geojson["type"], geojson["href"]) == (
        "application/json",
        f"{ROOT}/collections/sites/items?f=json",
    )
    for path in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/sites",
        f"{ITEMS}/{site_id}",
        "/ogc/api",
    ):
        assert (await commons.client.get(path, params={"f": "json"})).status_code == 200, path
        refused = await commons.client.get(path, params={"f": "html"})
        assert refused.status_code == 400 and refused.json()["detail"][0]["msg"], path


async def test_links_name_the_public_url_whatever_host_the_client_names(start_service):
    commons = await start_service(
        "commons", run_workers=False, public_url="https://maps.example.org/city"
    )
    insert_sites(commons.database_url, 3)
    forged = {
        "Host": "evil.example",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Prefix": "/elsewhere",
    }
    page = (await commons.client.get(ITEMS, params={"limit": 1}, headers=forged)).json()
    assert links_of(page)["next"]["href"] == (
        "https://maps.example.org/city/ogc/collections/sites/items?limit=1&offset=1"
    )
    landing = (await commons.client.get("/ogc", headers=forged)).json()
    assert {link["href"].split("/ogc")[0] for link in landing["links"]} == {
        "https://maps.example.org/city"
    }
