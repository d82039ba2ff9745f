"""Events published by commons on `meent.commons.>` (stream MEENT_COMMONS)."""

import datetime as dt
import uuid
from typing import ClassVar

from pydantic import Field

from meent_shared.events.contracts.base import EventPayload


class _SiteEvent(EventPayload):
    service: ClassVar[str] = "commons"
    entity: ClassVar[str] = "site"
    key: ClassVar[str] = "site_id"

    site_id: uuid.UUID
    name: str
    kind: str
    timezone: str = Field(description="IANA time zone of the site; its dates are local to it.")
    area_m2: float = Field(description="Geodesic area on the spheroid, square metres.")
    bbox: tuple[float, float, float, float] = Field(description="minLon, minLat, maxLon, maxLat")
    centroid: tuple[float, float] = Field(description="lon, lat of a point inside the site")
    external_id: str | None = None


class SiteCreated(_SiteEvent):
    verb: ClassVar[str] = "created"


class SiteUpdated(_SiteEvent):
    verb: ClassVar[str] = "updated"


class StewardshipChanged(EventPayload):
    """A project started or stopped stewarding a site; `ends_on` set means it has ended."""

    service: ClassVar[str] = "commons"
    entity: ClassVar[str] = "stewardship"
    verb: ClassVar[str] = "changed"
    key: ClassVar[str] = "stewardship_id"

    stewardship_id: uuid.UUID
    site_id: uuid.UUID
    project_id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date | None = None


class ScheduleChanged(EventPayload):
    """A site's use schedule changed; `version` is the site's schedule version."""

    service: ClassVar[str] = "commons"
    entity: ClassVar[str] = "schedule"
    verb: ClassVar[str] = "changed"
    key: ClassVar[str] = "site_id"

    site_id: uuid.UUID
    use_period_id: uuid.UUID
    change: str = Field(description="created, updated or deleted")


class SiteUseChanged(EventPayload):
    """The instant a site's active use flips, e.g. parking to recreation on 1 May 00:00 local."""

    service: ClassVar[str] = "commons"
    entity: ClassVar[str] = "site"
    verb: ClassVar[str] = "use_changed"
    key: ClassVar[str] = "site_id"

    site_id: uuid.UUID
    at: dt.datetime
    previous_use: str | None
    current_use: str | None
    use_period_id: uuid.UUID | None = None


class _TaskEvent(EventPayload):
    service: ClassVar[str] = "commons"
    entity: ClassVar[str] = "maintenance"
    key: ClassVar[str] = "task_id"

    task_id: uuid.UUID
    site_id: uuid.UUID
    team_id: uuid.UUID | None
    title: str
    due_on: dt.date


class MaintenanceTaskDue(_TaskEvent):
    verb: ClassVar[str] = "task_due"


class MaintenanceTaskCompleted(_TaskEvent):
    verb: ClassVar[str] = "task_completed"

    completed_by: str
    completed_at: dt.datetime
