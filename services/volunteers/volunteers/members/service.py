"""volunteers' copy of spaces' memberships and people, kept by `spaces.membership.changed` and
`spaces.person.updated` events."""

from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from meent_shared.events.contracts.spaces import MembershipChanged, PersonUpdated
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer
from volunteers.members.models import KnownPerson, ProjectMember

# The least a stint's role can be when the first event we see of it is its end.
_UNKNOWN_ROLE = "skill"


async def on_membership_changed(
    session: AsyncSession, payload: MembershipChanged, event: CloudEvent
) -> None:
    """One stint: `role` None once it ended; `last_role` keeps what it was (for past dates)."""
    last_role = payload.role or await _last_role(session, payload)
    values = {
        "membership_id": payload.membership_id,
        "project_id": payload.project_id,
        "person_id": payload.person_id,
        "role": payload.role,
        "last_role": last_role,
        "joined_on": payload.joined_on,
        "left_on": payload.left_on,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(ProjectMember), values)


async def _last_role(session: AsyncSession, payload: MembershipChanged) -> str:
    held = await session.get(ProjectMember, payload.membership_id)
    return held.last_role if held is not None else _UNKNOWN_ROLE


async def on_person_updated(
    session: AsyncSession, payload: PersonUpdated, event: CloudEvent
) -> None:
    values = {
        "person_id": payload.person_id,
        "display_name": payload.display_name,
        "name_public": payload.name_public,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(KnownPerson), values)
