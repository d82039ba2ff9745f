"""What grants knows about projects' volunteer work, for eligibility rules."""

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from grants.eligibility.models import ProjectHours
from meent_shared.db import table_of
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent


async def on_hours_approved(
    session: AsyncSession, payload: HoursApproved, event: CloudEvent
) -> None:
    """Add the approved minutes (negative for a correction) to the project's total."""
    table = table_of(ProjectHours)
    statement = insert(table).values(
        project_id=payload.project_id, approved_minutes=payload.minutes, approved_entries=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["project_id"],
        set_={
            "approved_minutes": table.c.approved_minutes + statement.excluded.approved_minutes,
            "approved_entries": table.c.approved_entries + 1,
        },
    )
    await session.execute(statement)


async def get_project_hours(*, session: AsyncSession, project_id: uuid.UUID) -> ProjectHours:
    hours = await session.get(ProjectHours, project_id)
    return hours or ProjectHours(project_id=project_id, approved_minutes=0, approved_entries=0)
