import uuid

from fastapi import APIRouter

from commons.deps import MaintenanceStaff, SessionDep
from commons.stewardship import service as stewardship_service
from commons.stewardship.models import (
    KnownProject,
    ProjectStewardshipPublic,
    StewardshipCreate,
    StewardshipEnd,
    StewardshipPublic,
)
from meent_shared.errors import NotFound
from meent_shared.types import PageLimit, PageOffset

router = APIRouter(tags=["stewardship"])


@router.get(
    "/projects/{project_id}",
    response_model=KnownProject,
    summary="A project commons knows (from spaces' events)",
)
async def known_project(project_id: uuid.UUID, session: SessionDep) -> KnownProject:
    project = await session.get(KnownProject, project_id)
    if project is None:
        raise NotFound(f"No project {project_id} (yet): spaces announces new projects by event")
    return project


@router.get(
    "/projects/{project_id}/stewardships",
    response_model=list[ProjectStewardshipPublic],
    summary="Which sites the project stewards, and when (public)",
)
async def project_stewardships(
    project_id: uuid.UUID, session: SessionDep, limit: PageLimit = 100, offset: PageOffset = 0
) -> list[ProjectStewardshipPublic]:
    return await stewardship_service.stewardships_of_project(
        session, project_id, limit=limit, offset=offset
    )


@router.get(
    "/sites/{site_id}/stewards",
    response_model=list[StewardshipPublic],
    summary="Which projects steward the site, and when (public)",
)
async def stewards(site_id: uuid.UUID, session: SessionDep) -> list[StewardshipPublic]:
    return await stewardship_service.stewards_of(session, site_id)


@router.post(
    "/sites/{site_id}/stewards",
    response_model=StewardshipPublic,
    status_code=201,
    summary="A project starts stewarding the site (maintenance, admin)",
)
async def add_steward(
    site_id: uuid.UUID,
    stewardship_in: StewardshipCreate,
    session: SessionDep,
    who: MaintenanceStaff,
) -> StewardshipPublic:
    async with session.begin():
        stewardship = await stewardship_service.add_stewardship(
            session, site_id=site_id, stewardship_in=stewardship_in
        )
    return StewardshipPublic(**stewardship.model_dump(), project_name=None)


@router.post(
    "/stewardships/{stewardship_id}/end",
    response_model=StewardshipPublic,
    summary="A stewardship ends (maintenance, admin)",
)
async def end_steward(
    stewardship_id: uuid.UUID, end: StewardshipEnd, session: SessionDep, who: MaintenanceStaff
) -> StewardshipPublic:
    async with session.begin():
        stewardship = await stewardship_service.end_stewardship(
            session, stewardship_id=stewardship_id, ends_on=end.ends_on
        )
    return StewardshipPublic(**stewardship.model_dump(), project_name=None)


@router.get(
    "/stewardships/{stewardship_id}",
    response_model=StewardshipPublic,
    summary="One stewardship (public)",
)
async def get_stewardship(stewardship_id: uuid.UUID, session: SessionDep) -> StewardshipPublic:
    return await stewardship_service.stewardship_public(session, stewardship_id)
