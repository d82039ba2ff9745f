import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.context import Info
from gateway.graphql.errors import UserError
from gateway.graphql.node import Node

# GraphQL arguments named like the REST query parameters (`from` is a Python keyword).
From = Annotated[dt.date, strawberry.argument(name="from")]
To = Annotated[dt.date, strawberry.argument(name="to")]


@strawberry.type(description="A stretch of time with one winning use.")
class UseSegment:
    start: dt.datetime
    end: dt.datetime
    use: str
    period_id: strawberry.ID
    priority: int


def segment_from(data: dict[str, Any]) -> UseSegment:
    return UseSegment(
        start=dt.datetime.fromisoformat(data["start"]),
        end=dt.datetime.fromisoformat(data["end"]),
        use=data["use"],
        period_id=strawberry.ID(data["period_id"]),
        priority=data["priority"],
    )


@strawberry.type(description="A use over dates, optionally recurring (RFC 5545 RRULE), local time.")
class UsePeriod(Node):
    site_id: strawberry.ID
    use: str
    priority: int
    starts_on: dt.date
    ends_on: dt.date | None
    rule: str | None
    day_starts_at: dt.time | None
    day_ends_at: dt.time | None
    note: str
    status: str
    version: int


def period_from(data: dict[str, Any]) -> UsePeriod:
    def time_or_none(value: str | None) -> dt.time | None:
        return dt.time.fromisoformat(value) if value else None

    return UsePeriod(
        id=strawberry.ID(data["id"]),
        site_id=strawberry.ID(data["site_id"]),
        use=data["use"],
        priority=data["priority"],
        starts_on=dt.date.fromisoformat(data["starts_on"]),
        ends_on=dt.date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None,
        rule=data.get("rule"),
        day_starts_at=time_or_none(data.get("day_starts_at")),
        day_ends_at=time_or_none(data.get("day_ends_at")),
        note=data.get("note", ""),
        status=data["status"],
        version=data["version"],
    )


@strawberry.type(description="A project caring for a site, from when to when.")
class Stewardship(Node):
    site_id: strawberry.ID
    project_id: strawberry.ID
    project_name: str | None
    starts_on: dt.date
    ends_on: dt.date | None
    version: int


def stewardship_from(data: dict[str, Any]) -> Stewardship:
    return Stewardship(
        id=strawberry.ID(data["id"]),
        site_id=strawberry.ID(data["site_id"]),
        project_id=strawberry.ID(data["project_id"]),
        project_name=data.get("project_name"),
        starts_on=dt.date.fromisoformat(data["starts_on"]),
        ends_on=dt.date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None,
        version=data["version"],
    )


@strawberry.type(description="One due date of a maintenance task.")
class TaskOccurrence:
    task_id: strawberry.ID
    site_id: strawberry.ID
    site_name: str
    team_id: strawberry.ID | None
    title: str
    due_on: dt.date
    heavy: bool
    done: bool
    completed_by: str | None
    overdue: bool
    clashes_with_use: str | None


def occurrence_from(data: dict[str, Any]) -> TaskOccurrence:
    return TaskOccurrence(
        task_id=strawberry.ID(data["task_id"]),
        site_id=strawberry.ID(data["site_id"]),
        site_name=data["site_name"],
        team_id=strawberry.ID(data["team_id"]) if data.get("team_id") else None,
        title=data["title"],
        due_on=dt.date.fromisoformat(data["due_on"]),
        heavy=data["heavy"],
        done=data["done"],
        completed_by=data.get("completed_by"),
        overdue=data["overdue"],
        clashes_with_use=data.get("clashes_with_use"),
    )


@strawberry.type(description="Planned maintenance work on a site, once or recurring.")
class MaintenanceTask(Node):
    site_id: strawberry.ID
    team_id: strawberry.ID | None
    title: str
    description: str
    due_on: dt.date
    rule: str | None
    heavy: bool
    status: str
    version: int


def task_from(data: dict[str, Any]) -> MaintenanceTask:
    return MaintenanceTask(
        id=strawberry.ID(data["id"]),
        site_id=strawberry.ID(data["site_id"]),
        team_id=strawberry.ID(data["team_id"]) if data.get("team_id") else None,
        title=data["title"],
        description=data["description"],
        due_on=dt.date.fromisoformat(data["due_on"]),
        rule=data.get("rule"),
        heavy=data["heavy"],
        status=data["status"],
        version=data["version"],
    )


