"""Events published by spaces on `meent.spaces.>` (stream MEENT_SPACES)."""

import datetime as dt
import uuid
from typing import ClassVar, Literal

from pydantic import Field

from meent_shared.events.contracts.base import EventPayload

ProjectRole = Literal["coordinator", "core", "skill"]


class PersonUpdated(EventPayload):
    """A person's public profile. Contact data never travels in events."""

    service: ClassVar[str] = "spaces"
    entity: ClassVar[str] = "person"
    verb: ClassVar[str] = "updated"
    key: ClassVar[str] = "person_id"

    person_id: str = Field(description="OIDC subject")
    display_name: str
    name_public: bool = Field(description="Whether the name may be shown to the public")
    language: str = "en"


class PersonErased(EventPayload):
    """Every service pseudonymises what it holds about this person: history stays, the name goes."""

    service: ClassVar[str] = "spaces"
    entity: ClassVar[str] = "person"
    verb: ClassVar[str] = "erased"
    key: ClassVar[str] = "person_id"

    person_id: str = Field(
        description="The OIDC subject the person had; this event is the last place it appears"
    )
    pseudonym: str | None = Field(
        default=None, description="What spaces names them now (`erased:<uuid>`): use the same one"
    )


class _ProjectEvent(EventPayload):
    service: ClassVar[str] = "spaces"
    entity: ClassVar[str] = "project"
    key: ClassVar[str] = "project_id"

    project_id: uuid.UUID
    name: str
    slug: str
    summary: str = ""


class ProjectCreated(_ProjectEvent):
    verb: ClassVar[str] = "created"


class ProjectUpdated(_ProjectEvent):
    verb: ClassVar[str] = "updated"


class MembershipChanged(EventPayload):
    """One stint of a person in a project; `role` None means they left (on `left_on`).

    A rejoin is a new `membership_id`; a role change keeps the id with a higher `version`. Both
    dates are the city's local dates (MEENT_CITY_TIMEZONE), inclusive."""

    service: ClassVar[str] = "spaces"
    entity: ClassVar[str] = "membership"
    verb: ClassVar[str] = "changed"
    key: ClassVar[str] = "membership_id"

    membership_id: uuid.UUID
    project_id: uuid.UUID
    person_id: str
    role: ProjectRole | None
    joined_on: dt.date
    left_on: dt.date | None = Field(default=None, description="None while a member")


class _DocumentEvent(EventPayload):
    service: ClassVar[str] = "spaces"
    entity: ClassVar[str] = "document"
    key: ClassVar[str] = "document_id"

    document_id: uuid.UUID
    project_id: uuid.UUID
    revision_id: uuid.UUID
    title: str


class DocumentRevised(_DocumentEvent):
    verb: ClassVar[str] = "revised"

    author_id: str
    message: str = ""


class DocumentPublished(_DocumentEvent):
    verb: ClassVar[str] = "published"
