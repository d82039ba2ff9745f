import uuid
from typing import cast

from fastapi import APIRouter

from grants.applications import service as application_service
from grants.applications.models import (
    ApplicationCreate,
    ApplicationPublic,
    ApplicationsPublic,
    ApplicationStatus,
    ApplicationWrite,
    AwardIn,
    RejectIn,
)
from grants.applications.service import shown
from grants.config import Settings
from grants.deps import (
    CurrentPrincipal,
    GrantOfficer,
    OptionalPrincipal,
    RuntimeDep,
    SessionDep,
    TodayDep,
)
from meent_shared.types import PageLimit, PageOffset

router = APIRouter(prefix="/applications", tags=["applications"])


@router.get(
    "",
    response_model=ApplicationsPublic,
    summary="Applications but drafts (public); a project's drafts to its coordinators",
)
async def list_applications(
    session: SessionDep,
    viewer: OptionalPrincipal,
    call_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    status: ApplicationStatus | None = None,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> ApplicationsPublic:
    data, count = await application_service.list_applications(
        session=session,
        limit=limit,
        offset=offset,
        call_id=call_id,
        project_id=project_id,
        status=status,
        viewer=viewer,
    )
    return ApplicationsPublic(data=data, count=count)


@router.get("/{application_id}", response_model=ApplicationPublic, summary="One application")
async def get_application(
    application_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> ApplicationPublic:
    application = await application_service.get_application(
        session=session, application_id=application_id, viewer=viewer
    )
    return await shown(session, application)


@router.post("", response_model=ApplicationPublic, status_code=201, summary="Draft an application")
async def create_application(
    application_in: ApplicationCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    today: TodayDep,
    runtime: RuntimeDep,
) -> ApplicationPublic:
    settings = cast(Settings, runtime.settings)
    async with session.begin():
        application = await application_service.create_application(
            session=session,
            application_in=application_in,
            by=principal,
            today=today,
            most=settings.max_applications_per_call,
        )
        return await shown(session, application)


@router.put("/{application_id}", response_model=ApplicationPublic, summary="Rewrite it")
async def update_application(
    application_id: uuid.UUID,
    application_in: ApplicationWrite,
    session: SessionDep,
    principal: CurrentPrincipal,
    today: TodayDep,
) -> ApplicationPublic:
    async with session.begin():
        application = await application_service.update_application(
            session=session,
            application_id=application_id,
            application_in=application_in,
            by=principal,
            today=today,
        )
        return await shown(session, application)


@router.post("/{application_id}/submit", response_model=ApplicationPublic, summary="Submit it")
async def submit_application(
    application_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, today: TodayDep
) -> ApplicationPublic:
    async with session.begin():
        application = await application_service.submit_application(
            session=session, application_id=application_id, by=principal, today=today
        )
        return await shown(session, application)


@router.post("/{application_id}/withdraw", response_model=ApplicationPublic, summary="Withdraw")
async def withdraw_application(
    application_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ApplicationPublic:
    async with session.begin():
        application = await application_service.withdraw_application(
            session=session, application_id=application_id, by=principal
        )
        return await shown(session, application)


@router.post("/{application_id}/award", response_model=ApplicationPublic, summary="Award it")
async def award_application(
    application_id: uuid.UUID,
    award: AwardIn,
    session: SessionDep,
    officer: GrantOfficer,
    today: TodayDep,
) -> ApplicationPublic:
    async with session.begin():
        application = await application_service.award_application(
            session=session, application_id=application_id, award=award, by=officer, today=today
        )
        return await shown(session, application)


@router.post("/{application_id}/reject", response_model=ApplicationPublic, summary="Reject it")
async def reject_application(
    application_id: uuid.UUID, reject: RejectIn, session: SessionDep, officer: GrantOfficer
) -> ApplicationPublic:
    async with session.begin():
        application = await application_service.reject_application(
            session=session, application_id=application_id, reject=reject, by=officer
        )
        return await shown(session, application)
