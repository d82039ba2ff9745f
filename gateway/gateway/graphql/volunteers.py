"""volunteers in GraphQL: logging hours and deciding on them."""

import datetime as dt
import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import (
    Refusal,
    as_result,
)
from gateway.graphql.node import Node


@strawberry.enum
class HourStatus(Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@strawberry.type(description="Volunteer time logged on a project.")
class HourEntry(Node):
    project_id: strawberry.ID
    site_id: strawberry.ID | None
    activity: str
    worked_on: dt.date
    minutes: int
    note: str
    status: HourStatus
    version: int


def hour_entry_from(data: dict[str, Any]) -> HourEntry:
    return HourEntry(
        id=strawberry.ID(data["id"]),
        project_id=strawberry.ID(data["project_id"]),
        site_id=strawberry.ID(data["site_id"]) if data.get("site_id") else None,
        activity=data["activity"],
        worked_on=dt.date.fromisoformat(data["worked_on"]),
        minutes=data["minutes"],
        note=data["note"],
        status=HourStatus(data["status"]),
        version=data["version"],
    )


@strawberry.input
class LogHoursInput:
    project_id: uuid.UUID
    activity: str
    worked_on: dt.date
    minutes: int
    site_id: uuid.UUID | None = None
    note: str = ""


HourEntryResult = Annotated[
    HourEntry | Refusal,
    strawberry.union("HourEntryResult"),
]


async def _send(info: Info, path: str, body: dict[str, Any] | None = None) -> Any:
    async def post() -> HourEntry:
        return hour_entry_from(await info.context.services.post("volunteers", path, body))

    return await as_result(info, post)


@strawberry.type
class VolunteersMutation:
    @strawberry.mutation(description="Log time spent on a project; someone else approves it.")
    async def log_hours(self, info: Info, input: LogHoursInput) -> HourEntryResult:
        body = {
            "project_id": str(input.project_id),
            "site_id": str(input.site_id) if input.site_id else None,
            "activity": input.activity,
            "worked_on": input.worked_on.isoformat(),
            "minutes": input.minutes,
            "note": input.note,
        }
        return await _send(info, "/hours", body)

    @strawberry.mutation
    async def approve_hours(self, info: Info, id: uuid.UUID) -> HourEntryResult:
        return await _send(info, f"/hours/{id}/approve")

    @strawberry.mutation
    async def reject_hours(self, info: Info, id: uuid.UUID, reason: str = "") -> HourEntryResult:
        return await _send(info, f"/hours/{id}/reject", {"reason": reason})
