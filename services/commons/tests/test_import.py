"""Bulk GeoJSON import on real PostGIS, with the real files of tests/data and their quirks."""

import copy
import json
from pathlib import Path

import pytest

from meent_shared.testing.helpers import sql_value

DATA = Path(__file__).parents[3] / "tests" / "data"
SQUARE = [[[5.10, 52.08], [5.11, 52.08], [5.11, 52.09], [5.10, 52.09], [5.10, 52.08]]]
PARKS = {"kind": "park", "timezone": "America/Detroit"}
# The Dutch national grid, as ogr2ogr writes it into files it did not reproject.
RD_NEW = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def feature(id_: object = "a", coordinates: object = SQUARE, **properties: object) -> dict:
    geometry = {"type": "Polygon", "coordinates": coordinates}
    return {"type": "Feature", "id": id_, "properties": properties, "geometry": geometry}


def collection(*features: dict, **members: object) -> dict:
    return {"type": "FeatureCollection", "features": list(features), **members}


def count(service, query: str) -> int:
    return sql_value(service.database_url, query)


def site_row(service, external_id: str) -> dict:
    columns = "SELECT name, version, attributes, area_m2 FROM site WHERE external_id = %s"
    return sql_value(service.database_url, f"SELECT row_to_json(s) FROM ({columns}) s", external_id)


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return auth_header("x", ["maintenance"])


@pytest.fixture
def post(commons, staff):
    async def post(body: object, **params: object):
        # json.dumps, unlike httpx, writes NaN as real-world exports sometimes do.
        headers = {**staff, "Content-Type": "application/geo+json"}
        content = json.dumps(body).encode()
        return await commons.client.post(
            "/sites/import", content=content, params=params, headers=headers
        )

    return post


async def test_the_2015_parks_import_except_their_linestrings_and_a_self_intersection(
    commons, post
):
    answer = await post(load("grand-rapids-parks-2015.geojson"), **PARKS)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    refused = [f for f in report["features"] if f["status"] == "refused"]
    assert [(f["index"], f["external_id"], f["reason"]["type"]) for f in refused] == [
        (8, "way/346028229", "invalid_geometry"),  # Plaster Creek Family Park crosses itself
        (79, "way/229436742", "not_an_area"),  # the Riverwalk Trails, twice, as LineStrings
        (80, "way/229436742", "not_an_area"),
    ]
    assert "Self-intersection" in refused[0]["reason"]["msg"]
    assert "not LineString" in refused[1]["reason"]["msg"]
    # The file lists four parks twice, word for word: one site each, the copy changes nothing.
    assert (report["created"], report["unchanged"], report["refused"]) == (74, 4, 3)
    repeats = [f for f in report["features"] if f["status"] == "unchanged"]
    assert [(f["index"], f["reason"]["type"]) for f in repeats] == [
        (2, "repeated_feature"),
        (12, "repeated_feature"),
        (74, "repeated_feature"),
        (76, "repeated_feature"),
    ]
    assert repeats[0]["site_id"] == report["features"][0]["site_id"]
    assert count(commons, "SELECT count(*) FROM site") == 74
    assert count(commons, "SELECT count(*) FROM outbox") == 74


async def test_with_repair_the_2015_import_refuses_only_its_two_linestrings(commons, post):
    """Asked to repair, the self-intersecting park is made valid (and says so): exactly the two
    LineStrings are refused and every polygon is imported."""
    answer = await post(load("grand-rapids-parks-2015.geojson"), repair=True, **PARKS)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    refused = [
        (f["index"], f["reason"]["type"]) for f in report["features"] if f["status"] == "refused"
    ]
    assert refused == [(79, "not_an_area"), (80, "not_an_area")]
    [repaired] = [
        f for f in report["features"] if f["reason"] and f["reason"]["type"] == "repaired_geometry"
    ]
    assert repaired["index"] == 8 and repaired["status"] == "created"
    assert "Self-intersection" in repaired["reason"]["msg"]
    assert (report["created"], report["unchanged"], report["refused"]) == (75, 4, 2)
    assert count(commons, "SELECT count(*) FROM site WHERE NOT ST_IsValid(geom)") == 0
    assert count(commons, "SELECT count(*) FROM site") == 75


async def test_all_or_nothing_stores_nothing_when_a_feature_is_refused(commons, post):
    answer = await post(load("grand-rapids-parks-2015.geojson"), all_or_nothing=True, **PARKS)
    assert answer.status_code == 422, answer.text
    report = answer.json()
    assert report["detail"][0]["type"] == "features_refused"
    assert report["refused"] == 3
    assert {f["index"] for f in report["features"] if f["status"] == "refused"} == {8, 79, 80}
    assert all(f["site_id"] is None for f in report["features"] if f["status"] == "created")
    assert count(commons, "SELECT count(*) FROM site") == 0
    assert count(commons, "SELECT count(*) FROM outbox") == 0


async def test_a_clean_file_with_all_or_nothing_is_stored(commons, post):
    answer = await post(load("grand-rapids-parks-2020.geojson"), all_or_nothing=True, **PARKS)
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 89
    assert count(commons, "SELECT count(*) FROM site") == 89


