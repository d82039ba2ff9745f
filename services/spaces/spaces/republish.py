"""What `python -m spaces.worker republish` re-announces: every project, at its current version.

(Persons and memberships join here when spaces starts publishing them.)
"""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import Announcer, each
from spaces.projects import events as project_events
from spaces.projects.models import Project


async def announce_projects(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for project in each(session, select(Project).order_by(col(Project.id))):
        yield project_events.current_state(project)


ANNOUNCERS: list[Announcer] = [announce_projects]
