"""Hostile RRULEs and schedules against the real commons process (uvicorn, its own event loop):
each is refused with a 422 naming the reason, or answered, within a second, and `/healthz`
answers all the while."""

import asyncio
import datetime as dt
import time

import httpx
import pytest

from meent_shared.testing.helpers import sql_value
from meent_shared.testing.processes import ServiceProcess

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}
# (rule, the words of the reason): before the bounds, INTERVAL=0 hung the process for good and the
# never-occurring rules kept it busy for seconds (dateutil looked for an occurrence up to 9999).
HOSTILE = [
    ("FREQ=YEARLY;INTERVAL=0", "INTERVAL must be from 1"),
    ("FREQ=DAILY;INTERVAL=0;BYMONTH=2", "INTERVAL must be from 1"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never falls in February"),
    ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "never falls in April"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYSETPOS=2", "no occurrence"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "no occurrence"),
    ("FREQ=MONTHLY;BYDAY=MO,1TU;COUNT=8", "mixes numbered and plain"),
    ("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY values lie in"),
    ("FREQ=DAILY;COUNT=100000000", "COUNT must be from 1"),
    # The conflict check added days to an UNTIL in 9999 and overflowed: a 500.
    ("FREQ=YEARLY;UNTIL=99991231", "UNTIL lies in 1900..2200"),
]
ANSWER_WITHIN = 1.0  # seconds, for the refusal and for every /healthz asked meanwhile


@pytest.fixture
def commons_process(start_service_process) -> ServiceProcess:
    """commons as `uvicorn commons.main:create_app` on a free port, on a database of its own."""
    return start_service_process("commons")


async def _probe_while(client: httpx.AsyncClient, request: asyncio.Task) -> list[float]:
    """Ask /healthz over and over (at least once) until `request` is answered: each latency."""
    latencies = []
    while not latencies or not request.done():
        asked = time.perf_counter()
        answer = await client.get("/healthz", timeout=ANSWER_WITHIN)
        assert answer.status_code == 200
        latencies.append(time.perf_counter() - asked)
    return latencies


async def _timed(request) -> tuple[httpx.Response, float]:
    asked = time.perf_counter()
    answer = await request
    return answer, time.perf_counter() - asked


async def test_hostile_rules_are_refused_fast_while_healthz_answers(commons_process, auth_header):
    staff = auth_header("marek", ["maintenance"])
    base = commons_process.url
    async with httpx.AsyncClient(base_url=base, headers=staff, timeout=5) as client:
        site = {"name": "Plac", "kind": "square", "timezone": "Europe/Warsaw", "geometry": SQUARE}
        site_id = (await client.post("/sites", json=site)).json()["id"]
        for rule, reason in HOSTILE:
            # A period (maintenance staff) and a maintenance task: both read rules the same way.
            for path, body in (
                (f"/sites/{site_id}/periods", {"use": "market", "starts_on": "2026-05-01"}),
                (f"/sites/{site_id}/tasks", {"title": "Mow", "due_on": "2026-05-01"}),
            ):
                body = {**body, "ends_on": "2026-05-01"} if "use" in body else body
                post = asyncio.create_task(_timed(client.post(path, json={**body, "rule": rule})))
                latencies = await _probe_while(client, post)
                answer, took = await post
                assert answer.status_code == 422, (rule, answer.text)
                [item] = answer.json()["detail"]
                assert item["type"] == "invalid_rule" and reason in item["msg"], (rule, item)
                assert took < ANSWER_WITHIN, f"{rule} at {path}: refused after {took:.2f} s"
                assert max(latencies) < ANSWER_WITHIN, (rule, latencies)
    for table in ("use_period", "maintenance_task"):  # refused: nothing stored
        assert sql_value(commons_process.database_url, f"SELECT count(*) FROM {table}") == 0


# The review's worst shapes: daily ten-minute windows of as many uses at one priority (each one
# checked against all the others for ten years), then nested parking windows over them (every
# boundary inside every other window). Before the bounds: the 40th period took 1.65 s, a five-
# year timeline 3.4 s and the feed 5 s, /healthz waiting as long.
MAX_PERIODS = 50  # the default cap


def many_uses(index: int) -> dict[str, object]:
    hour, tens = divmod(index, 6)
    return {
        "use": f"u{index}",
        "priority": 0,
        "starts_on": "2020-01-01",
        "ends_on": "2020-01-01",
        "rule": "FREQ=DAILY",
        "day_starts_at": f"{hour:02}:{tens}0:00",
        "day_ends_at": f"{hour:02}:{tens}9:00",
    }


def nested_parking(index: int) -> dict[str, object]:
    return {
        **many_uses(0),
        "use": "parking",
        "priority": 1,
        "day_starts_at": f"07:{index:02}:00",
        "day_ends_at": f"22:{59 - index:02}:00",
    }


async def _answered_fast(client: httpx.AsyncClient, request) -> httpx.Response:
    """The answer to `request`, asserted within a second, with /healthz answering meanwhile."""
    task = asyncio.create_task(_timed(request))
    latencies = await _probe_while(client, task)
    answer, took = await task
    assert took < ANSWER_WITHIN, f"{answer.request.url}: answered after {took:.2f} s"
    assert max(latencies) < ANSWER_WITHIN, latencies
    return answer


async def test_a_site_full_of_the_worst_periods_answers_everything_within_a_second(
    commons_process, auth_header
):
    staff = auth_header("marek", ["maintenance"])
    async with httpx.AsyncClient(base_url=commons_process.url, headers=staff, timeout=10) as client:
        site = {"name": "Plac", "kind": "square", "timezone": "Europe/Warsaw", "geometry": SQUARE}
        site_id = (await client.post("/sites", json=site)).json()["id"]
        periods = f"/sites/{site_id}/periods"
        accepted = []
        for index in range(40):
            added = await _answered_fast(client, client.post(periods, json=many_uses(index)))
            # Refused: a conflict (the windows in the spring-forward gap) or too much to check.
            assert added.status_code in (201, 409, 422), added.text
            if added.status_code == 201:
                accepted.append(added.json()["id"])
            else:
                assert added.json()["detail"][0]["type"] in (
                    "schedule_conflict",
                    "schedule_too_dense",
                )
        index = 0
        while len(accepted) < MAX_PERIODS:
            added = await _answered_fast(client, client.post(periods, json=nested_parking(index)))
            assert added.status_code == 201, added.text
            accepted.append(added.json()["id"])
            index += 1
        beyond = await _answered_fast(client, client.post(periods, json=nested_parking(index)))
        assert beyond.status_code == 422, beyond.text
        [item] = beyond.json()["detail"]
        assert item["type"] == "too_many_periods" and f"at most {MAX_PERIODS} active" in item["msg"]
        assert len((await client.get(periods)).json()) == MAX_PERIODS  # nothing stored

        today = dt.date.today()
        longest = {"from": str(today), "to": str(today + dt.timedelta(days=5 * 366 + 1))}
        timeline = await _answered_fast(
            client, client.get(f"/sites/{site_id}/timeline", params=longest)
        )
        assert timeline.status_code == 422, timeline.text
        [item] = timeline.json()["detail"]
        assert item["type"] == "schedule_too_dense" and item["loc"] == ["query", "to"]
        week = {"from": str(today), "to": str(today + dt.timedelta(days=7))}
        timeline = await _answered_fast(
            client, client.get(f"/sites/{site_id}/timeline", params=week)
        )
        assert timeline.status_code == 200
        assert {s["use"] for s in timeline.json()["segments"]} >= {"parking", "u0"}

        feed = await _answered_fast(client, client.get(f"/calendars/sites/{site_id}.ics"))
        assert feed.status_code == 422 and feed.json()["detail"][0]["type"] == "schedule_too_dense"
        noon = dt.datetime.combine(today, dt.time(12, 30)).isoformat()
        use = await _answered_fast(client, client.get(f"/sites/{site_id}/use", params={"at": noon}))
        assert use.status_code == 200 and use.json()["use"] == "parking"

        changed = {**many_uses(39), "use": "changed", "note": "moved"}
        updated = await _answered_fast(client, client.put(f"/periods/{accepted[0]}", json=changed))
        assert updated.status_code in (200, 409, 422), updated.text
