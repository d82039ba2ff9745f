"""`make run`'s launcher: the whole suite as real processes, ready, talking by events, and keeping
its data across a restart. Runs on free ports in a scratch folder, beside any running suite."""

import datetime as dt
import shutil
import time
from pathlib import Path

import httpx
import pytest

from meent_shared.auth import issue_token
from meent_shared.local.suite import SERVICES, Suite, SuitePorts
from meent_shared.settings import ServiceSettings
from meent_shared.testing.servers import make_scratch_dir

ROOT = Path(__file__).parents[1]


def bearer(sub: str, roles: list[str]) -> dict[str, str]:
    token = issue_token(ServiceSettings(mode="local"), sub=sub, roles=roles)
    return {"Authorization": f"Bearer {token}"}


def eventually(check, within: float = 30):
    deadline = time.monotonic() + within
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def suite():
    folder = make_scratch_dir("meent-suite-")
    running = Suite(ROOT, folder / "var", SuitePorts.free(), fast_unsafe=True)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_every_service_and_the_gateway_answer_ready(suite):
    for name in [*SERVICES, "gateway"]:
        answer = httpx.get(f"{suite.url(name)}/readyz", timeout=5)
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["status"] == "ready"


def test_a_project_flows_from_spaces_to_volunteers_and_its_hours_to_grants(suite):
    project = httpx.post(
        f"{suite.url('spaces')}/projects",
        json={"name": "Elisabeth groen"},
        headers=bearer("anna", ["citizen"]),
    ).json()
    known = f"{suite.url('volunteers')}/projects/{project['id']}"
    eventually(lambda: httpx.get(known).status_code == 200)
    entry = httpx.post(
        f"{suite.url('volunteers')}/hours",
        json={
            "project_id": project["id"],
            "activity": "planting",
            "minutes": 150,
            "worked_on": dt.date.today().isoformat(),
        },
        headers=bearer("vera", ["citizen"]),
    ).json()
    approved = httpx.post(
        f"{suite.url('volunteers')}/hours/{entry['id']}/approve", headers=bearer("ada", ["admin"])
    )
    assert approved.json()["status"] == "approved"
    totals = f"{suite.url('grants')}/projects/{project['id']}/hours"
    assert eventually(lambda: httpx.get(totals).json()["approved_minutes"] == 150)


def test_a_second_start_keeps_the_data(suite):
    created = httpx.post(
        f"{suite.url('spaces')}/projects",
        json={"name": "Plac Węglowy"},
        headers=bearer("piotr", ["citizen"]),
    ).json()
    suite.stop()
    suite.start()
    again = httpx.get(f"{suite.url('spaces')}/projects/{created['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == "Plac Węglowy"