async def test_importing_the_2020_parks_again_changes_nothing_until_the_file_changes(commons, post):
    parks = load("grand-rapids-parks-2020.geojson")
    first = (await post(parks, **PARKS)).json()
    assert (first["created"], first["refused"]) == (89, 0)
    assert count(commons, "SELECT count(*) FROM outbox") == 89

    again = await post(parks, **PARKS)
    assert again.status_code == 200, again.text
    report = again.json()
    assert (report["unchanged"], report["created"], report["updated"]) == (89, 0, 0)
    assert [f["site_id"] for f in report["features"]] == [f["site_id"] for f in first["features"]]
    assert count(commons, "SELECT count(*) FROM outbox") == 89
    assert count(commons, "SELECT max(version) FROM site") == 1

    renamed = copy.deepcopy(parks)
    renamed["features"][0]["properties"]["name"] = "Oxford Park (renamed)"
    changed = (await post(renamed, **PARKS)).json()
    assert (changed["updated"], changed["unchanged"]) == (1, 88)
    assert changed["features"][0]["status"] == "updated"
    site = site_row(commons, "way/316611486")
    assert (site["name"], site["version"]) == ("Oxford Park (renamed)", 2)
    assert count(commons, "SELECT count(*) FROM outbox") == 90
    updates = "SELECT count(*) FROM outbox WHERE subject = 'meent.commons.site.updated'"
    assert count(commons, updates) == 1


async def test_properties_keep_their_mess_and_unnamed_parks_are_named_by_id(commons, post):
    await post(load("grand-rapids-parks-2020.geojson"), **PARKS)
    oxford = site_row(commons, "way/316611486")
    assert oxford["name"] == "Oxford Park"
    assert oxford["attributes"]["acreage"] == "8.86"  # a string in the file, a string here
    assert "name" not in oxford["attributes"]
    assert oxford["attributes"]["id"] == "way/316611486"
    unnamed = count(commons, "SELECT count(*) FROM site WHERE name = external_id")
    assert unnamed == 21  # the 21 features without a `name` property


async def test_a_new_geometry_updates_the_site_and_its_area(commons, post):
    await post(collection(feature("a")))
    before = site_row(commons, "a")
    bigger = [[[5.10, 52.08], [5.12, 52.08], [5.12, 52.09], [5.10, 52.09], [5.10, 52.08]]]
    report = (await post(collection(feature("a", bigger)))).json()
    assert report["features"][0]["status"] == "updated"
    after = site_row(commons, "a")
    assert after["version"] == 2
    assert after["area_m2"] == pytest.approx(2 * before["area_m2"], rel=0.01)


async def test_the_2020_parks_update_the_2015_ones_they_share_an_id_with(commons, post):
    await post(load("grand-rapids-parks-2015.geojson"), **PARKS)
    report = (await post(load("grand-rapids-parks-2020.geojson"), **PARKS)).json()
    # 63 ids in both files; one of them, refused in 2015 for crossing itself, is new here.
    assert (report["updated"], report["created"], report["unchanged"]) == (62, 27, 0)
    assert count(commons, "SELECT count(*) FROM site") == 74 + 27
    assert count(commons, "SELECT count(*) FROM outbox") == 74 + 62 + 27


async def test_utrecht_neighbourhoods_import_by_their_id_property(commons, post):
    answer = await post(
        load("utrecht-buurten.geojson"),
        kind="neighbourhood",
        timezone="Europe/Amsterdam",
        name_property="NAAM",
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["created"], report["refused"]) == (111, 0)
    assert report["features"][0]["external_id"] == "113"  # `"ID": 113.0` in the file
    site = site_row(commons, "113")
    assert site["name"] == "Welgelegen, Den Homm"
    assert site["attributes"] == {"ID": 113.0, "KODE": "0111", "WIJKKODE": "01"}
    assert count(commons, "SELECT count(*) FROM site WHERE kind = 'neighbourhood'") == 111
    assert count(commons, "SELECT count(*) FROM outbox") == 111


async def test_each_bad_feature_is_refused_with_its_reason_and_the_rest_imported(commons, post):
    bowtie = [[[5.10, 52.08], [5.11, 52.09], [5.11, 52.08], [5.10, 52.09], [5.10, 52.08]]]
    body = collection(
        feature("ok"),
        feature(None),
        feature("bowtie", bowtie),
        feature("unclosed", [SQUARE[0][:-1]]),
        feature("far", [[[5.1, 95.0], [5.2, 95.0], [5.2, 96.0], [5.1, 95.0]]]),
        {**feature("rd"), "crs": RD_NEW},
        {**feature("nowhere"), "geometry": None},
        {**feature("line"), "geometry": {"type": "LineString", "coordinates": SQUARE[0]}},
        feature("odd-kind", kind="Regional Park"),
        feature("nul", note="a\u0000b"),
        feature("nan", acreage=float("nan")),  # Python's JSON reads NaN; jsonb does not
        feature("x" * 201),
    )
    answer = await post(body)
    assert answer.status_code == 200, answer.text
    reasons = {f["external_id"]: (f["reason"] or {}).get("type") for f in answer.json()["features"]}
    assert reasons == {
        "ok": None,
        None: "missing_id",
        "bowtie": "invalid_geometry",
        "unclosed": "unclosed_ring",
        "far": "coordinates_out_of_range",
        "rd": "unsupported_crs",
        "nowhere": "missing_geometry",
        "line": "not_an_area",
        "odd-kind": "string_pattern_mismatch",
        "nul": "unstorable_value",
        "nan": "unstorable_value",
        "x" * 201: "id_too_long",
    }
    assert "Self-intersection" in answer.json()["features"][2]["reason"]["msg"]
    assert count(commons, "SELECT count(*) FROM site") == 1
    assert count(commons, "SELECT count(*) FROM outbox") == 1


