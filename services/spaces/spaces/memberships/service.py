"""Memberships: who is in a project's groups, from when to when.

Every change locks the project's row first (SELECT … FOR UPDATE), so changes to one project's
memberships happen one after another: two coordinators leaving at once cannot both see the other
as the one who stays, and the project always keeps a coordinator.
"""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, NotFound
from meent_shared.events.outbox import record_event
from spaces.access import require_project_role
from spaces.db import outbox
from spaces.memberships import events
from spaces.memberships.models import Membership, MembershipCreate, ProjectRole
from spaces.people.models import Person
from spaces.people.service import ensure_person
from spaces.projects.models import Project

COORDINATORS = frozenset({ProjectRole.coordinator})


async def lock_project(session: AsyncSession, project_id: uuid.UUID) -> Project:
    """The project, its row locked until the transaction ends; 404 when there is none."""
    project = await session.get(Project, project_id, with_for_update=True)
    if project is None:
        raise NotFound(f"No project {project_id}")
    return project


async def open_stint(
    session: AsyncSession, project_id: uuid.UUID, person_id: str
) -> Membership | None:
    query = select(Membership).where(
        col(Membership.project_id) == project_id,
        col(Membership.person_id) == person_id,
        col(Membership.left_on).is_(None),
    )
    return await session.scalar(query)


async def start_stint(
    session: AsyncSession,
    *,
    project_id: uuid.UUID,
    person_id: str,
    role: ProjectRole,
    today: dt.date,
) -> Membership:
    """A new stint from today; 409 when the person already has an open one."""
    if await open_stint(session, project_id, person_id) is not None:
        raise Conflict(f"{person_id} is already a member", code="already_member")
    membership = Membership(project_id=project_id, person_id=person_id, role=role, joined_on=today)
    session.add(membership)
    await session.flush()
    await session.refresh(membership)
    await record_event(session, outbox, events.membership_changed(membership))
    return membership


async def _known_person(session: AsyncSession, person_id: str) -> Person:
    person = await session.get(Person, person_id)
    if person is None or person.erased_at is not None:
        raise NotFound(f"No person {person_id} (they sign in once first)", code="unknown_person")
    return person


async def add_member(
    session: AsyncSession,
    *,
    project_id: uuid.UUID,
    membership_in: MembershipCreate,
    by: Principal,
    today: dt.date,
) -> Membership:
    """Anyone signed in joins the skill group; coordinators add anyone in any role."""
    await lock_project(session, project_id)
    person_id = membership_in.person_id or by.sub
    if person_id != by.sub or membership_in.role != ProjectRole.skill:
        await require_project_role(session, project_id, by, COORDINATORS, "add members")
    if person_id == by.sub:
        await ensure_person(session, by)
    else:
        await _known_person(session, person_id)
    return await start_stint(
        session, project_id=project_id, person_id=person_id, role=membership_in.role, today=today
    )


async def _stint_of_project(
    session: AsyncSession, project_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership:
    membership = await session.get(Membership, membership_id)
    if membership is None or membership.project_id != project_id:
        raise NotFound(f"No membership {membership_id} in project {project_id}")
    if membership.left_on is not None:
        raise Conflict("This stint has ended; a rejoin is a new membership", code="stint_ended")
    return membership


async def _keep_a_coordinator(session: AsyncSession, membership: Membership) -> None:
    """Refuse to close or demote the project's last coordinator (the project row is locked)."""
    if membership.role != ProjectRole.coordinator:
        return
    others = select(func.count()).where(
        col(Membership.project_id) == membership.project_id,
        col(Membership.role) == ProjectRole.coordinator,
        col(Membership.left_on).is_(None),
        col(Membership.id) != membership.id,
    )
    if not await session.scalar(others):
        raise Conflict("A project keeps at least one coordinator", code="last_coordinator")


async def _save(session: AsyncSession, membership: Membership) -> Membership:
    membership.version += 1
    membership.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await session.refresh(membership)
    await record_event(session, outbox, events.membership_changed(membership))
    return membership


async def change_role(
    session: AsyncSession,
    *,
    project_id: uuid.UUID,
    membership_id: uuid.UUID,
    role: ProjectRole,
    by: Principal,
) -> Membership:
    """The same stint in another role (same id, next version); coordinators only."""
    await lock_project(session, project_id)
    await require_project_role(session, project_id, by, COORDINATORS, "change roles")
    membership = await _stint_of_project(session, project_id, membership_id)
    if membership.role == role:
        return membership
    if role != ProjectRole.coordinator:
        await _keep_a_coordinator(session, membership)
    membership.role = role
    return await _save(session, membership)


async def _end_stint(session: AsyncSession, membership: Membership, today: dt.date) -> Membership:
    await _keep_a_coordinator(session, membership)
    membership.left_on = today
    return await _save(session, membership)


async def end_every_stint(session: AsyncSession, person_id: str, today: dt.date) -> None:
    """Every open stint of the person ends today, as if they left each project (an erasure):
    projects locked in id order, and a last coordinator refused (409) as when leaving."""
    query = (
        select(Membership)
        .where(col(Membership.person_id) == person_id, col(Membership.left_on).is_(None))
        .order_by(col(Membership.project_id))
    )
    for membership in list(await session.scalars(query)):
        await lock_project(session, membership.project_id)
        await _end_stint(session, membership, today)


async def remove_member(
    session: AsyncSession,
    *,
    project_id: uuid.UUID,
    membership_id: uuid.UUID,
    by: Principal,
    today: dt.date,
) -> Membership:
    await lock_project(session, project_id)
    await require_project_role(session, project_id, by, COORDINATORS, "remove members")
    membership = await _stint_of_project(session, project_id, membership_id)
    return await _end_stint(session, membership, today)


async def leave_project(
    session: AsyncSession, *, project_id: uuid.UUID, by: Principal, today: dt.date
) -> Membership:
    await lock_project(session, project_id)
    membership = await open_stint(session, project_id, by.sub)
    if membership is None:
        raise Forbidden("You are not a member of this project", code="not_a_member")
    return await _end_stint(session, membership, today)


async def list_members(
    session: AsyncSession, *, project_id: uuid.UUID, current: bool, limit: int, offset: int
) -> tuple[list[tuple[Membership, Person]], int]:
    """The stints (open ones only when `current`), oldest first, each with its person."""
    if await session.get(Project, project_id) is None:
        raise NotFound(f"No project {project_id}")
    where = [col(Membership.project_id) == project_id]
    if current:
        where.append(col(Membership.left_on).is_(None))
    query = (
        select(Membership, Person)
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(*where)
        .order_by(col(Membership.joined_on), col(Membership.created_at), col(Membership.id))
        .limit(limit)
        .offset(offset)
    )
    rows = [(row.Membership, row.Person) for row in await session.execute(query)]
    count = await session.scalar(select(func.count()).select_from(Membership).where(*where))
    return rows, count or 0
