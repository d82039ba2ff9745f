"""What commons holds about a person: who proposed a use, who made or completed a task, who is in
a team, who is a member of a stewarding project. Erasure (spaces' `person.erased`) puts spaces'
pseudonym in every one of those places: history stays, the subject goes."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from commons.db import outbox
from commons.maintenance.models import MaintenanceTask, TaskCompletion, TeamMember
from commons.schedules.models import UsePeriod
from commons.stewardship.models import ProjectMember
from meent_shared.db import table_of
from meent_shared.erasure import PersonColumns, export_rows, pseudonymise
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent

# Every column of commons that holds a person's OIDC subject.
PERSON_COLUMNS: PersonColumns = [
    (table_of(UsePeriod), "proposed_by"),
    (table_of(MaintenanceTask), "created_by"),
    (table_of(TaskCompletion), "completed_by"),
    (table_of(TeamMember), "person_id"),
    (table_of(ProjectMember), "person_id"),
]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    """Pseudonymise the person in every column that names them (a redelivery finds nothing)."""
    await pseudonymise(session, PERSON_COLUMNS, outbox, payload)


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    """commons' part of a person's export: each row that names them, as stored."""
    return await export_rows(session, "commons", PERSON_COLUMNS, person_id)
