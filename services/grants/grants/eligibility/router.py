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
    hours = await eligibility_service.get_project_hours(session=session, project_id=project_id)
    return ProjectHoursPublic(
        project_id=hours.project_id,
        approved_minutes=hours.approved_minutes,
        approved_hours=round(hours.approved_minutes / 60, 2),
        approved_entries=hours.approved_entries,
    )
