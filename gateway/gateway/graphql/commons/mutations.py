import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.commons.types import (
    InvalidGeometry,
    MaintenanceTask,
    ScheduleConflict,
    Site,
    Stewardship,
    TaskOccurrence,
    Team,
    UsePeriod,
    occurrence_from,
    period_from,
    site_from,
    stewardship_from,
    task_from,
    team_from,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotAuthorized,
    NotFound,
    Refusal,
    UserError,
    as_result,
    user_error,
)
from gateway.graphql.services import ServiceError

GEOMETRY_CODES = {
    "invalid_geometry",
    "not_an_area",
    "unclosed_ring",
    "invalid_ring",
    "coordinates_out_of_range",
    "unsupported_crs",
    "too_many_vertices",
}


def commons_error(error: ServiceError) -> UserError:
    """commons' refusals, with the two the map and schedule editors act on typed apart."""
    item = error.detail[0] if error.detail else {}
    if error.code == "schedule_conflict":
        ctx = item.get("ctx", {})
        return ScheduleConflict(
            message=str(error),
            code=error.code,
            conflicting_period_id=ctx.get("period_id"),
            conflicting_use=ctx.get("use"),
            first_overlap=dt.date.fromisoformat(ctx["first_overlap"])
            if ctx.get("first_overlap")
            else None,
        )
    if error.code in GEOMETRY_CODES:
        return InvalidGeometry(message=str(error), code=error.code)
    return user_error(error)


async def call(info: Info, make: Callable[[], Awaitable[Any]]) -> Any:
    """Run a commons write for the caller: a typed refusal instead of an exception."""
    return await as_result(info, make, commons_error)


def body(value: Any) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        return (
            v.isoformat()
            if isinstance(v, dt.date | dt.time)
            else str(v)
            if isinstance(v, uuid.UUID)
            else v
        )

    return {k: plain(v) for k, v in vars(value).items() if v is not None}


@strawberry.input
class CreateSiteInput:
    name: str
    kind: str
    geometry: JSON
    timezone: str = "Europe/Amsterdam"
    description: str = ""
    external_id: str | None = None


@strawberry.input
class UpdateSiteInput:
    name: str | None = None
    kind: str | None = None
    description: str | None = None
    timezone: str | None = None
    geometry: JSON | None = None


@strawberry.input
class UsePeriodInput:
    use: str
    starts_on: dt.date
    priority: int = 0
    ends_on: dt.date | None = None
    rule: str | None = strawberry.field(
        default=None, description="RFC 5545 RRULE, e.g. FREQ=YEARLY"
    )
    day_starts_at: dt.time | None = None
    day_ends_at: dt.time | None = None
    note: str = ""


@strawberry.input
class StewardshipInput:
    project_id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date | None = None


@strawberry.input
class MaintenanceTaskInput:
    title: str
    due_on: dt.date
    team_id: uuid.UUID | None = None
    rule: str | None = None
    heavy: bool = False
    description: str = ""


SiteResult = Annotated[Site | InvalidGeometry | Refusal, strawberry.union("SiteResult")]
UsePeriodResult = Annotated[
    UsePeriod | ScheduleConflict | Refusal, strawberry.union("UsePeriodResult")
]
RemovedResult = Annotated[
    NotFound | NotAuthenticated | NotAuthorized | Conflict | InvalidInput,
    strawberry.union("RemoveResult"),
]
StewardshipResult = Annotated[Stewardship | Refusal, strawberry.union("StewardshipResult")]
TeamResult = Annotated[Team | Refusal, strawberry.union("TeamResult")]
TaskResult = Annotated[MaintenanceTask | Refusal, strawberry.union("MaintenanceTaskResult")]
CompletionResult = Annotated[TaskOccurrence | Refusal, strawberry.union("CompletionResult")]


@strawberry.type(description="Confirms a removal.")
class Removed:
    id: strawberry.ID


RemoveResult = Annotated[Removed | Refusal, strawberry.union("RemovePeriodResult")]


async def write(
    info: Info, convert: Callable[[Any], Any], method: str, path: str, json: Any = None
) -> Any:
    """Send one write to commons for the caller; its answer converted, or a typed refusal."""

    async def send() -> Any:
        services = info.context.services
        sender = {"POST": services.post, "PUT": services.put, "PATCH": services.patch}[method]
        return convert(await sender("commons", path, json))

    return await call(info, send)


