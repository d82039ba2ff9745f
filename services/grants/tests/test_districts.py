"""Districts on the real PostGIS and NATS: Utrecht's 111 buurten imported whole or not at all, and
the district rule of a call, from commons' site and stewardship events as they arrive."""

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from shapely.geometry import shape
from sqlalchemy import create_engine

from grants.main import metadata
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated, StewardshipChanged
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.settings import Mode, ServiceSettings
from meent_shared.testing.helpers import publish_events, sql_value, wait_for

DATA = Path(__file__).parents[3] / "tests" / "data"
SQUARE = [[[5.10, 52.08], [5.11, 52.08], [5.11, 52.09], [5.10, 52.09], [5.10, 52.08]]]
BOWTIE = [[[5.20, 52.08], [5.21, 52.09], [5.21, 52.08], [5.20, 52.09], [5.20, 52.08]]]
# The Dutch national grid, as ogr2ogr writes it into files it did not reproject.
RD_NEW = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
OUR_TABLES = {"district", "known_site", "site_stewardship"}
A_CALL = {
    "title": "Groen in de wijk",
    "budget": "1000.00",
    "min_award": "10.00",
    "max_award": "100.00",
    "opens_on": "2030-01-01",
    "closes_on": "2030-03-01",
}
TODAY = ServiceSettings(mode=Mode.local).today()  # the city's today, as grants reckons it


def buurten() -> dict[str, Any]:
    return json.loads((DATA / "utrecht-buurten.geojson").read_text())


def inside(feature: dict[str, Any]) -> tuple[float, float]:
    """A point inside the feature's area, as commons announces a site's `centroid`."""
    point = shape(feature["geometry"]).representative_point()
    return point.x, point.y


def area(name: str, coordinates: Any = SQUARE, kind: str = "Polygon") -> dict[str, Any]:
    geometry = {"type": kind, "coordinates": coordinates}
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def site(site_id: uuid.UUID, at: tuple[float, float], version: int = 1, name: str = "Tuin"):
    event = SiteCreated if version == 1 else SiteUpdated
    return event(
        site_id=site_id,
        version=version,
        name=name,
        kind="garden",
        timezone="Europe/Amsterdam",
        area_m2=400.0,
        bbox=(at[0] - 0.001, at[1] - 0.001, at[0] + 0.001, at[1] + 0.001),
        centroid=at,
    )


def stewardship(
    stewardship_id: uuid.UUID,
    project_id: uuid.UUID,
    site_id: uuid.UUID,
    version: int = 1,
    ends_on: dt.date | None = None,
) -> StewardshipChanged:
    return StewardshipChanged(
        stewardship_id=stewardship_id,
        version=version,
        site_id=site_id,
        project_id=project_id,
        starts_on=TODAY - dt.timedelta(days=100),
        ends_on=ends_on,
    )


