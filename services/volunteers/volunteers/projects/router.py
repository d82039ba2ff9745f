import uuid

from fastapi import APIRouter

from meent_shared.errors import NotFound
from volunteers.deps import SessionDep
from volunteers.projects import service as project_service
from volunteers.projects.models import KnownProject

router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("/{project_id}", response_model=KnownProject, summary="A project volunteers knows")
async def get_known_project(project_id: uuid.UUID, session: SessionDep) -> KnownProject:
    project = await project_service.get_known_project(session=session, project_id=project_id)
    if project is None:
        raise NotFound(f"No project {project_id} (yet): spaces announces new projects by event")
    return project
