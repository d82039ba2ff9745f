"""A read whose answer is larger than the gateway passes on is refused with a code that says so
(RESULT_TOO_LARGE: ask for less), not parsed and written out again while every other request
waits. Real commons (the running suite's), and a gateway whose limit is set small."""

import math

import pytest

GQL = {"Accept": "application/graphql-response+json"}
SMALL_LIMIT = 64 * 1024
WHERE = [-150.02, -40.02, -149.98, -39.98]  # out at sea, where no other test puts a site
GEOJSON = f"{{ sitesGeoJSON(bbox: {WHERE}, limit: 10) }}"


def circle(vertices: int) -> dict:
    points = [
        [
            round(-150 + 0.01 * math.cos(2 * math.pi * i / vertices), 7),
            round(-40 + 0.01 * math.sin(2 * math.pi * i / vertices), 7),
        ]
        for i in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*points, points[0]]]}


@pytest.fixture(scope="module")
def detailed_site(running_suite) -> str:
    """A site of 5,000 vertices: about 200 KB of GeoJSON."""
    token = running_suite.token("answer-size", ["maintenance", "admin"])
    answer = running_suite.graphql(
        "mutation($input: CreateSiteInput!) { createSite(input: $input) { ... on Site { id } } }",
        {"input": {"name": "Detailed shore", "kind": "park", "geometry": circle(5000)}},
        token=token,
    )
    return answer.json()["data"]["createSite"]["id"]


@pytest.fixture
async def small_gateway(start_service, running_suite):
    return await start_service(
        "gateway",
        run_workers=False,
        commons_url=running_suite.suite.url("commons"),
        max_service_answer_bytes=SMALL_LIMIT,
    )


@pytest.mark.parametrize(
    "query", [GEOJSON, f"{{ sites(bbox: {WHERE}) {{ nodes {{ geometry }} }} }}"]
)
async def test_an_answer_over_the_limit_is_refused_with_a_code(small_gateway, detailed_site, query):
    answer = await small_gateway.client.post("/graphql", json={"query": query}, headers=GQL)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "RESULT_TOO_LARGE", "service": "commons"}
    assert error["message"] == (
        "The answer from commons is larger than the 0.0625 MiB the gateway passes on: ask for "
        "less (a smaller bbox, limit or page; for a map of many sites, the vector tiles at /tiles)."
    )


async def test_an_answer_under_the_limit_passes(small_gateway, detailed_site):
    elsewhere = [-150.2, -40.2, -150.1, -40.1]  # beside the detailed site: nothing there
    query = f"{{ sitesGeoJSON(bbox: {elsewhere}) }}"
    answer = await small_gateway.client.post("/graphql", json={"query": query})
    assert answer.json()["data"]["sitesGeoJSON"]["features"] == []


def test_the_default_limit_lets_a_detailed_site_through(running_suite, detailed_site):
    collection = running_suite.graphql(GEOJSON).json()["data"]["sitesGeoJSON"]
    assert [f["id"] for f in collection["features"]] == [detailed_site]