async def imported(world, body: dict[str, Any], **params: str) -> dict[str, Any]:
    answer = await world.grants.client.post(
        "/districts/import", json=body, params=params, headers=world.officer
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def districts_stored(world) -> int:
    return sql_value(world.grants.database_url, "SELECT count(*) FROM district")


async def test_utrecht_buurten_import_by_their_naam_property_and_read_back(grants_world):
    world = await grants_world()
    grants = world.grants
    # Their names are under NAAM: with the default property, each feature is refused by itself.
    unnamed = await grants.client.post("/districts/import", json=buurten(), headers=world.officer)
    assert unnamed.status_code == 422, unnamed.text
    errors = unnamed.json()["detail"]
    assert [e["loc"] for e in errors] == [
        ["body", "features", i, "properties", "name"] for i in range(111)
    ]
    assert {e["type"] for e in errors} == {"missing_name"}
    assert districts_stored(world) == 0

    answer = await imported(world, buurten(), name_property="NAAM")
    assert (answer["count"], answer["repaired"]) == (111, [])
    listed = (await grants.client.get("/districts", params={"limit": 500})).json()
    assert (listed["count"], len(listed["data"]), listed["truncated"]) == (111, 111, False)
    names = [d["name"] for d in listed["data"]]
    assert names == sorted(names) and "Welgelegen, Den Homm" in names
    first = next(d for d in listed["data"] if d["name"] == "Welgelegen, Den Homm")
    one = (await grants.client.get(f"/districts/{first['id']}")).json()  # no token: public
    assert one["geometry"]["type"] == "MultiPolygon"
    source = buurten()["features"][0]["geometry"]["coordinates"][0]
    assert one["geometry"]["coordinates"][0][0][0] == [round(c, 7) for c in source[0]]
    assert len(one["geometry"]["coordinates"][0][0]) == len(source)

    # The same file again: every name exists already, and nothing more is stored.
    again = await grants.client.post(
        "/districts/import", json=buurten(), params={"name_property": "NAAM"}, headers=world.officer
    )
    assert again.status_code == 422
    assert {e["type"] for e in again.json()["detail"]} == {"district_exists"}
    assert districts_stored(world) == 111
    unknown = await grants.client.get(f"/districts/{uuid.uuid4()}")
    assert unknown.status_code == 404


async def test_the_officer_finds_their_imports_in_their_export_and_erasure_hides_them(grants_world):
    world = await grants_world()
    grants = world.grants
    await imported(world, collection(area("Oost"), area("West", BOWTIE)))
    export = await grants.client.get("/people/me/export", headers=world.officer)
    assert export.status_code == 200, export.text
    rows = export.json()["rows"]["district.created_by"]
    assert sorted(r["name"] for r in rows) == ["Oost", "West"]
    assert all("geom" not in r for r in rows)  # the area is not about the person
    await publish_events(
        grants.settings.nats_url, [PersonErased(person_id="gina", pseudonym="erased:1", version=2)]
    )
    await wait_for(
        lambda: _is(grants, "SELECT bool_and(created_by = 'erased:1') FROM district"),
        what="the officer's name to go from the districts",
    )


async def test_a_bad_feature_refuses_the_whole_file_naming_each_bad_feature(grants_world):
    world = await grants_world()
    grants = world.grants
    line = area("Lijn", SQUARE[0], "LineString")
    point = area("Punt", [5.1, 52.1], "Point")
    no_name = {**area("x"), "properties": {"NAAM": "Oost"}}
    rd_new = {**area("Rijksdriehoek"), "crs": RD_NEW}
    unclosed = area("Open", [SQUARE[0][:-1]])
    body = collection(
        area("Oost"), line, point, no_name, area("Oost"), rd_new, unclosed, area("West")
    )
    answer = await grants.client.post("/districts/import", json=body, headers=world.officer)
    assert answer.status_code == 422, answer.text
    refused = {e["loc"][2]: (e["type"], e["loc"][3:]) for e in answer.json()["detail"]}
    assert refused == {
        1: ("not_an_area", ["geometry"]),
        2: ("not_an_area", ["geometry"]),
        3: ("missing_name", ["properties", "name"]),
        4: ("duplicate_name", ["properties", "name"]),
        5: ("unsupported_crs", ["crs"]),
        6: ("unclosed_ring", ["geometry"]),
    }
    assert "Feature 1: Geometry must be a Polygon or MultiPolygon, not LineString" in answer.text
    assert districts_stored(world) == 0

    # Wholly unusable bodies, and bodies beyond the bounds.
    for bad, status, loc in [
        ([area("Oost")], 422, ["body", "type"]),
        ({**collection(area("Oost")), "crs": RD_NEW}, 422, ["body", "crs"]),
        (collection(), 422, ["body", "features"]),
        (collection(*[area(f"d{i}") for i in range(1001)]), 413, ["body", "features"]),
    ]:
        answer = await grants.client.post("/districts/import", json=bad, headers=world.officer)
        assert answer.status_code == status, answer.text
        assert answer.json()["detail"][0]["loc"] == loc
    huge = collection(area("Groot", [SQUARE[0] * 30_000]))
    too_large = await grants.client.post("/districts/import", json=huge, headers=world.officer)
    assert too_large.status_code == 413  # the body limit, before anything is read
    citizen = await grants.client.post(
        "/districts/import", json=collection(area("Oost")), headers=world.auth_header("cito")
    )
    assert citizen.status_code == 403
    assert (
        await grants.client.post("/districts/import", json=collection(area("Oost")))
    ).status_code == 401
    assert districts_stored(world) == 0

    # A ring that crosses itself is made valid, and the import says so; a hole stays a hole.
    holed = area(
        "Met gat", [SQUARE[0], [[5.103, 52.083], [5.104, 52.083], [5.104, 52.084], [5.103, 52.083]]]
    )
    done = await imported(world, collection(area("Vlinder", BOWTIE), holed))
    assert [(r["index"], r["name"]) for r in done["repaired"]] == [(0, "Vlinder")]
    assert "Self-intersection" in done["repaired"][0]["problem"]
    shapes = {d["name"]: d["geometry"] for d in done["data"]}
    assert len(shapes["Vlinder"]["coordinates"]) == 2  # the bow tie's two wings
    assert len(shapes["Met gat"]["coordinates"][0]) == 2  # outer ring and hole


async def test_a_district_call_admits_projects_stewarding_a_site_inside_it(grants_world):
    world = await grants_world()
    grants, nats = world.grants, world.grants.settings.nats_url
    await imported(world, buurten(), name_property="NAAM")
    features = buurten()["features"]
    welgelegen, elsewhere = features[0], features[1]
    district_id = sql_value(
        grants.database_url, "SELECT id FROM district WHERE name = %s", "Welgelegen, Den Homm"
    )
    inside_site, outside_site = uuid.uuid4(), uuid.uuid4()
    inside_project, outside_project = await world.announce_projects(2)
    tending = uuid.uuid4()
    await publish_events(
        nats,
        [
            site(inside_site, inside(welgelegen), name="Moestuin Welgelegen"),
            site(outside_site, inside(elsewhere), name="Pluktuin"),
            stewardship(tending, inside_project.project_id, inside_site),
            stewardship(uuid.uuid4(), outside_project.project_id, outside_site),
        ],
    )

    async def stewardships(count: int) -> bool:
        query = "SELECT count(*) FROM site_stewardship s JOIN known_site k USING (site_id)"
        return sql_value(grants.database_url, query) == count

    await wait_for(lambda: stewardships(2), what="grants to learn of the sites and stewards")
    terms = {**A_CALL, "district_id": str(uuid.uuid4())}
    unknown = await grants.client.post("/calls", json=terms, headers=world.officer)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "district_id"]
    call = await world.open_call(district_id=str(district_id))

    async def district_check(project) -> dict[str, Any]:
        answer = await grants.client.get(
            f"/calls/{call['id']}/eligibility", params={"project_id": str(project.project_id)}
        )
        [rule] = answer.json()["rules"]
        return rule

    rule = await district_check(inside_project)
    assert (rule["rule"], rule["met"], rule["actual"]) == ("district", True, "Moestuin Welgelegen")
    assert rule["required"] == "Welgelegen, Den Homm"
    outside, _ = await _submit(world, call["id"], outside_project)
    assert outside.status_code == 422, outside.text
    [problem] = outside.json()["detail"]
    assert (problem["type"], problem["loc"]) == ("not_eligible", ["rule", "district"])
    assert "Welgelegen, Den Homm" in problem["msg"]

    # The stewardship ended yesterday: it no longer counts.
    ended = stewardship(
        tending, inside_project.project_id, inside_site, 2, TODAY - dt.timedelta(days=1)
    )
    await publish_events(nats, [ended])
    await wait_for(
        lambda: _is(
            grants,
            "SELECT ends_on IS NOT NULL FROM site_stewardship WHERE stewardship_id = %s",
            tending,
        ),
        what="the end of the stewardship",
    )
    assert (await district_check(inside_project))["actual"] == "no stewarded site inside"
    refused, application_id = await _submit(world, call["id"], inside_project)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["rule", "district"]

    # A new stewardship of the site: eligible again, and the application goes in.
    await publish_events(nats, [stewardship(uuid.uuid4(), inside_project.project_id, inside_site)])
    await wait_for(lambda: stewardships(3), what="the new stewardship")
    submitted = await grants.client.post(
        f"/applications/{application_id}/submit",
        headers=world.auth_header(inside_project.coordinator),
    )
    assert submitted.status_code == 200, submitted.text


