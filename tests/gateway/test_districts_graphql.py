"""Districts through the gateway, on the running suite: an officer imports a small collection,
anyone reads it back as GeoJSON; a file with a Point is refused naming the feature, and nothing is
stored; and a call limited to a district admits a project once commons announces that it stewards
a site inside (commons → NATS → grants, end to end)."""

import datetime as dt
import random
import uuid
from typing import Any

from tests.gateway.hours_setup import city_today, hours_project, wait_until

DISTRICT = "id name version geometry"
IMPORT = f"""mutation($fc: JSON!, $p: String!) {{
  importDistricts(featureCollection: $fc, nameProperty: $p) {{ __typename
    ... on ImportedDistricts {{ districts {{ {DISTRICT} }} repaired {{ index name problem }} }}
    ... on InvalidInput {{ code message fields {{ field message }} }}
    ... on UserError {{ code message }} }} }}"""
PAGE = f"""query($after: String) {{ districts(first: 100, after: $after) {{
  totalCount nodes {{ {DISTRICT} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
ONE = f"query($id: UUID!) {{ district(id: $id) {{ {DISTRICT} }} }}"
SITE = """mutation($input: CreateSiteInput!) { createSite(input: $input) {
  __typename ... on Site { id } } }"""
STEWARD = """mutation($s: UUID!, $p: UUID!, $d: Date!) { addStewardship(siteId: $s,
  input: {projectId: $p, startsOn: $d}) { __typename } }"""
CALL = """query($id: UUID!, $p: UUID!) { call(id: $id) { district { name }
  eligibility(projectId: $p) { eligible rules { rule met required actual } } } }"""


def data(answer) -> dict:
    body = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    return body["data"]


def square(lon: float, lat: float, size: float = 0.002) -> list[list[list[float]]]:
    return [
        [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    ]


def feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def all_districts(running_suite) -> dict[str, dict[str, Any]]:
    """Every district, page by page (other tests import theirs too), by name."""
    found: dict[str, dict[str, Any]] = {}
    after = None
    for _ in range(100):
        page = data(running_suite.graphql(PAGE, {"after": after}))["districts"]
        found.update({d["name"]: d for d in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("more than 100 pages of districts")


def test_an_officer_imports_districts_and_anyone_reads_them_back(running_suite):
    officer = running_suite.token(f"officer-{uuid.uuid4().hex[:6]}", ["grant_officer"])
    tag = uuid.uuid4().hex[:6]
    lon, lat = round(5.0 + random.random(), 4), round(52.0 + random.random(), 4)
    north = feature({"type": "Polygon", "coordinates": square(lon, lat)}, naam=f"Noord {tag}")
    two_parts = [square(lon, lat - 0.01), square(lon + 0.01, lat - 0.01)]
    south = feature({"type": "MultiPolygon", "coordinates": two_parts}, naam=f"Zuid {tag}")
    files = {"type": "FeatureCollection", "features": [north, south]}

    point = feature({"type": "Point", "coordinates": [lon, lat]}, naam=f"Punt {tag}")
    bad = {"type": "FeatureCollection", "features": [north, point]}
    refused = data(running_suite.graphql(IMPORT, {"fc": bad, "p": "naam"}, token=officer))
    refused = refused["importDistricts"]
    assert refused["__typename"] == "InvalidInput", refused
    assert [f["field"] for f in refused["fields"]] == ["features.1.geometry"]
    assert "not Point" in refused["fields"][0]["message"]
    assert f"Noord {tag}" not in all_districts(running_suite)  # nothing was stored
    citizen = running_suite.token(f"citizen-{tag}")
    denied = data(running_suite.graphql(IMPORT, {"fc": files, "p": "naam"}, token=citizen))
    assert denied["importDistricts"]["__typename"] == "NotAuthorized"

    done = data(running_suite.graphql(IMPORT, {"fc": files, "p": "naam"}, token=officer))
    done = done["importDistricts"]
    assert done["__typename"] == "ImportedDistricts", done
    assert sorted(d["name"] for d in done["districts"]) == [f"Noord {tag}", f"Zuid {tag}"]
    assert done["repaired"] == []

    listed = all_districts(running_suite)  # anonymous: districts are public
    zuid = listed[f"Zuid {tag}"]
    assert zuid["geometry"]["type"] == "MultiPolygon"
    assert len(zuid["geometry"]["coordinates"]) == 2
    one = data(running_suite.graphql(ONE, {"id": listed[f"Noord {tag}"]["id"]}))["district"]
    rounded = [[[round(x, 7) for x in p] for p in ring] for ring in square(lon, lat)]
    assert one["geometry"] == {"type": "MultiPolygon", "coordinates": [rounded]}
    assert data(running_suite.graphql(ONE, {"id": str(uuid.uuid4())}))["district"] is None

    # The same names again: refused, one field per feature.
    again = data(running_suite.graphql(IMPORT, {"fc": files, "p": "naam"}, token=officer))
    fields = [f["field"] for f in again["importDistricts"]["fields"]]
    assert fields == ["features.0.properties.naam", "features.1.properties.naam"]


def test_a_district_call_admits_a_project_stewarding_a_site_inside(running_suite):
    officer = running_suite.token(f"officer-{uuid.uuid4().hex[:6]}", ["grant_officer"])
    staff = running_suite.token(f"staff-{uuid.uuid4().hex[:6]}", ["maintenance"])
    tag = uuid.uuid4().hex[:6]
    lon, lat = round(5.0 + random.random(), 4), round(52.0 + random.random(), 4)
    district = feature(
        {"type": "Polygon", "coordinates": square(lon, lat, 0.01)}, name=f"Wijk {tag}"
    )
    fc = {"type": "FeatureCollection", "features": [district]}
    imported = data(running_suite.graphql(IMPORT, {"fc": fc, "p": "name"}, token=officer))
    district_id = imported["importDistricts"]["districts"][0]["id"]

    today = city_today()
    terms = {
        "title": f"Groen in de wijk {tag}",
        "budget": "1000.00",
        "min_award": "10.00",
        "max_award": "100.00",
        "opens_on": str(today - dt.timedelta(days=1)),
        "closes_on": str(today + dt.timedelta(days=30)),
        "district_id": district_id,
    }
    grants = running_suite.suite.url("grants")
    drafted = running_suite.http.post(
        f"{grants}/calls", json=terms, headers={"Authorization": f"Bearer {officer}"}
    )
    assert drafted.status_code == 201, drafted.text
    call_id = drafted.json()["id"]
    published = running_suite.graphql(
        "mutation($id: UUID!) { publishCall(id: $id) { __typename } }",
        {"id": call_id},
        token=officer,
    )
    assert data(published)["publishCall"] == {"__typename": "FundingCall"}

    project = hours_project(running_suite, skill=0)
    garden = {
        "name": f"Buurttuin {tag}",
        "kind": "garden",
        "geometry": {"type": "Polygon", "coordinates": square(lon + 0.004, lat + 0.004, 0.001)},
    }
    site = data(running_suite.graphql(SITE, {"input": garden}, token=staff))["createSite"]
    assert site["__typename"] == "Site", site

    def standing() -> dict[str, Any]:
        answer = running_suite.graphql(CALL, {"id": call_id, "p": project.id}, token=officer)
        return data(answer)["call"]

    before = standing()
    assert before["district"] == {"name": f"Wijk {tag}"}
    [rule] = before["eligibility"]["rules"]
    assert (rule["rule"], rule["met"], rule["required"]) == ("district", False, f"Wijk {tag}")
    assert rule["actual"] == "no stewarded site inside"

    def stewarded() -> bool:  # once commons has learnt of the project (spaces' event)
        variables = {"s": site["id"], "p": project.id, "d": str(today - dt.timedelta(days=7))}
        answer = running_suite.graphql(STEWARD, variables, token=staff)
        return data(answer)["addStewardship"]["__typename"] == "Stewardship"

    wait_until(stewarded, "commons never took the stewardship")
    wait_until(
        lambda: standing()["eligibility"]["eligible"],
        "grants never learnt that the project stewards a site in the district",
    )
    [rule] = standing()["eligibility"]["rules"]
    assert (rule["met"], rule["actual"]) == (True, f"Buurttuin {tag}")
