import uuid

from sqlmodel import Field

from volunteers.db import Model


class KnownProject(Model, table=True):
    """spaces' projects as volunteers knows them from events: hours can only go to these."""

    __tablename__ = "known_project"

    project_id: uuid.UUID = Field(primary_key=True)
    name: str
    slug: str
    version: int
