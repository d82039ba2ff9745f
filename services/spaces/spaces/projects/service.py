"""Projects: the citizen initiatives everything else hangs on."""

import datetime as dt
import re
import unicodedata
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event
from spaces.access import require_project_role
from spaces.db import outbox
from spaces.memberships import service as membership_service
from spaces.memberships.models import ProjectRole
from spaces.people.service import ensure_person
from spaces.projects import events
from spaces.projects.models import Project, ProjectCreate, ProjectUpdate


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "project"


async def get_project(*, session: AsyncSession, project_id: uuid.UUID) -> Project:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"No project {project_id}")
    return project


async def list_projects(
    *, session: AsyncSession, limit: int, offset: int
) -> tuple[list[Project], int]:
    rows = await session.execute(select(Project).order_by(Project.name).limit(limit).offset(offset))
    count = await session.scalar(select(func.count()).select_from(Project))
    return list(rows.scalars()), count or 0


async def create_project(
    *, session: AsyncSession, project_in: ProjectCreate, created_by: Principal, today: dt.date
) -> Project:
    """Create a project, its creator its coordinator from today, and record both events."""
    await ensure_person(session, created_by)
    slug = project_in.slug or slugify(project_in.name)
    project = Project(
        name=project_in.name, summary=project_in.summary, slug=slug, created_by=created_by.sub
    )
    session.add(project)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"A project with slug {slug!r} exists", code="slug_taken") from None
    await session.refresh(project)
    await record_event(session, outbox, events.project_created(project))
    await membership_service.start_stint(
        session,
        project_id=project.id,
        person_id=created_by.sub,
        role=ProjectRole.coordinator,
        today=today,
    )
    return project


async def update_project(
    *, session: AsyncSession, project_id: uuid.UUID, project_in: ProjectUpdate, by: Principal
) -> Project:
    project = await membership_service.lock_project(session, project_id)
    await require_project_role(
        session, project_id, by, membership_service.COORDINATORS, "change the project"
    )
    changes = project_in.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        return project
    for field, value in changes.items():
        setattr(project, field, value)
    project.version += 1
    project.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await session.refresh(project)
    await record_event(session, outbox, events.project_updated(project))
    return project
