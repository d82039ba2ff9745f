"""volunteers' hours in GraphQL: the types, and how volunteers' answers become them.

Money is a Decimal (a string on the wire, as volunteers sends it: rounded half-even to the cent on
each figure there); never a float.
"""

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from gateway.graphql.node import Node
from gateway.graphql.pagination import Edge, PageInfo


@strawberry.enum
class HourStatus(Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = strawberry.enum_value("withdrawn", description="By its logger, while submitted")


@strawberry.enum
class HourActivity(Enum):
    PLANNING = "planning"
    CONSULTATION = "consultation"
    GARDENING = "gardening"
    MAINTENANCE = "maintenance"
    OUTREACH = "outreach"
    ADMINISTRATION = "administration"
    OTHER = "other"


@strawberry.enum
class HourSource(Enum):
    WEB = strawberry.enum_value("web", description="Logged by the volunteer")
    CORRECTION = strawberry.enum_value("correction", description="A signed delta to an entry")
    IMPORTED = strawberry.enum_value("imported", description="From a paper sign-in sheet (CSV)")


@strawberry.enum
class HoursGroupBy(Enum):
    MONTH = "month"
    ACTIVITY = "activity"
    PERSON = "person"


@strawberry.type(description="Volunteer time logged on a project.")
class HourEntry(Node):
    project_id: strawberry.ID
    site_id: strawberry.ID | None
    activity: HourActivity
    worked_on: dt.date
    minutes: int = strawberry.field(description="Signed on a correction (a delta)")
    note: str
    status: HourStatus
    version: int
    person_id: str | None = strawberry.field(
        default=None, description="Whose hours: null unless their profile shows their name"
    )
    person_name: str | None = strawberry.field(
        default=None, description="Their display name, where their profile allows it"
    )
    logged_by: str | None = strawberry.field(
        default=None, description="Who entered them (the person, or an importing coordinator)"
    )
    source: HourSource = HourSource.WEB
    corrects_entry_id: strawberry.ID | None = strawberry.field(
        default=None, description="The approved entry this one corrects"
    )
    reason: str = strawberry.field(default="", description="Why it was rejected")
    created_at: dt.datetime | None = None


def _id_or_none(value: Any) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value else None


def hour_entry_from(data: dict[str, Any]) -> HourEntry:
    created_at = data.get("created_at")
    return HourEntry(
        id=strawberry.ID(data["id"]),
        project_id=strawberry.ID(data["project_id"]),
        site_id=_id_or_none(data.get("site_id")),
        activity=HourActivity(data["activity"]),
        worked_on=dt.date.fromisoformat(data["worked_on"]),
        minutes=data["minutes"],
        note=data["note"],
        status=HourStatus(data["status"]),
        version=data["version"],
        person_id=data.get("person_id"),
        person_name=data.get("person_name"),
        logged_by=data.get("logged_by"),
        source=HourSource(data.get("source") or "web"),
        corrects_entry_id=_id_or_none(data.get("corrects_entry_id")),
        reason=data.get("reason") or "",
        created_at=dt.datetime.fromisoformat(created_at) if created_at else None,
    )


@strawberry.type(description="A page of hour entries, newest day first (the queue: oldest first).")
class HourEntryConnection:
    nodes: list[HourEntry]
    page_info: PageInfo
    edges: list[Edge[HourEntry]] = strawberry.field(description="The entries with their cursors.")


def keyset_cursor(*parts: object) -> str:
    """A cursor as volunteers writes it (hours/queries.py `encode_cursor`): its listing's sort
    key, so paging on from any entry asks volunteers for what follows that entry."""
    text = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def by_day(entry: dict[str, Any]) -> str:
    """The cursor of an entry in a listing by day (hours, a project's, one's own)."""
    return keyset_cursor(entry["worked_on"], entry["id"])


def by_arrival(entry: dict[str, Any]) -> str:
    """The cursor of an entry in the approval queue (oldest first)."""
    return keyset_cursor(dt.datetime.fromisoformat(entry["created_at"]).isoformat(), entry["id"])


def hour_page_from(
    page: dict[str, Any], after: str | None, cursor: Callable[[dict[str, Any]], str] = by_day
) -> HourEntryConnection:
    """volunteers' keyset page: its cursors are opaque, and passed back as `after`."""
    nodes = [hour_entry_from(n) for n in page["nodes"]]
    cursors = [cursor(n) for n in page["nodes"]]
    return HourEntryConnection(
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=bool(page.get("has_next_page")),
            end_cursor=page.get("end_cursor"),
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
        ),
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
    )


@strawberry.type(description="One group of a summary: a month, an activity or a person.")
class HoursGroup:
    key: str | None = strawberry.field(
        description="2026-05, gardening, or a person's name; null: people who do not show theirs"
    )
    person_name: str | None
    minutes: int
    entries: int
    value: Decimal = strawberry.field(description="In-kind value of these minutes, to the cent")


@strawberry.type(description="A project's approved net hours, grouped, with their in-kind value.")
class HoursSummary:
    project_id: strawberry.ID
    from_: str | None = strawberry.field(name="from", description="The first month counted")
    to: str | None = strawberry.field(description="The last month counted")
    total_minutes: int
    entries: int
    value: Decimal = strawberry.field(
        description="total minutes × hourly rate ÷ 60, half-even to the cent (not a sum of groups)"
    )
    currency: str
    hourly_rate: Decimal
    groups: list[HoursGroup]


def summary_from(data: dict[str, Any]) -> HoursSummary:
    groups = [
        HoursGroup(
            key=g.get("key"),
            person_name=g.get("key") if g.get("person_id") else None,
            minutes=g["minutes"],
            entries=g["entries"],
            value=Decimal(g["value"]),
        )
        for g in data["groups"]
    ]
    return HoursSummary(
        project_id=strawberry.ID(str(data["project_id"])),
        from_=_text_or_none(data.get("from")),
        to=_text_or_none(data.get("to")),
        total_minutes=data["total_minutes"],
        entries=data["entries"],
        value=Decimal(data["value"]),
        currency=data["currency"],
        hourly_rate=Decimal(data["hourly_rate"]),
        groups=groups,
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


@strawberry.type(description="A project's approved net hours, public, with their in-kind value.")
class HoursTotal:
    minutes: int
    entries: int
    value: Decimal = strawberry.field(description="minutes × hourly rate ÷ 60, half-even, 0.01")
    currency: str

    @strawberry.field(description="minutes ÷ 60, for display (count with minutes)")
    def hours(self) -> float:
        return self.minutes / 60


def total_from(data: dict[str, Any]) -> HoursTotal:
    return HoursTotal(
        minutes=data["total_minutes"],
        entries=data["entries"],
        value=Decimal(data["value"]),
        currency=data["currency"],
    )


def uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
