"""What volunteers holds about a person: whose hours an entry logs, who decided on it."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from meent_shared.erasure import PersonColumns, export_rows, pseudonymise
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent
from volunteers.db import outbox
from volunteers.hours.models import HourEntry

PERSON_COLUMNS: PersonColumns = [
    (table_of(HourEntry), "person_id"),
    (table_of(HourEntry), "decided_by"),
]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    """The hours stay (a project's totals do not change); the subject goes."""
    await pseudonymise(session, PERSON_COLUMNS, outbox, payload)


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    return await export_rows(session, "volunteers", PERSON_COLUMNS, person_id)
