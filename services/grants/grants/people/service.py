"""What grants holds about a person: which officer opened a call."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from grants.calls.models import FundingCall
from grants.db import outbox
from meent_shared.db import table_of
from meent_shared.erasure import PersonColumns, export_rows, pseudonymise
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.envelope import CloudEvent

PERSON_COLUMNS: PersonColumns = [(table_of(FundingCall), "created_by")]


async def on_person_erased(session: AsyncSession, payload: PersonErased, event: CloudEvent) -> None:
    await pseudonymise(session, PERSON_COLUMNS, outbox, payload)


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    return await export_rows(session, "grants", PERSON_COLUMNS, person_id)
