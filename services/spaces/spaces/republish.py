"""What `python -m spaces.worker republish` re-announces at current versions: every project, every
membership stint (ended ones too: consumers date hours and eligibility by them), every person
not erased (an erased person's subject is gone: their erasure was announced once, and is not
repeated)."""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import Announcer, each
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


ANNOUNCERS: list[Announcer] = [announce_people, announce_projects, announce_memberships]
