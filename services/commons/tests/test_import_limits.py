"""An import's totals: a file above them is refused whole (413, nothing stored) before its work
grows — its vertices counted first, its tangles and repairs as they are checked."""

import pytest

from meent_shared.testing.helpers import sql_value
from meent_shared.testing.tangles import circle, comb

VERTEX_TOTAL = 2_000  # configured small here; 500,000 by default


def collection(*geometries) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f"f{i}", "properties": {"name": f"P{i}"}, "geometry": g}
            for i, g in enumerate(geometries)
        ],
    }


def apart(index: int, vertices: int) -> dict:
    """A round park of `vertices` positions (one repeats the first), each in a place of its own."""
    return circle(vertices - 1, centre=(18.6 + 0.03 * index, 54.35))


def bow_tied(index: int, vertices: int) -> dict:
    """A round park with two neighbouring vertices swapped: one small crossing to repair."""
    area = apart(index, vertices)
    ring = area["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]
    return area


@pytest.fixture
async def commons(start_service):
    return await start_service("commons", run_workers=False, max_import_vertices=VERTEX_TOTAL)


@pytest.fixture
def post(commons, auth_header):
    staff = auth_header("x", ["maintenance"])

    async def post(body: dict, **params: object):
        return await commons.client.post("/sites/import", json=body, params=params, headers=staff)

    return post


def refusal(answer, code: str) -> dict:
    assert answer.status_code == 413, answer.text
    [item] = answer.json()["detail"]
    assert (item["type"], item["loc"]) == (code, ["body", "features"]), item
    return item


def nothing_stored(commons) -> bool:
    query = "SELECT (SELECT count(*) FROM site) + (SELECT count(*) FROM outbox)"
    return sql_value(commons.database_url, query) == 0


async def test_a_file_above_the_vertex_total_is_refused_whole(commons, post):
    # Before: no total; 7 areas of 99,000 vertices (15 MiB) took 7.85 s to import.
    item = refusal(await post(collection(apart(0, 1_000), apart(1, 1_001))), "too_many_vertices")
    assert f"at most {VERTEX_TOTAL}" in item["msg"] and "split the file" in item["msg"]
    assert nothing_stored(commons)
    answer = await post(collection(apart(0, 1_000), apart(1, 1_000)))  # exactly the total
    assert answer.status_code == 200 and answer.json()["created"] == 2, answer.text


async def test_the_vertex_total_is_stated_in_the_openapi_document(start_service):
    default = await start_service("commons", run_workers=False)
    document = (await default.client.get("/openapi.json")).json()
    operation = document["paths"]["/sites/import"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["description"]
    assert "500000 vertices in all (MEENT_MAX_IMPORT_VERTICES)" in body
    assert "too_many_vertices" in operation["responses"]["413"]["description"]


async def test_a_file_of_many_tangles_is_refused_whole(start_service, auth_header):
    # Six combs of 2,003 vertices: each has about a million pairs of edges across each other's
    # boxes (just within one area's limit); together they pass the file's five million.
    commons = await start_service("commons", run_workers=False)
    combs = collection(*(comb(500) for _ in range(6)))
    answer = await commons.client.post(
        "/sites/import", json=combs, headers=auth_header("x", ["maintenance"])
    )
    refusal(answer, "import_too_complex")
    assert nothing_stored(commons)


async def test_a_file_of_many_repairs_is_refused_whole(start_service, auth_header):
    # Eleven areas of 10,000 vertices to repair: one import repairs at most 100,000 vertices.
    commons = await start_service("commons", run_workers=False)
    ties = collection(*(bow_tied(i, 10_000) for i in range(11)))
    headers = auth_header("x", ["maintenance"])
    answer = await commons.client.post("/sites/import?repair=true", json=ties, headers=headers)
    item = refusal(answer, "too_many_repairs")
    assert "at most 100000 vertices" in item["msg"]
    assert nothing_stored(commons)
    ten = collection(*(bow_tied(i, 9_000) for i in range(10)))
    answer = await commons.client.post("/sites/import?repair=true", json=ten, headers=headers)
    assert answer.status_code == 200 and answer.json()["created"] == 10, answer.text
