"""What grants knows about projects' volunteer work, for eligibility rules."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.eligibility.models import ApprovedHourEntry, ProjectHoursPublic
from meent_shared.db import table_of
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer


async def on_hours_approved(
    session: AsyncSession, payload: HoursApproved, event: CloudEvent
) -> None:
    """Keep the approved entry (a correction carries negative minutes) at its newest version."""
    values = {
        "entry_id": payload.entry_id,
        "project_id": payload.project_id,
        "minutes": payload.minutes,
        "worked_on": payload.worked_on,
        "corrects_entry_id": payload.corrects_entry_id,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(ApprovedHourEntry), values)


async def get_project_hours(*, session: AsyncSession, project_id: uuid.UUID) -> ProjectHoursPublic:
    query = select(func.coalesce(func.sum(col(ApprovedHourEntry.minutes)), 0), func.count()).where(
        col(ApprovedHourEntry.project_id) == project_id
    )
    minutes, entries = (await session.execute(query)).one()
    return ProjectHoursPublic(
        project_id=project_id,
        approved_minutes=minutes,
        approved_hours=round(minutes / 60, 2),
        approved_entries=entries,
    )