async def test_a_feature_may_carry_its_own_kind_and_time_zone(commons, post):
    body = collection(feature("a", kind="garden", timezone="Europe/Warsaw", Name="Ogród"))
    report = (await post(body, kind="park")).json()
    assert report["created"] == 1
    row = "SELECT concat_ws('|', external_id, name, kind, timezone, attributes::text) FROM site"
    assert sql_value(commons.database_url, row) == "a|Ogród|garden|Europe/Warsaw|{}"


async def test_the_name_and_the_id_may_come_from_named_properties(commons, post):
    body = collection(feature(None, code="K-7", label="Park Lepelenburg", NAAM="ignored"))
    report = (await post(body, id_property="code", name_property="label")).json()
    assert report["features"][0]["external_id"] == "K-7"
    assert site_row(commons, "K-7")["name"] == "Park Lepelenburg"
    assert site_row(commons, "K-7")["attributes"] == {"code": "K-7", "NAAM": "ignored"}


async def test_the_same_id_twice_with_other_content_is_refused(commons, post):
    report = (await post(collection(feature("a", name="One"), feature("a", name="Two")))).json()
    assert [f["status"] for f in report["features"]] == ["created", "refused"]
    assert report["features"][1]["reason"]["type"] == "duplicate_id"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"type": "Feature", "geometry": None, "properties": {}}, 422, "not_a_feature_collection"),
        ([feature()], 422, "not_a_feature_collection"),
        ({"type": "FeatureCollection", "features": {"0": feature()}}, 422, "features_not_a_list"),
        (collection(feature(), crs=RD_NEW), 422, "unsupported_crs"),
        (collection(*[feature(str(i)) for i in range(10_001)]), 413, "too_many_features"),
    ],
)
async def test_a_body_that_is_no_usable_collection_is_refused_whole(
    commons, post, body, status, code
):
    answer = await post(body)
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"][0]["type"] == code
    assert count(commons, "SELECT count(*) FROM site") == 0


async def test_malformed_json_and_bad_parameters_are_refused(commons, staff, post):
    answer = await commons.client.post(
        "/sites/import",
        content=b'{"type": "FeatureCollection", "features": [',
        headers={**staff, "Content-Type": "application/geo+json"},
    )
    assert (answer.status_code, answer.json()["detail"][0]["type"]) == (400, "json_invalid")
    answer = await post(collection(feature()), timezone="Mars/Olympus_Mons")
    assert (answer.status_code, answer.json()["detail"][0]["type"]) == (422, "unknown_time_zone")
    answer = await post(collection(feature()), kind="Big Park")
    assert answer.status_code == 422
    assert count(commons, "SELECT count(*) FROM site") == 0


async def test_an_empty_collection_imports_nothing(post):
    answer = await post(collection())
    assert answer.status_code == 200
    assert answer.json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "refused": 0,
        "features": [],
    }


async def test_only_maintenance_staff_and_admins_import(commons, auth_header):
    body = collection(feature())
    citizen = await commons.client.post(
        "/sites/import", json=body, headers=auth_header("c", ["citizen"])
    )
    assert citizen.status_code == 403
    anonymous = await commons.client.post("/sites/import", json=body)
    assert anonymous.status_code == 401
    admin = await commons.client.post(
        "/sites/import", json=body, headers=auth_header("a", ["admin"])
    )
    assert admin.status_code == 200, admin.text
    assert count(commons, "SELECT count(*) FROM site") == 1


async def test_an_id_prefix_keeps_two_numbered_sources_apart(commons, post):
    """Utrecht numbers its neighbourhoods 1..N; another file numbered the same must not update them."""
    buurten = load("utrecht-buurten.geojson")
    first = await post(buurten, id_prefix="utrecht-buurten/")
    assert first.json()["created"] == 111
    other = {
        "type": "FeatureCollection",
        "features": [
            {**f, "properties": {**f["properties"], "name": "Elsewhere"}}
            for f in buurten["features"][:3]
        ],
    }
    second = await post(other, id_prefix="other-city/")
    assert second.json()["created"] == 3
    assert count(commons, "SELECT count(*) FROM site") == 114
    assert (
        count(
            commons, "SELECT count(*) FROM site WHERE starts_with(external_id, 'utrecht-buurten/')"
        )
        == 111
    )
