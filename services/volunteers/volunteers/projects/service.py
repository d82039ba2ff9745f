"""volunteers' copy of spaces' projects, kept by `spaces.project.*` events."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from meent_shared.events.contracts.spaces import ProjectCreated, ProjectUpdated
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer
from volunteers.projects.models import KnownProject


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


async def get_known_project(*, session: AsyncSession, project_id: uuid.UUID) -> KnownProject | None:
    return await session.get(KnownProject, project_id)
