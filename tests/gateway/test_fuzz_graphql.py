"""Property-based fuzzing of the gateway's GraphQL on the running suite: no query or mutation,
however hostile its arguments, meets a 5xx or a fault masked as "Unexpected error.".

schemathesis (its CLI, in a subprocess: its pytest plugin does not run on this pytest) reads the
schema by introspection and derives operations from it — every root field, with boundary values,
empty lists, control characters, huge numbers, and JSON shaped like GeoJSON — and sends them as a
citizen and as an admin (so the write paths are reached). Ids name things that exist as often as
not (seeded below). The check lives in graphql_fuzz_hooks.py. A failure prints schemathesis's
report: each failing operation with the query and a curl line to replay it.

Deterministic (a fixed seed, derandomized generation), so CI sees what a developer sees.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import RunningSuite

EXAMPLES_PER_OPERATION = 20
SEED = 20_260_707
REQUEST_TIMEOUT_SECONDS = 10
RUN_TIMEOUT_SECONDS = 240
HOOKS = Path(__file__).with_name("graphql_fuzz_hooks.py")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}


def created(running_suite: RunningSuite, token: str, mutation: str, variables: dict) -> str:
    answer = running_suite.graphql(mutation, variables, token=token)
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["data"].values()
    assert "id" in result, result
    return result["id"]


@pytest.fixture(scope="module")
def known_ids(running_suite: RunningSuite) -> list[str]:
    """One of each thing the schema addresses by id, made through GraphQL itself."""
    admin = running_suite.token("fuzz-seeder", ["admin", "maintenance", "grant_officer"])
    today = dt.date.today().isoformat()
    site = created(
        running_suite,
        admin,
        'mutation($g: JSON!) { createSite(input: {name: "Fuzz", kind: "park", geometry: $g}) '
        "{ ... on Site { id } } }",
        {"g": SQUARE},
    )
    team = created(
        running_suite,
        admin,
        'mutation { createTeam(name: "Fuzz team") { ... on Team { id } } }',
        {},
    )
    project = created(
        running_suite,
        admin,
        'mutation { createProject(input: {name: "Fuzz project"}) { ... on Project { id } } }',
        {},
    )
    period = created(
        running_suite,
        admin,
        "mutation($s: UUID!, $d: Date!) { addUsePeriod(siteId: $s, input: "
        '{use: "recreation", startsOn: $d}) { ... on UsePeriod { id } } }',
        {"s": site, "d": today},
    )
    task = created(
        running_suite,
        admin,
        "mutation($s: UUID!, $t: UUID!, $d: Date!) { createMaintenanceTask(siteId: $s, input: "
        '{title: "Mow", dueOn: $d, teamId: $t}) { ... on MaintenanceTask { id } } }',
        {"s": site, "t": team, "d": today},
    )
    opens = dt.date.today() + dt.timedelta(days=30)
    call = created(
        running_suite,
        admin,
        'mutation($o: Date!, $c: Date!) { createCall(input: {title: "Fuzz call", '
        "budgetCents: 100000, minAwardCents: 1000, maxAwardCents: 10000, opensOn: $o, "
        "closesOn: $c}) { ... on FundingCall { id } } }",
        {"o": opens.isoformat(), "c": (opens + dt.timedelta(days=30)).isoformat()},
    )
    return [site, team, project, period, task, call]


def run_schemathesis(
    url: str, token: str, ids: list[str], scratch: Path
) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "run",
        f"{url}/graphql",
        "--checks=no_fault_behind_an_answer",
        f"--max-examples={EXAMPLES_PER_OPERATION}",
        f"--seed={SEED}",
        "--generation-deterministic",
        "--no-shrink",
        f"--request-timeout={REQUEST_TIMEOUT_SECONDS}",
        "--workers=2",
        "--continue-on-failure",
        "--suppress-health-check=all",
        "-H",
        f"Authorization: Bearer {token}",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), "MEENT_FUZZ_IDS": json.dumps(ids)}
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        env=env,
        cwd=scratch,  # schemathesis writes its cassettes and caches to the working directory
    )


@pytest.mark.parametrize("roles", [["citizen"], ["admin", "maintenance", "grant_officer"]])
def test_no_generated_operation_meets_a_fault(running_suite, known_ids, roles, tmp_path):
    token = running_suite.token(f"fuzz-{roles[0]}", roles)
    started = time.monotonic()
    run = run_schemathesis(running_suite.url, token, known_ids, tmp_path)
    report = run.stdout + run.stderr
    assert run.returncode == 0, f"as {roles[0]}, schemathesis found faults:\n{report}"
    assert "Tested:" in report, report
    print(f"as {roles[0]}: {time.monotonic() - started:.1f} s")