async def test_an_older_or_repeated_site_event_changes_nothing(grants_world):
    world = await grants_world()
    grants, nats = world.grants, world.grants.settings.nats_url
    await imported(world, buurten(), name_property="NAAM")
    features = buurten()["features"]
    first, second = (
        sql_value(
            grants.database_url, "SELECT id FROM district WHERE name = %s", f["properties"]["NAAM"]
        )
        for f in features[:2]
    )
    moved = uuid.uuid4()
    created, updated = (
        site(moved, inside(features[0])),
        site(moved, inside(features[1]), 2, "Verhuisd"),
    )
    await publish_events(nats, [created, updated])
    await wait_for(
        lambda: _is(grants, "SELECT version = 2 FROM known_site WHERE site_id = %s", moved),
        what="the site's move",
    )
    # The first announcement again (a redelivery, a replay or a republish), then a marker.
    marker = uuid.uuid4()
    await publish_events(nats, [created, created, site(marker, inside(features[5]))])
    await wait_for(
        lambda: _is(grants, "SELECT count(*) = 1 FROM known_site WHERE site_id = %s", marker),
        what="the marker site",
    )

    async def sites_in(district_id) -> list[tuple[str, str]]:
        answer = await grants.client.get(f"/districts/{district_id}/sites")
        assert answer.status_code == 200, answer.text
        return [(s["site_id"], s["name"]) for s in answer.json()["data"]]

    assert await sites_in(first) == []
    assert await sites_in(second) == [(str(moved), "Verhuisd")]
    assert (
        sql_value(grants.database_url, "SELECT count(*) FROM known_site WHERE site_id = %s", moved)
        == 1
    )


def test_the_migration_makes_what_the_district_and_site_models_describe(make_database):
    url = make_database("grants").replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    options = {"include_object": alembic_helpers.include_object, "compare_type": True}
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection, opts=options), metadata)
    engine.dispose()
    ours = [d for d in diffs if _table_of(d) in OUR_TABLES]
    assert ours == []


def _table_of(diff: Any) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item:
        if isinstance(part, str) and part in OUR_TABLES:
            return part
        table = getattr(part, "table", part)
        if isinstance(getattr(table, "name", None), str):
            return str(table.name)
    return None


async def _is(grants, query: str, *params: Any) -> bool:
    return bool(sql_value(grants.database_url, query, *params))


async def _submit(world, call_id: str, project) -> tuple[Any, str]:
    """Draft an application of the project (its coordinator) and submit it."""
    coordinator = world.auth_header(project.coordinator)
    body = world.application_body(call_id, project)
    drafted = await world.grants.client.post("/applications", json=body, headers=coordinator)
    assert drafted.status_code == 201, drafted.text
    application_id = drafted.json()["id"]
    answer = await world.grants.client.post(
        f"/applications/{application_id}/submit", headers=coordinator
    )
    return answer, application_id
