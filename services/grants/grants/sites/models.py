"""commons' sites and stewardships, projected from `commons.site.*` and
`commons.stewardship.changed`, keyed by commons' ids (so a replay or a republish sets them right).

A site is kept as the point inside it that commons announces (`centroid`): enough to tell which
district it lies in, and all that the district rule reads.
"""

import datetime as dt
import uuid
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import Column
from sqlmodel import Field

from grants.db import Model


class KnownSite(Model, table=True):
    __tablename__ = "known_site"

    site_id: uuid.UUID = Field(primary_key=True)
    name: str
    # None when commons announced no usable point (out of range): the site is in no district.
    point: Any = Field(
        default=None, sa_column=Column(Geometry("POINT", srid=4326, spatial_index=True))
    )
    version: int


class SiteStewardship(Model, table=True):
    """One stewardship: `project_id` stewards `site_id` from `starts_on` to `ends_on` (local
    dates, both inclusive; no end: ongoing). It may arrive before its site does."""

    __tablename__ = "site_stewardship"

    stewardship_id: uuid.UUID = Field(primary_key=True)
    site_id: uuid.UUID = Field(index=True)
    project_id: uuid.UUID = Field(index=True)
    starts_on: dt.date
    ends_on: dt.date | None = None
    version: int


class SiteInDistrict(Model):
    """A known site whose point lies in a district, and who stewards it on the day asked."""

    site_id: uuid.UUID
    name: str
    point: tuple[float, float]  # lon, lat
    stewarded_by: list[uuid.UUID]


class SitesInDistrict(Model):
    data: list[SiteInDistrict]
    count: int
