"""A page of sites is bounded by its vertices as well as by `limit`: it stops early, says so,
and an honest client that pages on gets every site exactly once."""

import datetime as dt
import json

import pytest

from meent_shared.testing.helpers import sql_value

BIG = 99_001  # vertices of each large park: just under one area's 100,000
ANSWER_VERTICES = 200_000  # a page's default bound


def add_round_parks(database_url: str, count: int, vertices: int) -> None:
    """`count` round parks of `vertices` positions each, side by side, straight into the table."""
    quadrant_segments = (vertices - 1) // 4
    sql_value(
        database_url,
        f"""
        WITH added AS (
            INSERT INTO site (id, name, kind, description, timezone, geom, area_m2, attributes,
                              version)
            SELECT gen_random_uuid(), 'Park ' || lpad(i::text, 3, '0'), 'park', '', 'Europe/Warsaw',
                   ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(18.6 + i * 0.03, 54.35), 4326),
                                      0.01, 'quad_segs={quadrant_segments}')),
                   1000, '{{}}', 1
            FROM generate_series(1, {count}) AS i
            RETURNING 1
        ) SELECT count(*) FROM added
        """,
    )


def vertices_of(features: list[dict]) -> int:
    return sum(len(ring) for f in features for p in f["geometry"]["coordinates"] for ring in p)


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False)


async def page_through(commons, path: str, params: dict) -> list[list[dict]]:
    """Every page, asking on from offset + numberReturned while numberMatched says there is more."""
    pages, offset = [], 0
    while True:
        answer = await commons.client.get(path, params={**params, "offset": offset})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        pages.append(body)
        offset += len(body["features"])
        if offset >= body["numberMatched"]:
            return pages


@pytest.mark.parametrize("on", [None, "today", "far"])
async def test_a_page_of_large_sites_stops_at_its_vertices_and_paging_on_gets_them_all(commons, on):
    # Before: seven valid 99,000-vertex parks were one 21 MiB answer, and commons was busy 1.1 s.
    add_round_parks(commons.database_url, 7, BIG)
    params: dict = {"limit": 5000}
    if on == "today":
        params["on"] = str(dt.date.today())
    elif on == "far":  # beyond the materialized occurrences: the engine's path
        params["on"] = str(dt.date.today().replace(month=6, day=1) + dt.timedelta(days=366 * 40))
    pages = await page_through(commons, "/sites", params)
    for page in pages:
        assert vertices_of(page["features"]) <= ANSWER_VERTICES
        assert len(json.dumps(page)) < 8 * 1024 * 1024
        assert page["numberReturned"] == len(page["features"])
        assert page["truncated"] == (page is not pages[-1])
    names = [f["properties"]["name"] for page in pages for f in page["features"]]
    assert names == [f"Park {i:03d}" for i in range(1, 8)]  # each once, in order


async def test_a_page_holds_one_site_even_above_its_vertices(start_service):
    commons = await start_service("commons", run_workers=False, max_answer_vertices=1_000)
    add_round_parks(commons.database_url, 3, 1_201)
    body = (await commons.client.get("/sites")).json()
    assert (body["numberReturned"], body["numberMatched"], body["truncated"]) == (1, 3, True)


async def test_the_bound_is_stated_in_the_openapi_document(commons):
    document = (await commons.client.get("/openapi.json")).json()
    description = document["paths"]["/sites"]["get"]["description"]
    assert "200000 vertices in all (MEENT_MAX_ANSWER_VERTICES)" in description


async def test_ogc_pages_stop_at_their_vertices_and_next_links_get_them_all(commons):
    # GDAL and QGIS follow `next`: it must start where the page stopped, not `limit` further on.
    add_round_parks(commons.database_url, 7, BIG)
    url, names = "/ogc/collections/sites/items?limit=1000", []
    while url:
        answer = await commons.client.get(url)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert vertices_of(body["features"]) <= ANSWER_VERTICES
        names += [f["properties"]["name"] for f in body["features"]]
        following = [link["href"] for link in body["links"] if link["rel"] == "next"]
        url = following[0].removeprefix("http://test") if following else None
    assert names == [f"Park {i:03d}" for i in range(1, 8)]
