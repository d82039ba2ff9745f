import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from meent_shared.errors import Unauthorized
from meent_shared.types import PageLimit, PageOffset, SingleLine, Slug
from spaces.deps import CurrentPrincipal, OptionalPrincipal, SessionDep, TodayDep
from spaces.projects import service as project_service
from spaces.projects.models import (
    ProjectCreate,
    ProjectPublic,
    ProjectsPublic,
    ProjectStatus,
    ProjectUpdate,
)

router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("", response_model=ProjectsPublic, summary="All projects, by name (public)")
async def list_projects(
    session: SessionDep,
    principal: OptionalPrincipal,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
    status: ProjectStatus | None = None,
    q: Annotated[
        SingleLine | None,
        Query(max_length=100, description="Words in the name or summary (case-insensitive)"),
    ] = None,
    mine: Annotated[
        bool,
        Query(description="Only the projects the caller is a current member of (signed in)"),
    ] = False,
) -> ProjectsPublic:
    if mine and principal is None:
        raise Unauthorized("Sign in to list your own projects")
    member = principal.sub if mine and principal is not None else None
    projects, count = await project_service.list_projects(
        session=session, limit=limit, offset=offset, status=status, q=q, member=member
    )
    return ProjectsPublic(data=[ProjectPublic.model_validate(p) for p in projects], count=count)


@router.get(
    "/slug/{slug}", response_model=ProjectPublic, summary="One project by its slug (public)"
)
async def get_project_by_slug(
    slug: Annotated[Slug, Path(max_length=80)], session: SessionDep
) -> ProjectPublic:
    project = await project_service.get_project_by_slug(session=session, slug=slug)
    return ProjectPublic.model_validate(project)


@router.get("/{project_id}", response_model=ProjectPublic, summary="One project (public)")
async def get_project(project_id: uuid.UUID, session: SessionDep) -> ProjectPublic:
    project = await project_service.get_project(session=session, project_id=project_id)
    return ProjectPublic.model_validate(project)


@router.post("", response_model=ProjectPublic, status_code=201, summary="Start a project")
async def create_project(
    project_in: ProjectCreate, session: SessionDep, principal: CurrentPrincipal, today: TodayDep
) -> ProjectPublic:
    """The starter becomes the project's coordinator."""
    async with session.begin():
        project = await project_service.create_project(
            session=session, project_in=project_in, created_by=principal, today=today
        )
    return ProjectPublic.model_validate(project)


@router.patch(
    "/{project_id}", response_model=ProjectPublic, summary="Change a project (its coordinators)"
)
async def update_project(
    project_id: uuid.UUID,
    project_in: ProjectUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> ProjectPublic:
    async with session.begin():
        project = await project_service.update_project(
            session=session, project_id=project_id, project_in=project_in, by=principal
        )
    return ProjectPublic.model_validate(project)
