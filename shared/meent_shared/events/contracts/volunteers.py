"""Events published by volunteers on `meent.volunteers.>` (stream MEENT_VOLUNTEERS)."""

import datetime as dt
import uuid
from typing import ClassVar

from pydantic import Field

from meent_shared.events.contracts.base import EventPayload


class _HoursEvent(EventPayload):
    service: ClassVar[str] = "volunteers"
    entity: ClassVar[str] = "hours"
    key: ClassVar[str] = "entry_id"

    entry_id: uuid.UUID
    person_id: str = Field(description="OIDC subject of the volunteer")
    project_id: uuid.UUID
    site_id: uuid.UUID | None = None
    activity: str
    worked_on: dt.date
    minutes: int = Field(description="Signed: a correction entry carries a negative delta.")
    corrects_entry_id: uuid.UUID | None = None


class HoursSubmitted(_HoursEvent):
    verb: ClassVar[str] = "submitted"


class HoursApproved(_HoursEvent):
    verb: ClassVar[str] = "approved"

    approved_by: str


class HoursRejected(_HoursEvent):
    verb: ClassVar[str] = "rejected"

    rejected_by: str
    reason: str = ""
