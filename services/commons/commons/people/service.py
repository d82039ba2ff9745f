"""What commons holds about a person: who proposed a use, who made or completed a task, who is in
a team, who is a member of a stewarding project. Erasure (spaces' `person.erased`) puts spaces'
pseudonym in every one of those places: history stays, the subject goes."""

import uuid
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from commons.db import outbox
from commons.maintenance.models import MaintenanceTask, TaskCompletion, TeamMember
from commons.schedules.models import UsePeriod
from commons.stewardship.models import ProjectMember
from meent_shared.db import table_of
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent

EXPORT_ROW_LIMIT = 10_000

# Every column of commons that holds a person's OIDC subject.
PERSON_COLUMNS: list[tuple[Table, str]] = [
    (table_of(UsePeriod), "proposed_by"),
    (table_of(MaintenanceTask), "created_by"),
    (table_of(TaskCompletion), "completed_by"),
    (table_of(TeamMember), "person_id"),
    (table_of(ProjectMember), "person_id"),
]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    """Pseudonymise the person in every column that names them (a redelivery finds nothing)."""
    pseudonym = payload.pseudonym or f"erased:{uuid.uuid4()}"
    for table, column in PERSON_COLUMNS:
        statement = (
            update(table).where(table.c[column] == payload.person_id).values({column: pseudonym})
        )
        await session.execute(statement)
    # Sent events that name them (task completions) leave the outbox too.
    names_them = outbox.c.event["data"]["completed_by"].astext == payload.person_id
    await session.execute(delete(outbox).where(outbox.c.published_at.is_not(None), names_them))


async def _rows(session: AsyncSession, table: Table, column: str, person_id: str) -> list[Any]:
    query = select(table).where(table.c[column] == person_id).limit(EXPORT_ROW_LIMIT)
    return [dict(row._mapping) for row in await session.execute(query)]


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    """commons' part of a person's export: each row that names them, as stored."""
    parts = {
        f"{table.name}.{column}": await _rows(session, table, column, person_id)
        for table, column in PERSON_COLUMNS
    }
    return {"service": "commons", "person_id": person_id, "rows": parts}
