"""What grants holds about a person: the calls an officer drafted, the applications a coordinator
wrote, the ledger entries an officer recorded, their stints in projects (from spaces), their
reviewer-pool entries, panel seats and reviews, and their ballots (shown to nobody else)."""

from typing import Any

from sqlalchemy import Column, MetaData, Table, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications.models import Application
from grants.ballots.models import Ballot
from grants.calls.models import FundingCall
from grants.db import outbox
from grants.districts.models import DISTRICTS_OF_A_PERSON
from grants.ledger.models import LedgerEntry
from grants.panels.models import PanelMember, PoolEntry
from grants.projects.models import ProjectMember
from grants.reviews.models import Review
from meent_shared.db import table_of
from meent_shared.erasure import PersonColumns, export_rows, pseudonymise
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent


def _without(table: Table, *secret: str) -> Table:
    """`table` as the export and the erasure see it: every column but `secret` ones."""
    kept = [Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns]
    return Table(table.name, MetaData(), *(c for c in kept if c.name not in secret))


# A call's draw seed is secret until the decision (and bytes, no JSON): never in an export.
CALLS_OF_A_PERSON = _without(table_of(FundingCall), "draw_seed")
PERSON_COLUMNS: PersonColumns = [
    (CALLS_OF_A_PERSON, "created_by"),
    (table_of(Application), "applicant"),
    (table_of(LedgerEntry), "recorded_by"),
    (table_of(ProjectMember), "person_id"),
    (DISTRICTS_OF_A_PERSON, "created_by"),
    (table_of(PoolEntry), "person_id"),
    (table_of(PanelMember), "person_id"),
    (table_of(Review), "reviewer"),
    (table_of(Ballot), "voter"),
]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    # An erased person reviews no more: their standing pool entry ends (calls that froze it
    # keep it, so their published pool stays what it was).
    await session.execute(
        update(PoolEntry)
        .where(col(PoolEntry.person_id) == payload.person_id, col(PoolEntry.left_at).is_(None))
        .values(left_at=func.now())
    )
    await pseudonymise(session, PERSON_COLUMNS, outbox, payload)


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    return await export_rows(session, "grants", PERSON_COLUMNS, person_id)
