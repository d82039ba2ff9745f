"""The heaviest requests a client may send grants — a district import at the body limit, full of
rings to repair, and a call page whose ranking and ledger are as long as they get — while
`/healthz` keeps answering: the work runs off the event loop or is bounded by the input."""

import asyncio
import json
import time

from meent_shared.testing.helpers import wait_for


def _bow_ties(count: int, points: int) -> dict:
    """`count` districts, each a bow tie of `points` vertices (its ring crosses itself once,
    so each is repaired)."""
    features = []
    side = 0.005
    for n in range(count):
        x, y = 5.0 + (n % 30) * 0.01, 52.0 + (n // 30) * 0.01
        ring = [[x + side * i / points, y + side * i / points] for i in range(points + 1)]
        ring += [[x + side, y], [x, y + side], ring[0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": f"Knot {n}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


async def _health_while(grants, request) -> tuple[float, object]:
    """The slowest `/healthz` answer while `request` runs, and the request's answer."""
    slowest = 0.0
    task = asyncio.ensure_future(request)
    await asyncio.sleep(0)
    while not task.done():
        started = time.monotonic()
        answer = await grants.client.get("/healthz")
        assert answer.status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        await asyncio.sleep(0.01)
    return slowest, task.result()


async def test_healthz_answers_while_a_district_import_at_its_limits_runs(grants_world):
    world = await grants_world(run_workers=False)
    body = _bow_ties(60, 300)
    assert len(json.dumps(body)) < 1_000_000  # within the service's body limit
    slowest, answer = await _health_while(
        world.grants,
        world.grants.client.post("/districts/import", json=body, headers=world.officer),
    )
    assert answer.status_code == 201, answer.text[:500]
    assert len(answer.json()["repaired"]) == 60  # every ring was repaired, off the event loop
    assert slowest < 0.5, f"/healthz took {slowest:.2f} s while the import ran"


async def test_healthz_answers_while_a_long_ranking_is_read(grants_world):
    world = await grants_world()
    call = await world.open_call(
        criteria=[{"name": f"C{n}", "weight": n + 1} for n in range(12)], panel_size=1
    )
    projects = await world.announce_projects(60)
    for project in projects:
        await world.submitted_application(call["id"], project, "100.00")

    async def known() -> bool:
        listed = await world.grants.client.get("/applications", params={"call_id": call["id"]})
        return listed.json()["count"] == 60

    await wait_for(known, what="60 applications")
    slowest, answer = await _health_while(
        world.grants, world.grants.client.get(f"/calls/{call['id']}/page")
    )
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["ranking"]["applications"]) == 60
    assert slowest < 0.5, f"/healthz took {slowest:.2f} s while the page was read"
