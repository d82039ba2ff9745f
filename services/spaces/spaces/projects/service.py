"""Projects: the citizen initiatives everything else hangs on."""

import datetime as dt
import re
import unicodedata
import uuid

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, NotFound
from meent_shared.events.outbox import record_event
from spaces.access import require_project_role
from spaces.db import outbox
from spaces.memberships import service as membership_service
from spaces.memberships.models import Membership, ProjectRole
from spaces.people.service import ensure_person
from spaces.projects import events
from spaces.projects.models import Project, ProjectCreate, ProjectStatus, ProjectUpdate


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "project"


async def get_project(*, session: AsyncSession, project_id: uuid.UUID) -> Project:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"No project {project_id}")
    return project


def _like(q: str) -> str:
    """`q` as an ILIKE pattern matching it anywhere, its own % and _ taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def list_projects(
    *,
    session: AsyncSession,
    limit: int,
    offset: int,
    status: ProjectStatus | None = None,
    q: str | None = None,
    member: str | None = None,
) -> tuple[list[Project], int]:
    """Projects by name (then id, so pages neither repeat nor skip one), optionally of one
    status, whose name or summary holds `q` (case-insensitive), and of which `member` is a
    current member."""
    filters: list[ColumnElement[bool]] = []
    if member is not None:
        current = select(col(Membership.project_id)).where(
            col(Membership.person_id) == member, col(Membership.left_on).is_(None)
        )
        filters.append(col(Project.id).in_(current))
    if status is not None:
        filters.append(col(Project.status) == status)
    if q:
        pattern = _like(q)
        filters.append(or_(col(Project.name).ilike(pattern), col(Project.summary).ilike(pattern)))
    query = select(Project).where(*filters).order_by(col(Project.name), col(Project.id))
    rows = await session.execute(query.limit(limit).offset(offset))
    count = await session.scalar(select(func.count()).select_from(Project).where(*filters))
    return list(rows.scalars()), count or 0


async def get_project_by_slug(*, session: AsyncSession, slug: str) -> Project:
    project = await session.scalar(select(Project).where(col(Project.slug) == slug))
    if project is None:
        raise NotFound(f"No project with slug {slug!r}")
    return project


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
