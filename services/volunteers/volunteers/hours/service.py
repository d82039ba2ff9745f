"""Hour entries: a volunteer logs time on a project; someone else approves or rejects it.

(Who may approve — a project's coordinators — arrives with spaces' membership events; until then
it is an admin's call.)
"""

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from meent_shared.events.outbox import record_event
from volunteers.db import outbox
from volunteers.hours import events
from volunteers.hours.models import HourEntry, HourEntryCreate, HourStatus
from volunteers.projects import service as project_service
from volunteers.sites import service as site_service


async def submit_hours(
    *, session: AsyncSession, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntry:
    if entry_in.worked_on > today:
        raise InvalidInput("Hours cannot be logged for a future day", loc=["body", "worked_on"])
    if (
        await project_service.get_known_project(session=session, project_id=entry_in.project_id)
        is None
    ):
        raise InvalidInput(f"Unknown project {entry_in.project_id}", loc=["body", "project_id"])
    if entry_in.site_id is not None and not await site_service.site_is_known(
        session=session, site_id=entry_in.site_id
    ):
        raise InvalidInput(f"Unknown site {entry_in.site_id}", loc=["body", "site_id"])
    entry = HourEntry.model_validate(
        entry_in, update={"person_id": person.sub, "logged_by": person.sub}
    )
    session.add(entry)
    await session.flush()
    await record_event(session, outbox, events.hours_submitted(entry))
    return entry


async def decide_hours(
    *, session: AsyncSession, entry_id: uuid.UUID, by: Principal, approve: bool, reason: str = ""
) -> HourEntry:
    entry = await session.get(HourEntry, entry_id, with_for_update=True)
    if entry is None:
        raise NotFound(f"No hour entry {entry_id}")
    if entry.person_id == by.sub:
        raise Forbidden("No one approves or rejects their own hours", code="own_hours")
    if not by.has_role("admin"):
        raise Forbidden("Only a project coordinator or an admin decides on hours")
    if entry.status is not HourStatus.submitted:
        raise Conflict(f"This entry is already {entry.status.value}", code="already_decided")
    entry.status = HourStatus.approved if approve else HourStatus.rejected
    entry.decided_by = by.sub
    entry.reason = reason
    entry.version += 1
    await session.flush()
    event = events.hours_approved(entry) if approve else events.hours_rejected(entry)
    await record_event(session, outbox, event)
    return entry


async def visible_hours(*, session: AsyncSession, entry_id: uuid.UUID, by: Principal) -> HourEntry:
    """An entry for the person who logged it and for whoever may decide on it."""
    entry = await session.get(HourEntry, entry_id)
    if entry is None:
        raise NotFound(f"No hour entry {entry_id}")
    if entry.person_id != by.sub and not by.has_role("admin"):
        raise Forbidden("Hours are seen by the person who logged them and by who decides on them")
    return entry
