"""What grants' tests share: calls drafted and opened by an officer, and projects with their
coordinators as spaces announces them (real events on the run's NATS)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.settings import Mode, ServiceSettings
from meent_shared.testing.helpers import publish_events, sql_value, wait_for

TODAY = ServiceSettings(mode=Mode.local).today()  # the city's today, as grants reckons it


def call_body(**changes: Any) -> dict[str, Any]:
    """A call open from yesterday for a month: budget 10,000.00, awards 100.00 to 1,000.00."""
    return {
        "title": "Groen in de buurt",
        "budget": "10000.00",
        "min_award": "100.00",
        "max_award": "1000.00",
        "opens_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        **changes,
    }


def application_body(call_id: str, project_id: uuid.UUID, requested: str = "1000.00") -> dict:
    return {
        "call_id": call_id,
        "project_id": str(project_id),
        "title": "Bomen voor het plein",
        "summary": "Twelve lime trees",
        "requested": requested,
        "budget_lines": [{"label": "Trees", "amount": requested}],
    }


@dataclass
class Project:
    project_id: uuid.UUID
    coordinator: str
    name: str


@dataclass
class GrantsWorld:
    """grants started, an officer's header, and helpers that set the scene through its API and
    spaces' events."""

    grants: Any
    officer: dict[str, str]
    auth_header: Any

    async def open_call(self, **changes: Any) -> dict[str, Any]:
        grants, officer = self.grants, self.officer
        drafted = await grants.client.post("/calls", json=call_body(**changes), headers=officer)
        assert drafted.status_code == 201, drafted.text
        published = await grants.client.post(
            f"/calls/{drafted.json()['id']}/publish", headers=officer
        )
        assert published.status_code == 200, published.text
        return published.json()

    async def announce_projects(self, count: int, members: int = 1) -> list[Project]:
        """`count` projects from spaces' events, each with a coordinator and `members - 1`
        others, once grants has applied them all."""
        grants = self.grants
        projects, events = [], []
        for n in range(count):
            project = Project(uuid.uuid4(), f"coordinator-{uuid.uuid4().hex[:8]}", f"Plein {n}")
            projects.append(project)
            events.append(
                ProjectCreated(
                    project_id=project.project_id, name=project.name, slug=f"plein-{n}", version=1
                )
            )
            for m in range(members):
                person = project.coordinator if m == 0 else f"member-{uuid.uuid4().hex[:8]}"
                events.append(
                    MembershipChanged(
                        membership_id=uuid.uuid4(),
                        project_id=project.project_id,
                        person_id=person,
                        role="coordinator" if m == 0 else "skill",
                        joined_on=TODAY - dt.timedelta(days=30),
                        version=1,
                    )
                )
        await publish_events(grants.settings.nats_url, events)

        async def known() -> bool:
            ids = [str(p.project_id) for p in projects]
            query = "SELECT count(*) FROM project_member WHERE project_id = ANY(%s::uuid[])"
            return sql_value(grants.database_url, query, ids) == count * members

        await wait_for(known, what="grants to learn of the projects and their members")
        return projects

    @staticmethod
    def application_body(call_id: str, project: Project, requested: str = "1000.00") -> dict:
        return application_body(call_id, project.project_id, requested)

    async def submitted_application(
        self, call_id: str, project: Project, requested: str = "1000.00"
    ) -> dict[str, Any]:
        grants = self.grants
        coordinator = self.auth_header(project.coordinator)
        body = application_body(call_id, project.project_id, requested)
        drafted = await grants.client.post("/applications", json=body, headers=coordinator)
        assert drafted.status_code == 201, drafted.text
        submitted = await grants.client.post(
            f"/applications/{drafted.json()['id']}/submit", headers=coordinator
        )
        assert submitted.status_code == 200, submitted.text
        return submitted.json()


@pytest.fixture
def grants_world(start_service, auth_header):
    """`world = await grants_world()` (or `grants_world(run_workers=False)`)."""

    async def start(**options: Any) -> GrantsWorld:
        grants = await start_service("grants", **options)
        return GrantsWorld(grants, auth_header("gina", ["grant_officer"]), auth_header)

    return start
