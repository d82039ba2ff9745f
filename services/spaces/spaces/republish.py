"""What `python -m spaces.worker republish` re-announces: every project, at its current version.

Documents at their current state too. (Persons and memberships join here when spaces starts
publishing them.)
"""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import BATCH, Announcer, each
from spaces.documents import events as document_events
from spaces.documents.models import Document, Revision
from spaces.projects import events as project_events
from spaces.projects.models import Project


async def announce_projects(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for project in each(session, select(Project).order_by(col(Project.id))):
        yield project_events.current_state(project)


async def announce_documents(session: AsyncSession) -> AsyncIterator[EventPayload]:
    # The current revision's author and message, not its body (which may be a megabyte).
    query = (
        select(Document, col(Revision.author_id), col(Revision.message))
        .join(Revision, col(Revision.id) == col(Document.current_revision_id))
        .order_by(col(Document.id))
    )
    result = await session.stream(query.execution_options(yield_per=BATCH))
    async for document, author_id, message in result:
        yield document_events.current_state(document, author_id, message)


ANNOUNCERS: list[Announcer] = [announce_projects, announce_documents]
