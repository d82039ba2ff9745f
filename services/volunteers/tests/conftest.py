"""A volunteers service with a project, its members and their names, as spaces' events make them;
and a paper sign-in sheet to fill it with hours (the coordinator's CSV import)."""

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from meent_shared.events.contracts.spaces import MembershipChanged, PersonUpdated, ProjectCreated
from meent_shared.testing.helpers import publish_events, sql_value, wait_for


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
