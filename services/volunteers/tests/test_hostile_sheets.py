"""Hostile sign-in sheets against the real volunteers process (uvicorn, its own event loop): each
is refused with a 422 naming the reason, and `/healthz` answers within half a second all the
while. Before the bounds, a 5 MiB header of 2.5 million columns held the loop for about 2 s."""

import asyncio
import datetime as dt
import time
import uuid

import httpx
import pytest

from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.testing.helpers import publish_events, sql_value, wait_for
from meent_shared.testing.processes import ServiceProcess

HEALTHZ_WITHIN = 0.5  # seconds, for every /healthz asked while a sheet is read
NEARLY_5_MIB = 5 * 1024 * 1024 - 100  # just under the upload limit
HOSTILE = {
    "too_many_columns": ",".join(["x"] * (NEARLY_5_MIB // 2)),
    "too_many_rows": "person,date,minutes,activity\r\n" + "\r\n" * (NEARLY_5_MIB // 2 - 20),
    "wrong_cell_count": "person,date,minutes,activity\r\n" + "," * (NEARLY_5_MIB - 40),
}


@pytest.fixture
def volunteers_process(start_service_process) -> ServiceProcess:
    """volunteers as `uvicorn volunteers.main:create_app` on a free port and its own database."""
    return start_service_process("volunteers")


async def a_project_with_a_coordinator(service: ServiceProcess) -> uuid.UUID:
    project_id = uuid.uuid4()
    joined = dt.date.today() - dt.timedelta(days=30)
    await publish_events(
        service.nats_url,
        [
            ProjectCreated(project_id=project_id, version=1, name="Park", slug="park"),
            MembershipChanged(
                membership_id=uuid.uuid4(),
                version=1,
                project_id=project_id,
                person_id="coordinator-1",
                role="coordinator",
                joined_on=joined,
            ),
        ],
    )

    async def known() -> bool:
        query = "SELECT count(*) FROM project_member WHERE project_id = %s"
        return sql_value(service.database_url, query, project_id) == 1

    await wait_for(known, what="the project and its coordinator")
    return project_id


async def _healthz_while(client: httpx.AsyncClient, request: asyncio.Task) -> list[float]:
    latencies = []
    while not latencies or not request.done():
        asked = time.perf_counter()
        answer = await client.get("/healthz", timeout=5)
        assert answer.status_code == 200
        latencies.append(time.perf_counter() - asked)
    return latencies


async def test_hostile_sheets_are_refused_while_healthz_answers(volunteers_process, auth_header):
    project_id = await a_project_with_a_coordinator(volunteers_process)
    headers = {**auth_header("coordinator-1"), "Content-Type": "text/csv"}
    async with httpx.AsyncClient(base_url=volunteers_process.url, timeout=30) as client:
        for code, body in HOSTILE.items():
            path = f"/projects/{project_id}/hours/import"
            upload = asyncio.create_task(client.post(path, content=body.encode(), headers=headers))
            latencies = await _healthz_while(client, upload)
            answer = await upload
            assert max(latencies) < HEALTHZ_WITHIN, (code, sorted(latencies)[-3:])
            assert answer.status_code == 422, (code, answer.text[:300])
            assert answer.json()["detail"][0]["type"] == code
    stored = "SELECT (SELECT count(*) FROM hour_entry) + (SELECT count(*) FROM outbox)"
    assert sql_value(volunteers_process.database_url, stored) == 0
