"""commons through GraphQL, against the running suite: typed errors a map editor acts on."""

import datetime as dt

SITE = """mutation($input: CreateSiteInput!) { createSite(input: $input) {
  __typename ... on Site { id areaM2 } ... on InvalidGeometry { code message } } }"""
PERIOD = """mutation($siteId: UUID!, $input: UsePeriodInput!) { addUsePeriod(siteId: $siteId, input: $input) {
  __typename ... on UsePeriod { id status }
  ... on ScheduleConflict { conflictingPeriodId conflictingUse firstOverlap message } } }"""
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.649, 54.3507],
            [18.649, 54.352],
            [18.6466, 54.352],
            [18.6466, 54.3507],
        ]
    ],
}


def create_coal_square(suite, token):
    site = suite.graphql(
        SITE,
        {
            "input": {
                "name": "Plac Węglowy (GraphQL)",
                "kind": "square",
                "timezone": "Europe/Warsaw",
                "geometry": SQUARE,
            }
        },
        token=token,
    ).json()["data"]["createSite"]
    periods = [
        {"use": "parking", "priority": 0, "startsOn": "2020-01-01"},
        {
            "use": "recreation",
            "priority": 10,
            "startsOn": "2024-05-01",
            "endsOn": "2024-09-30",
            "rule": "FREQ=YEARLY",
        },
    ]
    ids = []
    for period in periods:
        made = suite.graphql(PERIOD, {"siteId": site["id"], "input": period}, token=token)
        ids.append(made.json()["data"]["addUsePeriod"]["id"])
    return site["id"], ids


def test_schedule_conflicts_and_bad_geometry_are_typed_results(running_suite):
    staff = running_suite.token("marek", ["maintenance"])
    site_id, (_, recreation_id) = create_coal_square(running_suite, staff)
    september = dt.date.today().year + 1  # within the ten years conflicts are looked for
    market = {
        "use": "market",
        "priority": 10,
        "startsOn": f"{september}-09-25",
        "endsOn": f"{september}-10-05",
    }
    conflict = running_suite.graphql(PERIOD, {"siteId": site_id, "input": market}, token=staff)
    result = conflict.json()["data"]["addUsePeriod"]
    assert result["__typename"] == "ScheduleConflict"
    assert result["conflictingPeriodId"] == recreation_id
    assert result["conflictingUse"] == "recreation"
    assert result["firstOverlap"] == f"{september}-09-25"
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    bad = running_suite.graphql(
        SITE, {"input": {"name": "x", "kind": "square", "geometry": bow_tie}}, token=staff
    ).json()["data"]["createSite"]
    assert bad["__typename"] == "InvalidGeometry"
    assert "Self-intersection" in bad["message"]


def test_a_site_timeline_and_its_use_on_a_date(running_suite):
    staff = running_suite.token("marek", ["maintenance"])
    site_id, _ = create_coal_square(running_suite, staff)
    query = """query($id: UUID!) { siteTimeline(siteId: $id, from: "2026-04-01", to: "2026-11-01") { use start }
      site(id: $id) { useAt(at: "2026-07-15T12:00:00+02:00") { use } calendarUrl } }"""
    data = running_suite.graphql(query, {"id": site_id}).json()["data"]
    assert [s["use"] for s in data["siteTimeline"]] == ["parking", "recreation", "parking"]
    assert data["siteTimeline"][1]["start"] == "2026-05-01T00:00:00+02:00"
    assert data["site"]["useAt"]["use"] == "recreation"
    assert data["site"]["calendarUrl"].endswith(f"/calendars/sites/{site_id}.ics")
    july = f"{dt.date.today().year}-07-15"
    parks = running_suite.graphql(
        'query($on: Date!) { sites(bbox: [18.6, 54.3, 18.7, 54.4], useOn: $on, use: "recreation", first: 50) { nodes { id use } } }',
        {"on": july},
    ).json()["data"]["sites"]["nodes"]
    assert {"id": site_id, "use": "recreation"} in parks
    geojson = running_suite.graphql(
        "query($on: Date!) { sitesGeoJSON(bbox: [18.6, 54.3, 18.7, 54.4], date: $on) }",
        {"on": july},
    ).json()["data"]["sitesGeoJSON"]
    uses = {f["id"]: f["properties"]["use"] for f in geojson["features"]}
    assert uses[site_id] == "recreation"


def test_use_on_a_day_and_a_truncated_map_answer(running_suite):
    staff = running_suite.token("marek", ["maintenance"])
    site_id, _ = create_coal_square(running_suite, staff)
    data = running_suite.graphql(
        'query($id: UUID!) { site(id: $id) { july: useOn(date: "2026-07-15") { use } '
        'october: useOn(date: "2026-10-15") { use } } }',
        {"id": site_id},
    ).json()["data"]["site"]
    assert (data["july"]["use"], data["october"]["use"]) == ("recreation", "parking")
    far = running_suite.graphql(
        'query($id: UUID!) { site(id: $id) { useOn(date: "0001-01-01") { use } } }', {"id": site_id}
    ).json()
    [error] = far["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["argument"] == "date", error  # not `at`, which useOn has not
    one = running_suite.graphql("{ sitesGeoJSON(bbox: [-180, -90, 180, 90], limit: 1) }")
    collection = one.json()["data"]["sitesGeoJSON"]
    assert len(collection["features"]) == 1
    assert collection["truncated"] is True  # more sites exist than the one asked for


def test_the_2015_parks_import_through_graphql(running_suite):
    import json
    from pathlib import Path

    parks = json.loads(
        (Path(__file__).parents[1] / "data" / "grand-rapids-parks-2015.geojson").read_text()
    )
    query = """mutation($fc: JSON!, $all: Boolean!) { importSites(featureCollection: $fc,
      timezone: "America/Detroit", allOrNothing: $all, repair: true) { __typename
      ... on ImportReport { stored created refused features { index status reason { type } } } } }"""
    staff = running_suite.token("gis-team", ["maintenance"])
    refused = running_suite.graphql(query, {"fc": parks, "all": True}, token=staff)
    report = refused.json()["data"]["importSites"]
    assert report["stored"] is False and report["refused"] == 2
    imported = running_suite.graphql(query, {"fc": parks, "all": False}, token=staff)
    report = imported.json()["data"]["importSites"]
    assert report["stored"] is True
    assert [
        (f["index"], f["reason"]["type"]) for f in report["features"] if f["status"] == "refused"
    ] == [(79, "not_an_area"), (80, "not_an_area")]
    assert report["created"] == 75
