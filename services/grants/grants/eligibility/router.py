import uuid

from fastapi import APIRouter

from grants.deps import SessionDep
from grants.eligibility import service as eligibility_service
from grants.eligibility.models import ProjectHoursPublic

router = APIRouter(prefix="/projects", tags=["eligibility"])


@router.get(
    "/{project_id}/hours",
    response_model=ProjectHoursPublic,
    summary="A project's approved volunteer hours, as grants counts them (public)",
)
async def get_project_hours(project_id: uuid.UUID, session: SessionDep) -> ProjectHoursPublic:
    return await eligibility_service.get_project_hours(session=session, project_id=project_id)
