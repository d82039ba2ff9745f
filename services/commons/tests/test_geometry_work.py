"""The work of checking an area, and an import's areas, is bounded by their size and the limits:
a tangle is refused within a second while `/healthz` answers, and nothing is stored."""

import asyncio
import json
import threading

import httpx
import pytest

from commons.sites.geometry import GEOMETRY_THREADS, in_geometry_thread
from meent_shared.testing.helpers import sql_value
from meent_shared.testing.probes import ANSWER_WITHIN, answered_while_healthz_probed
from meent_shared.testing.tangles import comb, star


def collection(*geometries) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f"f{i}", "properties": {"name": f"P{i}"}, "geometry": g}
            for i, g in enumerate(geometries)
        ],
    }


def stored(database_url: str) -> tuple[int, int]:
    sites = sql_value(database_url, "SELECT count(*) FROM site")
    return sites, sql_value(database_url, "SELECT count(*) FROM outbox")


@pytest.fixture
def commons_process(start_commons_process):
    return start_commons_process()


@pytest.fixture
def staff(auth_header):
    return auth_header("marek", ["maintenance"])


async def test_a_star_to_repair_is_refused_at_once_while_healthz_answers(commons_process, staff):
    # Before: 101 points took 6.4 s, 201 points 44 s (storing 1.28 MB of knot), 301 points about
    # three minutes, each on a thread of the pool every other request shares.
    async with httpx.AsyncClient(base_url=commons_process.url, headers=staff, timeout=5) as client:
        for points in (101, 201, 301):
            post = client.post("/sites/import?repair=true", json=collection(star(points)))
            answer, took, latencies = await answered_while_healthz_probed(client, post)
            assert answer.status_code == 200, answer.text
            [outcome] = answer.json()["features"]
            assert outcome["status"] == "refused", outcome
            assert outcome["reason"]["type"] == "too_complex_to_repair"
            assert "cross in more than 200 places" in outcome["reason"]["msg"]
            assert took < ANSWER_WITHIN, f"{points} points: {took:.2f} s"
            assert max(latencies) < ANSWER_WITHIN, latencies
    assert stored(commons_process.database_url) == (0, 0)


async def test_a_tangled_site_is_refused_at_once_while_healthz_answers(commons_process, staff):
    # A valid comb of 40,000 vertices (1.6 MB): before, GEOS checked it for 10 s on the event
    # loop, and /healthz waited as long.
    body = json.dumps({"name": "Comb", "kind": "park", "geometry": comb(10_000)})
    headers = {**staff, "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=commons_process.url, timeout=30) as client:
        post = client.post("/sites", content=body, headers=headers)
        answer, took, latencies = await answered_while_healthz_probed(client, post)
    assert answer.status_code == 422, answer.text
    [item] = answer.json()["detail"]
    assert (item["type"], item["loc"]) == ("too_complex", ["body", "geometry"])
    assert took < ANSWER_WITHIN and max(latencies) < ANSWER_WITHIN, (took, latencies)
    assert stored(commons_process.database_url) == (0, 0)


async def test_geometry_threads_are_their_own():
    # Seven slow imports once took every thread of the default pool: a tile waited 73 s.
    release = threading.Event()
    busy = [
        asyncio.ensure_future(in_geometry_thread(release.wait)) for _ in range(GEOMETRY_THREADS * 4)
    ]
    try:
        assert await asyncio.wait_for(asyncio.to_thread(lambda: "free"), timeout=1) == "free"
    finally:
        release.set()
        await asyncio.gather(*busy)
