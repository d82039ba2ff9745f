"""What volunteers holds about a person: whose hours an entry logs, who decided on it."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.db import table_of
from meent_shared.erasure import PersonColumns, export_rows, pseudonymise
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent
from volunteers.db import outbox
from volunteers.hours.models import HourEntry, HourRollup, IdempotencyKey
from volunteers.members.models import KnownPerson, ProjectMember

# Every column naming a person. (known_person's display name goes with the row's subject: erasure
# replaces the subject, and `on_person_erased` blanks the name.)
PERSON_COLUMNS: PersonColumns = [
    (table_of(HourEntry), "person_id"),
    (table_of(HourEntry), "logged_by"),
    (table_of(HourEntry), "decided_by"),
    (table_of(HourRollup), "person_id"),
    (table_of(IdempotencyKey), "person_id"),
    (table_of(ProjectMember), "person_id"),
    (table_of(KnownPerson), "person_id"),
]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    """The hours stay (a project's totals do not change); the subject goes."""
    await pseudonymise(session, PERSON_COLUMNS, outbox, payload)
    if payload.pseudonym is not None:
        await session.execute(
            update(KnownPerson)
            .where(col(KnownPerson.person_id) == payload.pseudonym)
            .values(display_name="", name_public=False)
        )


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    return await export_rows(session, "volunteers", PERSON_COLUMNS, person_id)
