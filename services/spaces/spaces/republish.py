"""What `python -m spaces.worker republish` re-announces at current versions: every project, every
membership stint (ended ones too: consumers date hours and eligibility by them), every person
not erased (an erased person's subject is gone: their erasure was announced once, and is not
repeated), every document at its current state (published, or last revised)."""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import BATCH, Announcer, each
from spaces.documents import events as document_events
from spaces.documents.models import Document, Revision
from spaces.memberships import events as membership_events
from spaces.memberships.models import Membership
from spaces.people import events as person_events
from spaces.people.models import Person
from spaces.projects import events as project_events
from spaces.projects.models import Project


async def announce_projects(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for project in each(session, select(Project).order_by(col(Project.id))):
        yield project_events.current_state(project)


async def announce_memberships(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for membership in each(session, select(Membership).order_by(col(Membership.id))):
        yield membership_events.membership_changed(membership)


async def announce_people(session: AsyncSession) -> AsyncIterator[EventPayload]:
    query = select(Person).where(col(Person.erased_at).is_(None)).order_by(col(Person.id))
    async for person in each(session, query):
        yield person_events.person_updated(person)


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


ANNOUNCERS: list[Announcer] = [
    announce_people,
    announce_projects,
    announce_memberships,
    announce_documents,
]
