import uuid

from sqlmodel import Field

from volunteers.db import Model


class KnownSite(Model, table=True):
    """commons' sites as volunteers knows them from events: hours may name only these."""

    __tablename__ = "known_site"

    site_id: uuid.UUID = Field(primary_key=True)
    name: str
    version: int
