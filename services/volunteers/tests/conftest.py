"""A volunteers service that knows a project and its members, as spaces' events tell it (the
hour rules' tests); and a project with members, their names and a paper sign-in sheet (the CSV
import's tests). Merged from h9-core's and h9-read's versions of this file, both kept whole."""

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from meent_shared.events.contracts.spaces import MembershipChanged, PersonUpdated, ProjectCreated
from meent_shared.testing.helpers import publish_events, sql_value, wait_for
from meent_shared.testing.plugin import ServiceUnderTest
from volunteers.hours.models import HourEntry, HourRollup
from volunteers.members.models import ProjectMember


@dataclass
class HoursProject:
    volunteers: ServiceUnderTest
    project_id: str
    memberships: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.volunteers.settings.today()

    async def join(self, *stints: tuple[Any, ...]) -> None:
        """`join(("vera", "skill"), ("cora", "coordinator", joined_on, left_on))`."""
        events = [self._stint(*stint) for stint in stints]
        await publish_events(self.volunteers.settings.nats_url, events)

        async def applied() -> bool:
            return all([await self._version(e.membership_id) >= e.version for e in events])

        await wait_for(applied, what="the memberships to be known")

    def _stint(
        self,
        person: str,
        role: str | None,
        joined_on: dt.date | None = None,
        left_on: dt.date | None = None,
        version: int = 1,
    ) -> MembershipChanged:
        membership_id = self.memberships.setdefault(person, uuid.uuid4())
        return MembershipChanged(
            membership_id=membership_id,
            version=version,
            project_id=uuid.UUID(self.project_id),
            person_id=person,
            role=role,  # type: ignore[arg-type]
            joined_on=joined_on or self.today - dt.timedelta(days=400),
            left_on=left_on,
        )

    async def _version(self, membership_id: uuid.UUID) -> int:
        async with self.volunteers.runtime.session_factory() as session:
            held = await session.get(ProjectMember, membership_id)
            return held.version if held is not None else 0

    async def _count(self, model: type) -> int:
        async with self.volunteers.runtime.session_factory() as session:
            return int(
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
            )

    async def entry_count(self) -> int:
        return await self._count(HourEntry)

    async def rollup_minutes(self) -> int:
        async with self.volunteers.runtime.session_factory() as session:
            query = select(func.coalesce(func.sum(HourRollup.minutes), 0)).where(
                HourRollup.project_id == uuid.UUID(self.project_id)
            )
            return int((await session.execute(query)).scalar_one())

    def hours(self, minutes: int = 120, worked_on: dt.date | None = None, **more: Any) -> dict:
        return {
            "project_id": self.project_id,
            "activity": "gardening",
            "worked_on": (worked_on or self.today).isoformat(),
            "minutes": minutes,
            **more,
        }


@pytest.fixture
async def make_hours_project(start_service):
    """`await make_hours_project(city_timezone=...)`: volunteers (with those settings) knowing
    project "Elisabeth"; members join with `await project.join(...)`."""

    async def make(**settings: Any) -> HoursProject:
        volunteers = await start_service("volunteers", **settings)
        project_id = uuid.uuid4()
        await publish_events(
            volunteers.settings.nats_url,
            [ProjectCreated(project_id=project_id, version=1, name="Elisabeth", slug="elisabeth")],
        )

        async def known() -> bool:
            return (await volunteers.client.get(f"/projects/{project_id}")).status_code == 200

        await wait_for(known, what="the project to be known")
        return HoursProject(volunteers, str(project_id))

    return make


@pytest.fixture
async def hours_project(make_hours_project) -> HoursProject:
    return await make_hours_project()


@dataclass
class HoursWorld:
    service: Any
    auth_header: Callable[..., dict[str, str]]
    project_id: str
    members: dict[str, str] = field(default_factory=dict)  # person id → role

    @property
    def client(self) -> Any:
        return self.service.client

    def as_(self, person_id: str | None) -> dict[str, str]:
        return self.auth_header(person_id) if person_id else {}

    def count(self, table: str) -> int:
        return int(sql_value(self.service.database_url, f"SELECT count(*) FROM {table}"))

    async def publish(self, events: list[Any]) -> None:
        await publish_events(self.service.settings.nats_url, events)

    async def add_members(
        self, role: str, people: Iterable[str], joined_on: dt.date, left_on: dt.date | None = None
    ) -> None:
        people = list(people)
        await self.publish(
            [
                MembershipChanged(
                    membership_id=uuid.uuid4(),
                    version=1,
                    project_id=uuid.UUID(self.project_id),
                    person_id=person,
                    role=None if left_on else role,  # type: ignore[arg-type]
                    joined_on=joined_on,
                    left_on=left_on,
                )
                for person in people
            ]
        )
        self.members.update(dict.fromkeys(people, role))
        await self.wait_rows("project_member", len(self.members))

    async def name(self, person_id: str, display_name: str, public: bool, version: int = 1) -> None:
        await self.publish(
            [
                PersonUpdated(
                    person_id=person_id,
                    version=version,
                    display_name=display_name,
                    name_public=public,
                )
            ]
        )

        async def applied() -> bool:
            query = "SELECT count(*) FROM known_person WHERE person_id = %s AND version = %s"
            return sql_value(self.service.database_url, query, person_id, version) == 1

        await wait_for(applied, what=f"{person_id}'s name")

    async def wait_rows(self, table: str, rows: int) -> None:
        async def arrived() -> bool:
            return self.count(table) >= rows

        await wait_for(arrived, what=f"{rows} rows in {table}")

    async def import_sheet(self, body: str | bytes, by: str) -> Any:
        return await self.client.post(
            f"/projects/{self.project_id}/hours/import",
            content=body.encode() if isinstance(body, str) else body,
            headers={**self.as_(by), "Content-Type": "text/csv"},
        )

    async def approve_all(self, entry_ids: list[str], by: str) -> None:
        """Through the real approval path: the coordinators' batch decision, 100 at a time."""
        for start in range(0, len(entry_ids), 100):
            answer = await self.client.post(
                "/hours/decisions",
                json={"entry_ids": entry_ids[start : start + 100], "approve": True, "reason": ""},
                headers=self.as_(by),
            )
            assert answer.status_code == 200, answer.text
            errors = [r["error"] for r in answer.json()["results"] if r["error"]]
            assert errors == [], errors


def sheet(rows: Iterable[dict[str, Any]], columns: Iterable[str] | None = None) -> str:
    """A sign-in sheet as a spreadsheet saves it (comma-separated, CRLF)."""
    rows = list(rows)
    names = list(columns or rows[0].keys())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, names, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def make_sheet() -> Callable[..., str]:
    return sheet


@pytest.fixture
async def hours_world(start_service, auth_header) -> Callable[..., Any]:
    """`await hours_world(hourly_rate="13.37")`: a fresh service and project, with one
    coordinator ("coordinator-1") who imports and a second ("coordinator-2") who approves."""

    async def make(**settings: Any) -> HoursWorld:
        service = await start_service("volunteers", **settings)
        project_id = uuid.uuid4()
        await publish_events(
            service.settings.nats_url,
            [ProjectCreated(project_id=project_id, version=1, name="Park", slug="park")],
        )

        async def known() -> bool:
            return (await service.client.get(f"/projects/{project_id}")).status_code == 200

        await wait_for(known, what="the project to be known")
        world = HoursWorld(service, auth_header, str(project_id))
        long_ago = service.settings.today() - dt.timedelta(days=400)
        await world.add_members("coordinator", ["coordinator-1", "coordinator-2"], long_ago)
        return world

    return make
