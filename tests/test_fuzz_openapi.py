"""Property-based fuzzing of every service's OpenAPI on the running suite: no input, however
hostile, gets a 5xx.

schemathesis (its CLI, in a subprocess: its pytest plugin does not run on this pytest) derives
valid and invalid requests from each operation's schema — boundary values, wrong types, control
characters, huge numbers — and sends them to the suite the end-to-end tests already run, as an
admin (so the write paths are reached) and anonymously. Path parameters mostly name things that
exist (seeded below), so requests get past "404 no such site" to the code behind it. A 5xx fails the
test, which prints schemathesis's report: each failing request with a curl line to replay it.

Deterministic (a fixed seed, derandomized generation, hence no example database), so CI sees what a
developer sees. Every request has a timeout: a request that hangs fails the test, it does not
freeze the run.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from meent_shared.settings import Mode, ServiceSettings
from tests.conftest import RunningSuite
from tests.fuzz_config import fuzz_config, text_fields

SERVICES = ("commons", "volunteers", "spaces", "grants", "gateway")
CALLERS = ("admin", "anonymous")
# Per operation, in the fuzzing phase (the coverage phase adds its boundary cases): an admin
# reaches every path, so gets more; anonymous callers mostly meet the 401 at the door.
EXAMPLES_PER_OPERATION = {"admin": 25, "anonymous": 10}
SEED = 20_261_201
REQUEST_TIMEOUT_SECONDS = 10
RUN_TIMEOUT_SECONDS = 300
# After this many failing requests a run stops: a service that hangs costs minutes, not hours.
MAX_FAILURES = 10
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}


def _created(answer: httpx.Response) -> str:
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["id"])


def _wait_until_known(http: httpx.Client, url: str, seconds: float = 20) -> None:
    """Events carry a new project to commons and volunteers; wait until both know it."""
    deadline = time.monotonic() + seconds
    while http.get(url).status_code != 200:
        assert time.monotonic() < deadline, f"{url} never appeared"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def known_ids(running_suite: RunningSuite) -> dict[str, list[str]]:
    """One of each thing the APIs address by id, made through the APIs themselves."""
    suite, http = running_suite.suite, running_suite.http
    admin = {"Authorization": f"Bearer {running_suite.token('fuzz-seeder', ['admin'])}"}
    citizen = {"Authorization": f"Bearer {running_suite.token('fuzz-volunteer')}"}
    commons, spaces = suite.url("commons"), suite.url("spaces")
    site = _created(
        http.post(
            f"{commons}/sites",
            json={"name": "Fuzz", "kind": "park", "geometry": SQUARE},
            headers=admin,
        )
    )
    team = _created(http.post(f"{commons}/teams", json={"name": "Fuzz team"}, headers=admin))
    task = {"title": "Mow", "due_on": time.strftime("%Y-%m-%d"), "team_id": team}
    task_id = _created(http.post(f"{commons}/sites/{site}/tasks", json=task, headers=admin))
    project = _created(
        http.post(
            f"{spaces}/projects",
            json={"name": f"Fuzz project {uuid.uuid4().hex[:8]}"},
            headers=admin,
        )
    )
    _wait_until_known(http, f"{commons}/projects/{project}")
    _wait_until_known(http, f"{suite.url('volunteers')}/projects/{project}")
    stewardship = {"project_id": project, "starts_on": time.strftime("%Y-%m-%d")}
    steward = _created(
        http.post(f"{commons}/sites/{site}/stewards", json=stewardship, headers=admin)
    )
    call = {
        "title": "Fuzz call",
        "budget": "1000.00",
        "min_award": "10.00",
        "max_award": "100.00",
        "opens_on": "2030-01-01",
        "closes_on": "2030-03-01",
    }
    call_id = _created(http.post(f"{suite.url('grants')}/calls", json=call, headers=admin))
    period = {
        "use": "market",
        "starts_on": time.strftime("%Y-%m-%d"),
        "ends_on": time.strftime("%Y-%m-%d"),
        "rule": "FREQ=WEEKLY",
    }
    period_id = _created(http.post(f"{commons}/sites/{site}/periods", json=period, headers=admin))
    entry = _hours_of_a_member(http, suite, project, citizen)
    return {
        "site_id": [site],
        "feature_id": [site],
        "team_id": [team],
        "task_id": [task_id],
        "project_id": [project],
        "stewardship_id": [steward],
        "call_id": [call_id],
        "entry_id": [entry],
        "period_id": [period_id],
        "collection_id": ["sites"],
    }


def _hours_of_a_member(
    http: httpx.Client, suite: Any, project: str, citizen: dict[str, str], seconds: float = 20
) -> str:
    """The citizen joins the project (members log hours) and logs an hour once volunteers knows."""
    joined = http.post(
        f"{suite.url('spaces')}/projects/{project}/members", json={}, headers=citizen
    )
    assert joined.status_code == 201, joined.text
    hours = {
        "project_id": project,
        "activity": "gardening",
        "worked_on": ServiceSettings(mode=Mode.local).today().isoformat(),  # the city's today
        "minutes": 60,
    }
    deadline = time.monotonic() + seconds
    while (
        answer := http.post(f"{suite.url('volunteers')}/hours", json=hours, headers=citizen)
    ).status_code == 403:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.2)
    return _created(answer)


def schemathesis_command(url: str, config: Path, token: str | None, examples: int) -> list[str]:
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{url}/openapi.json",
        "--checks=not_a_server_error",
        "--phases=examples,coverage,fuzzing",
        f"--max-examples={examples}",
        f"--seed={SEED}",
        "--generation-deterministic",
        f"--request-timeout={REQUEST_TIMEOUT_SECONDS}",
        f"--max-failures={MAX_FAILURES}",
        "--workers=1",
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    return command


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("service", SERVICES)
def test_no_request_gets_a_server_error(
    running_suite: RunningSuite,
    known_ids: dict[str, list[str]],
    tmp_path: Path,
    service: str,
    caller: str,
) -> None:
    url = running_suite.suite.url(service)
    document = running_suite.http.get(f"{url}/openapi.json").json()
    config = tmp_path / "schemathesis.toml"
    config.write_text(fuzz_config(known_ids, text_fields(document)))
    token = running_suite.token("fuzzer", [caller]) if caller != "anonymous" else None
    command = schemathesis_command(url, config, token, EXAMPLES_PER_OPERATION[caller])
    # Its working directory is scratch: schemathesis keeps crash files there.
    try:
        run = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"fuzzing {service} took over {RUN_TIMEOUT_SECONDS} s:\n{expired.stdout!s}")
    assert run.returncode == 0, (
        f"schemathesis found requests that {service} answers with a server error "
        f"(or that time out after {REQUEST_TIMEOUT_SECONDS} s):\n{run.stdout}\n{run.stderr}"
    )