@strawberry.type
class CommonsMutation:
    @strawberry.mutation(description="Add a site (maintenance, admin).")
    async def create_site(self, info: Info, input: CreateSiteInput) -> SiteResult:
        return await write(info, site_from, "POST", "/sites", body(input))

    @strawberry.mutation(description="Change a site (maintenance, admin).")
    async def update_site(self, info: Info, id: uuid.UUID, input: UpdateSiteInput) -> SiteResult:
        return await write(info, site_from, "PATCH", f"/sites/{id}", body(input))

    @strawberry.mutation(description="Schedule a use (maintenance, admin); a steward proposes one.")
    async def add_use_period(
        self, info: Info, site_id: uuid.UUID, input: UsePeriodInput
    ) -> UsePeriodResult:
        return await write(info, period_from, "POST", f"/sites/{site_id}/periods", body(input))

    @strawberry.mutation(description="Change a use period (maintenance, admin).")
    async def update_use_period(
        self, info: Info, id: uuid.UUID, input: UsePeriodInput
    ) -> UsePeriodResult:
        return await write(info, period_from, "PUT", f"/periods/{id}", body(input))

    @strawberry.mutation(description="Accept a steward's proposed period (maintenance, admin).")
    async def accept_use_period(self, info: Info, id: uuid.UUID) -> UsePeriodResult:
        return await write(info, period_from, "POST", f"/periods/{id}/accept")

    @strawberry.mutation(description="Remove a use period (maintenance, admin).")
    async def remove_use_period(self, info: Info, id: uuid.UUID) -> RemoveResult:
        async def remove() -> Removed:
            await info.context.services.delete("commons", f"/periods/{id}")
            return Removed(id=strawberry.ID(str(id)))

        return await call(info, remove)

    @strawberry.mutation(description="A project starts stewarding a site (maintenance, admin).")
    async def add_stewardship(
        self, info: Info, site_id: uuid.UUID, input: StewardshipInput
    ) -> StewardshipResult:
        return await write(
            info, stewardship_from, "POST", f"/sites/{site_id}/stewards", body(input)
        )

    @strawberry.mutation(description="A stewardship ends (maintenance, admin).")
    async def end_stewardship(
        self, info: Info, id: uuid.UUID, ends_on: dt.date
    ) -> StewardshipResult:
        path = f"/stewardships/{id}/end"
        return await write(info, stewardship_from, "POST", path, {"ends_on": ends_on.isoformat()})

    @strawberry.mutation(description="Form a maintenance team (maintenance, admin).")
    async def create_team(self, info: Info, name: str, description: str = "") -> TeamResult:
        team = {"name": name, "description": description}
        return await write(info, team_from, "POST", "/teams", team)

    @strawberry.mutation(description="Add a person to a team (maintenance, admin).")
    async def add_team_member(self, info: Info, team_id: uuid.UUID, person_id: str) -> TeamResult:
        services = info.context.services

        async def add() -> Team:
            # One path segment, whatever it holds: "?", "#" or a control character would
            # otherwise change the request (or break the URL) instead of reaching commons.
            member = quote(person_id, safe="")
            await services.put("commons", f"/teams/{team_id}/members/{member}")
            teams = await services.get("commons", "/teams")
            return team_from(next(t for t in teams if t["id"] == str(team_id)))

        return await call(info, add)

    @strawberry.mutation(description="Plan maintenance on a site (maintenance, admin).")
    async def create_maintenance_task(
        self, info: Info, site_id: uuid.UUID, input: MaintenanceTaskInput
    ) -> TaskResult:
        return await write(info, task_from, "POST", f"/sites/{site_id}/tasks", body(input))

    @strawberry.mutation(description="Mark a task's due date done (the task's team, admin).")
    async def complete_task(
        self, info: Info, task_id: uuid.UUID, due_on: dt.date | None = None
    ) -> CompletionResult:
        payload = {"due_on": due_on.isoformat()} if due_on else {}
        return await write(info, occurrence_from, "POST", f"/tasks/{task_id}/complete", payload)
