import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from commons.bbox import parse_bbox
from commons.deps import CurrentPrincipal, MaintenanceStaff, SessionDep, TodayDep
from commons.maintenance import service as maintenance_service
from commons.maintenance.dates import due_window
from commons.maintenance.models import (
    CompletionCreate,
    MaintenanceTask,
    MaintenanceTaskCreate,
    MaintenanceTaskPublic,
    TaskOccurrence,
    Team,
    TeamCreate,
    TeamPublic,
)
from meent_shared.errors import NotFound
from meent_shared.types import PersonId

router = APIRouter(tags=["maintenance"])


@router.get("/teams", response_model=list[TeamPublic], summary="Maintenance teams (public)")
async def list_teams(session: SessionDep) -> list[TeamPublic]:
    teams = (await session.execute(select(Team).order_by(Team.name))).scalars()
    return [await maintenance_service.team_public(session, team) for team in teams]


@router.post("/teams", response_model=TeamPublic, status_code=201, summary="Form a team")
async def create_team(
    team_in: TeamCreate, session: SessionDep, who: MaintenanceStaff
) -> TeamPublic:
    async with session.begin():
        team = await maintenance_service.create_team(session, team_in=team_in)
        return await maintenance_service.team_public(session, team)


@router.put("/teams/{team_id}/members/{person_id}", status_code=204, summary="Join a team")
async def add_member(
    team_id: uuid.UUID, person_id: PersonId, session: SessionDep, who: MaintenanceStaff
) -> None:
    async with session.begin():
        await maintenance_service.add_member(session, team_id=team_id, person_id=person_id)


@router.post(
    "/sites/{site_id}/tasks",
    response_model=MaintenanceTaskPublic,
    status_code=201,
    summary="Plan maintenance work on a site (maintenance, admin)",
)
async def create_task(
    site_id: uuid.UUID, task_in: MaintenanceTaskCreate, session: SessionDep, who: MaintenanceStaff
) -> MaintenanceTask:
    async with session.begin():
        return await maintenance_service.create_task(
            session, site_id=site_id, task_in=task_in, by=who
        )


@router.get(
    "/tasks/due",
    response_model=list[TaskOccurrence],
    summary="What is due, by team, site or bbox, in a week or a range (public)",
)
async def due(
    session: SessionDep,
    today: TodayDep,
    team_id: uuid.UUID | None = None,
    site_id: uuid.UUID | None = None,
    bbox: str | None = None,
    week: Annotated[str | None, Query(description="ISO week, e.g. 2026-W28")] = None,
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
) -> list[TaskOccurrence]:
    first, last = due_window(week=week, start=start, end=end, today=today)
    return await maintenance_service.occurrences(
        session,
        first=first,
        last=last,
        today=today,
        team_id=team_id,
        site_id=site_id,
        bbox=parse_bbox(bbox) if bbox else None,
    )


@router.post(
    "/tasks/{task_id}/complete",
    response_model=TaskOccurrence,
    summary="Mark a due occurrence done (the task's team, admin)",
)
async def complete(
    task_id: uuid.UUID,
    body: CompletionCreate,
    session: SessionDep,
    today: TodayDep,
    who: CurrentPrincipal,
) -> TaskOccurrence:
    async with session.begin():
        task, completion = await maintenance_service.complete_task(
            session, task_id=task_id, due_on=body.due_on, by=who, today=today
        )
    that_day = await maintenance_service.occurrences(
        session, first=completion.due_on, last=completion.due_on, today=today, site_id=task.site_id
    )
    return next(o for o in that_day if o.task_id == task.id)


@router.get(
    "/tasks/{task_id}",
    response_model=MaintenanceTaskPublic,
    summary="One maintenance task (public)",
)
async def get_task(task_id: uuid.UUID, session: SessionDep) -> MaintenanceTask:
    task = await session.get(MaintenanceTask, task_id)
    if task is None:
        raise NotFound(f"No maintenance task {task_id}")
    return task
