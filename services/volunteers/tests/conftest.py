"""A volunteers service that knows a project and its members, as spaces' events tell it."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.testing.helpers import publish_events, wait_for
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
