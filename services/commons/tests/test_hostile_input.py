"""Input found by fuzzing the running suite that commons answered with a 500: each is now a 4xx
in the one error shape that names what was wrong, and stores nothing."""

import json

import pytest

from meent_shared.testing.helpers import sql_value

SQUARE = [[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]
A_SITE = {
    "name": "Plac",
    "kind": "square",
    "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
}


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


@pytest.fixture
def staff(auth_header):
    return {**auth_header("marek", ["maintenance"]), "Content-Type": "application/json"}


def count(commons, table: str) -> int:
    return sql_value(commons.database_url, f"SELECT count(*) FROM {table}")


def refusal(answer, status: int = 422) -> dict:
    assert answer.status_code == status, answer.text
    [item] = answer.json()["detail"]
    return item


async def test_attributes_postgresql_cannot_store_are_refused_by_name(commons, staff):
    deep: object = "bottom"
    for _ in range(40):
        deep = [deep]
    # Raw JSON: Python's parser reads NaN and lone surrogates, as the service's does.
    for attributes in (
        '{"note": "a\\u0000b"}',
        '{"a\\u0000": 1}',
        '{"acreage": NaN}',
        '{"x": "\\ud800"}',
        json.dumps({"deep": deep}),
    ):
        body = json.dumps(A_SITE)[:-1] + f', "attributes": {attributes}}}'
        item = refusal(await commons.client.post("/sites", content=body, headers=staff))
        assert (item["loc"], item["type"]) == (["body", "attributes"], "unstorable_value"), (
            attributes
        )
    assert count(commons, "site") == count(commons, "outbox") == 0


async def test_changing_attributes_to_unstorable_ones_changes_nothing(commons, staff):
    site = (await commons.client.post("/sites", json=A_SITE, headers=staff)).json()
    body = '{"attributes": {"k": "\\udfff"}, "name": "Renamed"}'
    item = refusal(await commons.client.patch(f"/sites/{site['id']}", content=body, headers=staff))
    assert item["loc"] == ["body", "attributes"]
    assert sql_value(commons.database_url, "SELECT name FROM site") == "Plac"
    assert sql_value(commons.database_url, "SELECT max(version) FROM site") == 1


@pytest.mark.parametrize("parameter", ["kind", "use"])
async def test_a_kind_or_use_with_a_nul_is_a_422(commons, parameter):
    answer = await commons.client.get(
        "/sites", params={parameter: "park\u0000", "on": "2030-01-01"}
    )
    assert refusal(answer)["loc"] == ["query", parameter]


@pytest.mark.parametrize("person", ["anna%00", "anna%07", "anna%20smith", "a" * 256])
async def test_a_team_member_is_named_by_a_subject_without_controls_or_spaces(
    commons, staff, person
):
    team = (await commons.client.post("/teams", json={"name": "Groen"}, headers=staff)).json()
    answer = await commons.client.put(f"/teams/{team['id']}/members/{person}", headers=staff)
    assert refusal(answer)["loc"] == ["path", "person_id"]
    assert count(commons, "team_member") == 0


async def test_a_time_of_day_with_a_utc_offset_is_refused(commons, staff):
    site = (await commons.client.post("/sites", json=A_SITE, headers=staff)).json()
    period = {
        "use": "market",
        "starts_on": "2030-05-04",
        "day_starts_at": "08:00:00+02:00",
        "day_ends_at": "14:00:00Z",
    }
    answer = await commons.client.post(f"/sites/{site['id']}/periods", json=period, headers=staff)
    assert answer.status_code == 422, answer.text
    assert {(tuple(i["loc"]), i["type"]) for i in answer.json()["detail"]} == {
        (("body", "day_starts_at"), "time_with_offset"),
        (("body", "day_ends_at"), "time_with_offset"),
    }
    assert count(commons, "use_period") == count(commons, "use_occurrence") == 0


async def test_a_stewardship_outside_the_calendar_is_refused(commons, staff):
    site = (await commons.client.post("/sites", json=A_SITE, headers=staff)).json()
    project = sql_value(
        commons.database_url,
        "INSERT INTO known_project (project_id, name, slug, version) "
        "VALUES (gen_random_uuid(), 'P', 'p', 1) RETURNING project_id::text",
    )
    body = {"project_id": project, "starts_on": "0001-01-01", "ends_on": "9999-12-31"}
    answer = await commons.client.post(f"/sites/{site['id']}/stewards", json=body, headers=staff)
    assert answer.status_code == 422, answer.text
    assert {i["type"] for i in answer.json()["detail"]} == {"date_out_of_range"}
    assert count(commons, "stewardship") == 0


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (
            {"type": "Polygon", "coordinates": [SQUARE], "crs": {"properties": [1]}},
            "unsupported_crs",
        ),
        (
            {"type": "Polygon", "coordinates": [SQUARE], "crs": {"properties": "EPSG:4326"}},
            "unsupported_crs",
        ),
        (
            {"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, -90]]]},
            "antipodal_edge",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 10], [180, -10], [90, 45], [0, 10]]]},
            "antipodal_edge",
        ),
    ],
)
async def test_geometry_postgis_cannot_read_is_refused_by_name(commons, staff, geometry, code):
    answer = await commons.client.post(
        "/sites", json={**A_SITE, "geometry": geometry}, headers=staff
    )
    assert refusal(answer)["type"] == code
    assert count(commons, "site") == 0


async def test_positions_mixing_heights_and_none_make_a_flat_area(commons, staff):
    ring = [[18.6466, 54.3507, 3.0], [18.649, 54.3507], [18.649, 54.352, 1.5], [18.6466, 54.3507]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    answer = await commons.client.post(
        "/sites", json={**A_SITE, "geometry": geometry}, headers=staff
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["geometry"]["coordinates"] == [[SQUARE]]


def feature(id_: str, properties: str = '{"name": "Park"}', geometry: object = None) -> str:
    geometry = geometry or {"type": "Polygon", "coordinates": [SQUARE]}
    return f'{{"type": "Feature", "id": "{id_}", "properties": {properties}, "geometry": {json.dumps(geometry)}}}'


async def test_an_imported_feature_that_is_no_text_is_refused_and_the_rest_imported(commons, staff):
    features = [feature("\\ud800"), feature("b", '{"name": "P", "\\udc00": 1}'), feature("ok")]
    body = f'{{"type": "FeatureCollection", "features": [{", ".join(features)}]}}'
    answer = await commons.client.post("/sites/import", content=body, headers=staff)
    assert answer.status_code == 200, answer.text
    outcomes = answer.json()["features"]
    assert [(o["status"], (o["reason"] or {}).get("type")) for o in outcomes] == [
        ("refused", "invalid_json_text"),
        ("refused", "invalid_json_text"),
        ("created", None),
    ]
    assert count(commons, "site") == count(commons, "outbox") == 1


async def test_a_repaired_import_refuses_what_is_no_geometry_at_all(commons, staff):
    broken = {"type": "Polygon", "coordinates": [[[1, 2], "here", [3, 4], [1, 2]]]}
    body = f'{{"type": "FeatureCollection", "features": [{feature("broken", geometry=broken)}]}}'
    answer = await commons.client.post("/sites/import?repair=true", content=body, headers=staff)
    assert answer.status_code == 200, answer.text
    [outcome] = answer.json()["features"]
    assert (outcome["status"], outcome["reason"]["type"]) == ("refused", "invalid_geometry")
    assert count(commons, "site") == 0
