"""grants' copy of spaces' projects and memberships, kept by `spaces.project.*` and
`spaces.membership.changed` events (keyed by spaces' ids, so a replay or republish sets it right)."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.projects.models import KnownProject, ProjectMember
from meent_shared.db import table_of
from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated, ProjectUpdated
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer


async def on_project_changed(
    session: AsyncSession, payload: ProjectCreated | ProjectUpdated, event: CloudEvent
) -> None:
    values = {
        "project_id": payload.project_id,
        "name": payload.name,
        "slug": payload.slug,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(KnownProject), values)


async def on_membership_changed(
    session: AsyncSession, payload: MembershipChanged, event: CloudEvent
) -> None:
    values = {
        "membership_id": payload.membership_id,
        "project_id": payload.project_id,
        "person_id": payload.person_id,
        "role": payload.role,
        "joined_on": payload.joined_on,
        "left_on": payload.left_on,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(ProjectMember), values)


def _current() -> list:
    return [col(ProjectMember.role).is_not(None), col(ProjectMember.left_on).is_(None)]


async def current_member_count(session: AsyncSession, project_id: uuid.UUID) -> int:
    query = select(func.count()).where(col(ProjectMember.project_id) == project_id, *_current())
    return await session.scalar(query) or 0


async def is_coordinator(session: AsyncSession, project_id: uuid.UUID, person_id: str) -> bool:
    query = select(func.count()).where(
        col(ProjectMember.project_id) == project_id,
        col(ProjectMember.person_id) == person_id,
        col(ProjectMember.role) == "coordinator",
        col(ProjectMember.left_on).is_(None),
    )
    return bool(await session.scalar(query))


async def projects_of(session: AsyncSession, person_id: str) -> set[uuid.UUID]:
    """The projects `person_id` is a current member of."""
    query = select(col(ProjectMember.project_id)).where(
        col(ProjectMember.person_id) == person_id, *_current()
    )
    return set((await session.scalars(query)).all())
