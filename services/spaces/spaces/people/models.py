"""People: the profile spaces keeps for each OIDC subject that takes part."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import Column, DateTime, func
from sqlmodel import Field

from meent_shared.types import NonBlankLine
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


# Contact data is checked for shape only: it is the person's own, shown to no one else.
ContactEmail = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
ContactPhone = Annotated[
    str, StringConstraints(max_length=40, pattern=r"^\+?[0-9][0-9 ().-]{2,38}$")
]


class PersonUpdate(Model):
    """What a person changes in their own profile; fields left out stay as they are."""

    display_name: NonBlankLine | None = Field(default=None, min_length=1, max_length=120)
    language: Language | None = None
    name_public: bool | None = None
    contact_email: ContactEmail | None = None
    contact_phone: ContactPhone | None = None


class PersonPublic(Model):
    """Anyone's view: the name only if the person shows it; contact data never."""

    id: str
    display_name: str | None
    erased: bool


class PersonPrivate(Model):
    """The person's own view of their profile, contact data included."""

    id: str
    display_name: str
    language: Language
    name_public: bool
    contact_email: str | None
    contact_phone: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
