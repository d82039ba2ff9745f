"""A district: a named area of the city, imported by a grant officer from GeoJSON. A call limited
to a district admits the projects that steward a site inside it.

Stored as a valid MultiPolygon in SRID 4326 (a Polygon becomes a one-part MultiPolygon). Names are
unique: an officer picks a district by name, and a second "Oost" could only be a mistake. A
district does not change once imported, so a call's terms cannot move under its applicants.
"""

import datetime as dt
import uuid
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Uuid, func
from sqlmodel import Field

from grants.db import Model

MAX_NAME_LENGTH = 200


class District(Model, table=True):
    __tablename__ = "district"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=MAX_NAME_LENGTH, unique=True)
    geom: Any = Field(
        sa_column=Column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    )
    created_by: str
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    version: int = Field(default=1)


# The district rows as a person's export shows them (the officer who imported them): without the
# area, which says nothing about the person and is no JSON as stored. Erasure writes the pseudonym
# through it into `created_by` as through the full table.
DISTRICTS_OF_A_PERSON = Table(
    "district",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("name", String),
    Column("created_by", String),
    Column("created_at", DateTime(timezone=True)),
    Column("version", Integer),
)


class DistrictPublic(Model):
    id: uuid.UUID
    name: str
    geometry: dict[str, Any]  # GeoJSON MultiPolygon (RFC 7946)
    created_at: dt.datetime
    version: int


class DistrictsPublic(Model):
    """A page of districts: at most `limit`, and fewer (`truncated`) once their geometries hold
    the vertices one answer may carry; page on from `offset + len(data)`."""

    data: list[DistrictPublic]
    count: int
    truncated: bool


class RepairedFeature(Model):
    """A feature whose geometry was invalid and was made valid (`make_valid`) on import."""

    index: int
    name: str
    problem: str


class DistrictsImported(Model):
    data: list[DistrictPublic]
    count: int
    repaired: list[RepairedFeature]
