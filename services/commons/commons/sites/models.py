import datetime as dt
import uuid
from typing import Any
from zoneinfo import available_timezones

from geoalchemy2 import Geometry
from pydantic import field_validator
from sqlalchemy import Column, DateTime, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from commons.db import Model
from meent_shared.types import (
    FreeText,
    Identifier,
    JsonObject,
    JsonTextObject,
    NonBlankLine,
    SingleLine,
)

# A known core of kinds; the vocabulary stays open (`kind` is free text).
CORE_KINDS = ("green_area", "park", "square", "garden", "verge", "playground", "parking")
TIME_ZONES = frozenset(available_timezones())
# For the OpenAPI document: a small square in Gdańsk (clients, and fuzzers, start from it).
EXAMPLE_AREA = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}
EXAMPLE_ATTRIBUTES = {"surface": "grass"}


class SiteBase(Model):
    name: NonBlankLine = Field(min_length=1, max_length=200)
    kind: Identifier = Field(min_length=1, max_length=60)
    description: FreeText = Field(default="", max_length=5000)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    external_id: SingleLine | None = Field(default=None, max_length=200)


class SiteCreate(SiteBase):
    geometry: JsonTextObject = Field(
        description="A GeoJSON Polygon or MultiPolygon in WGS84",
        schema_extra={"examples": [EXAMPLE_AREA]},
    )
    attributes: JsonObject = Field(
        default_factory=dict, schema_extra={"examples": [EXAMPLE_ATTRIBUTES]}
    )

    @field_validator("timezone")
    @classmethod
    def known_time_zone(cls, value: str) -> str:
        if value not in TIME_ZONES:
            raise ValueError(f"unknown IANA time zone {value!r}")
        return value


class SiteUpdate(Model):
    name: NonBlankLine | None = Field(default=None, min_length=1, max_length=200)
    kind: Identifier | None = Field(default=None, min_length=1, max_length=60)
    description: FreeText | None = Field(default=None, max_length=5000)
    timezone: str | None = Field(default=None, max_length=64)
    geometry: JsonTextObject | None = Field(default=None, schema_extra={"examples": [EXAMPLE_AREA]})
    attributes: JsonObject | None = Field(
        default=None, schema_extra={"examples": [EXAMPLE_ATTRIBUTES]}
    )

    @field_validator("timezone")
    @classmethod
    def known_time_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in TIME_ZONES:
            raise ValueError(f"unknown IANA time zone {value!r}")
        return value


class Site(SiteBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    geom: Any = Field(
        sa_column=Column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    )
    # Geodesic area on the spheroid, kept with the geometry so lists need no recomputation.
    area_m2: float
    attributes: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False)
    )
    external_id: SingleLine | None = Field(default=None, max_length=200, unique=True)
    version: int = Field(default=1)
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
