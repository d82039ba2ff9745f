"""People: the profile spaces keeps for each OIDC subject that takes part."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, DateTime, func
from sqlmodel import Field

from spaces.db import Model


class Language(StrEnum):
    en = "en"
    nl = "nl"
    pl = "pl"
    fr = "fr"


class Person(Model, table=True):
    """A person, keyed by their OIDC subject. The contact fields are never public; the display
    name is shown beside their contributions only when `name_public` (else "a member").
    Erasure blanks every field but the key and sets `erased_at` (history keeps the key)."""

    id: str = Field(primary_key=True, max_length=255)  # the OIDC subject
    display_name: str = Field(max_length=120)
    language: Language = Field(default=Language.en)
    name_public: bool = Field(default=False)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=40)
    version: int = Field(default=1)
    erased_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