@strawberry.type(description="A city maintenance team: people with the maintenance role.")
class Team(Node):
    name: str
    description: str
    members: list[str]

    @strawberry.field(description="The team's tasks as an iCalendar feed.")
    def calendar_url(self, info: Info) -> str:
        return f"{info.context.settings.public_url}/calendars/teams/{self.id}.ics"


def team_from(data: dict[str, Any]) -> Team:
    return Team(
        id=strawberry.ID(data["id"]),
        name=data["name"],
        description=data["description"],
        members=data["members"],
    )


@strawberry.type(description="A place citizens steward: a green area, a square, a garden.")
class Site(Node):
    name: str
    kind: str
    description: str
    timezone: str
    area_m2: float = strawberry.field(description="Geodesic area on the spheroid, m²")
    external_id: str | None
    version: int
    geometry: JSON = strawberry.field(description="GeoJSON MultiPolygon (RFC 7946)")
    use: str | None = strawberry.field(description="Its use on the date asked for (sites(useOn))")

    @strawberry.field(
        description="The use at an instant (default: now), as its whole segment: `start` is when "
        "this use began and `end` when it next changes, each looked for up to 366 days away (a "
        "use that began earlier or goes on longer shows that bound)."
    )
    async def use_at(self, info: Info, at: dt.datetime | None = None) -> UseSegment | None:
        params = {"at": at.isoformat()} if at else None
        data = await info.context.services.get("commons", f"/sites/{self.id}/use", params)
        return segment_from(data) if data else None

    @strawberry.field(
        description="The use on a day (at the site's local noon, as on the map), as its whole "
        "segment: `start` is when this use began and `end` when it next changes, each looked "
        "for up to 366 days away (a use that began earlier or goes on longer shows that bound)."
    )
    async def use_on(self, info: Info, date: dt.date) -> UseSegment | None:
        data = await info.context.services.get(
            "commons", f"/sites/{self.id}/use", {"on": date.isoformat()}, arguments={"on": "date"}
        )
        return segment_from(data) if data else None

    @strawberry.field(
        description="Winning uses from `from` (inclusive) to `to` (exclusive); at most 5 years."
    )
    async def timeline(self, info: Info, start: From, end: To) -> list[UseSegment]:
        data = await info.context.services.get(
            "commons",
            f"/sites/{self.id}/timeline",
            {"from": start.isoformat(), "to": end.isoformat()},
        )
        return [segment_from(s) for s in data["segments"]]

    @strawberry.field(description="Every use period, proposals included.")
    async def periods(self, info: Info) -> list[UsePeriod]:
        data = await info.context.services.get("commons", f"/sites/{self.id}/periods")
        return [period_from(p) for p in data]

    @strawberry.field(description="Projects stewarding the site, now and before.")
    async def stewards(self, info: Info) -> list[Stewardship]:
        data = await info.context.services.get("commons", f"/sites/{self.id}/stewards")
        return [stewardship_from(s) for s in data]

    @strawberry.field(description="Maintenance due on the site between two dates.")
    async def tasks(self, info: Info, start: From, end: To) -> list[TaskOccurrence]:
        params = {"site_id": str(self.id), "from": start.isoformat(), "to": end.isoformat()}
        data = await info.context.services.get("commons", "/tasks/due", params)
        return [occurrence_from(o) for o in data]

    @strawberry.field(description="Uses and maintenance as an iCalendar feed.")
    def calendar_url(self, info: Info) -> str:
        return f"{info.context.settings.public_url}/calendars/sites/{self.id}.ics"


def site_from(feature: dict[str, Any]) -> Site:
    properties = feature["properties"]
    return Site(
        id=strawberry.ID(feature["id"]),
        name=properties["name"],
        kind=properties["kind"],
        description=properties["description"],
        timezone=properties["timezone"],
        area_m2=properties["area_m2"],
        external_id=properties["external_id"],
        version=properties["version"],
        geometry=feature["geometry"],
        use=properties.get("use"),
    )


@strawberry.type(description="Two uses at one priority would overlap: the other period and when.")
class ScheduleConflict(UserError):
    conflicting_period_id: strawberry.ID | None
    conflicting_use: str | None
    first_overlap: dt.date | None


@strawberry.type(description="The geometry was refused; the message names the problem.")
class InvalidGeometry(UserError):
    pass


def to_uuid(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))
