"""The hours scenarios (issue 9), on the data of `hours_data.py`; `scenarios.py` registers them.

Each submit request is one of 1,000 submitters (their own bearer token) on one past day: request
`i` of a scenario is slot `i + offset`, submitter `slot % 1000`, `1 + slot // 1000` days ago, so
no two scenarios share a (person, day). The peak's rounds take fresh slots (100,000 a round,
more than a round sends at 6,000 requests/s), so every submission is a volunteer's first entry
of that day, as in the open loop: with one list of 2,000 taken over and over, each (person, day)
held ~80 entries by the seventh round, and the 24-hour check summed them all — no volunteer logs
80 entries a day, and the bare INSERT never pays for it.
"""

import datetime as dt
import json
from typing import Any

from meent_shared.local.suite import Suite
from tests.bench.hours_data import SUBMITTERS, HoursData, hours_data
from tests.bench.scenario_types import Loaded, Scenario, Target

JSON = {"Content-Type": "application/json"}
SUBMIT_MINUTES = 120  # an afternoon in the park: every (person, day) gets one entry a round
OPEN_LOOP_SLOTS = 0
PEAK_SLOTS = 50_000  # days 51.. for the closed loops, far from the open loop's days 1..5
# Seven rounds: days 51..750, all after the submitters joined (hours_data: 1,125 days ago).
PEAK_REQUESTS_PER_ROUND = 100_000
# The ratio is the median of the rounds, each service's round next to the other's: on a shared
# machine one round in a few is hit by a neighbour (a round at 0.34 between two at 0.5), and seven
# short pairs outvote that where three long ones could not.
PEAK_ROUNDS = 7
PEAK_ROUND_SECONDS = 12.0


def hours_loaded(suite: Suite) -> Loaded:
    data = hours_data(suite)
    return Loaded(data=data, facts={"hours data (loaded once, shared)": data.facts})


def bare_loaded(suite: Suite) -> Loaded:
    from tests.bench.hours_bare import start_bare  # only when the scenario runs

    data = hours_data(suite)  # its table is made with the data
    started = start_bare(suite)
    started.data = data
    return started


def summary_path(index: int, data: HoursData) -> str:
    return f"/projects/{data.largest_project}/hours/summary?group_by=month"


def _submission(slot: int, data: HoursData) -> bytes:
    day = data.today - dt.timedelta(days=1 + slot // SUBMITTERS)
    entry = {
        "project_id": data.submit_project,
        "activity": "gardening",
        "worked_on": day.isoformat(),
        "minutes": SUBMIT_MINUTES,
        "note": f"bench {slot}",
    }
    return json.dumps(entry).encode()


def _submitter(slot: int, data: HoursData) -> dict[str, str]:
    return {"Authorization": f"Bearer {data.submitter_tokens[slot % SUBMITTERS]}"}


def open_loop_body(index: int, data: HoursData) -> bytes:
    return _submission(OPEN_LOOP_SLOTS + index, data)


def open_loop_headers(index: int, data: HoursData) -> dict[str, str]:
    return _submitter(OPEN_LOOP_SLOTS + index, data)


def peak_body(index: int, data: HoursData) -> bytes:
    return _submission(PEAK_SLOTS + index, data)


def peak_headers(index: int, data: HoursData) -> dict[str, str]:
    return _submitter(PEAK_SLOTS + index, data)


def import_path(index: int, data: HoursData) -> str:
    return f"/projects/{data.import_project}/hours/import"


def import_body(index: int, data: HoursData) -> bytes:
    return data.import_csv  # the same object every time: encoded (and pickled) once


def importer(index: int, data: HoursData) -> dict[str, str]:
    return {"Authorization": f"Bearer {data.importer_token}", "Content-Type": "text/csv"}


# The gate's concurrency; README.md gives the same pair at 32 clients too.
PEAK_CLIENTS = 8


def _submit_target(service: str, body: Any, headers: Any) -> Target:
    return Target(
        service=service,
        method="POST",
        path="/hours",
        headers=JSON,
        body=body,
        headers_for=headers,
        check="http_201",
    )


HOURS_SCENARIOS: list[Scenario] = [
    Scenario(
        name="hours_summary_month",
        description="volunteers: the monthly summary (net minutes, in-kind value) of the largest "
        "project (~50,000 entries) of 1,000,000 over 1,000 projects",
        target=Target(
            service="volunteers",
            method="GET",
            path="/projects/{largest}/hours/summary?group_by=month",
            paths=summary_path,
        ),
        rate=20.0,
        load_data=hours_loaded,
        p95_target_ms=20.0,
    ),
    Scenario(
        name="hours_submit_100rps",
        description="volunteers: `POST /hours` by 1,000 members of the largest project (each "
        "request its own member and past day), open loop",
        target=_submit_target("volunteers", open_loop_body, open_loop_headers),
        rate=100.0,
        load_data=hours_loaded,
        p95_target_ms=25.0,
    ),
    Scenario(
        name="hours_submit_peak",
        description=f"volunteers: `POST /hours` as fast as it goes, {PEAK_CLIENTS} clients, "
        "closed loop; baseline: a bare asyncpg INSERT endpoint",
        target=_submit_target("volunteers", peak_body, peak_headers),
        duration=PEAK_ROUND_SECONDS * PEAK_ROUNDS,  # split over the rounds
        warmup=3.0,
        rounds=PEAK_ROUNDS,
        baseline="bare_insert_peak",
        load_data=hours_loaded,
        concurrency=PEAK_CLIENTS,
        closed_loop_requests=PEAK_REQUESTS_PER_ROUND,
        ratio_at_least=0.5,
    ),
    Scenario(
        name="bare_insert_peak",
        description="the floor: Starlette on uvicorn (one process) parsing the same JSON and "
        f"inserting one row with asyncpg into a table like hour_entry; {PEAK_CLIENTS} clients",
        target=_submit_target("bare-insert", peak_body, peak_headers),
        duration=PEAK_ROUND_SECONDS * PEAK_ROUNDS,  # split over the rounds
        warmup=3.0,
        rounds=PEAK_ROUNDS,
        load_data=bare_loaded,
        concurrency=PEAK_CLIENTS,
        closed_loop_requests=PEAK_REQUESTS_PER_ROUND,  # the same requests as volunteers'
    ),
    Scenario(
        name="hours_csv_import",
        description="volunteers: a coordinator's CSV import of 10,000 rows (100 members × 100 "
        "days; one row in ten names its member by display name), one client, closed loop",
        target=Target(
            service="volunteers",
            method="POST",
            path="/projects/{import}/hours/import",
            paths=import_path,
            body=import_body,
            headers_for=importer,
            check="http_201",
            count="created",
        ),
        duration=30.0,
        warmup=3.0,
        load_data=hours_loaded,
        concurrency=1,
        items_per_s_at_least=5_000.0,
    ),
]
