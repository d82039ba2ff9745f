"""The reviewer pool and each call's panel.

A citizen opts in to review and gets a random pool-entry id (never their OIDC subject in anything
public). When a call opens, the pool as it is then is frozen for that call's draw (`call_pool_entry`;
later joiners wait for the next call) and the call publishes SHA-256 of a secret seed and of the
sorted pool-entry ids (`grants.panels.draw`). The panel is the first `panel_size` entries ranked
by SHA-256(seed ‖ id), or people the officer assigns. At the decision the seed and the frozen
pool are shown, so anyone can re-run the draw.
"""

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Column, DateTime, ForeignKey, Index, Uuid, func, text
from sqlmodel import Field

from grants.db import Model
from meent_shared.types import PersonId


class PoolEntry(Model, table=True):
    __tablename__ = "pool_entry"
    __table_args__ = (
        # One standing entry per person; leaving and joining again is a new entry (a new id).
        Index(
            "uq_pool_entry_person_standing",
            "person_id",
            unique=True,
            postgresql_where=text("left_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    person_id: str = Field(index=True)
    joined_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    left_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class CallPoolEntry(Model, table=True):
    """The pool frozen for one call's draw, at its opening."""

    __tablename__ = "call_pool_entry"

    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), primary_key=True)
    )
    pool_entry_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("pool_entry.id"), primary_key=True)
    )


class PanelSeat(StrEnum):
    drawn = "drawn"
    assigned = "assigned"


class PanelMember(Model, table=True):
    __tablename__ = "panel_member"

    call_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("funding_call.id"), primary_key=True)
    )
    person_id: str = Field(primary_key=True)
    pool_entry_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(Uuid, ForeignKey("pool_entry.id"))
    )
    place: int | None = None  # the rank in the draw; None when assigned
    seat: PanelSeat
    seated_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class PoolEntryPublic(Model):
    id: uuid.UUID
    joined_at: dt.datetime
    left_at: dt.datetime | None


class DrawPublic(Model):
    """What anyone may check: the commitments from the opening; after the decision, the seed,
    the frozen pool and the drawn entries in order."""

    call_id: uuid.UUID
    seed_commitment: str | None
    pool_commitment: str | None
    pool_size: int
    panel_size: int
    drawn: bool
    seed: str | None = None
    pool: list[uuid.UUID] | None = None
    drawn_entries: list[uuid.UUID] | None = None


class PanelMemberPublic(Model):
    """A panel member as the officer (and, after the decision, anyone) sees them."""

    person_id: str | None  # only to officers
    pool_entry_id: uuid.UUID | None
    place: int | None
    seat: PanelSeat


class PanelPublic(Model):
    call_id: uuid.UUID
    size: int
    members: list[PanelMemberPublic]
    # Whether the viewer has a seat: tells a reviewer the scoring form is theirs (and no one
    # anything about anyone else).
    you_sit: bool = False


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
