import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from grants.calls import service as call_service
from grants.calls.models import FundingCallCreate, FundingCallPublic, FundingCallsPublic
from grants.deps import SessionDep, require_role
from meent_shared.auth import Principal
from meent_shared.types import PageLimit, PageOffset

router = APIRouter(prefix="/calls", tags=["calls"])
GrantOfficer = Annotated[Principal, Depends(require_role("grant_officer"))]


@router.get("", response_model=FundingCallsPublic, summary="Funding calls (public)")
async def list_calls(
    session: SessionDep,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> FundingCallsPublic:
    calls, count = await call_service.list_calls(session=session, limit=limit, offset=offset)
    return FundingCallsPublic(
        data=[FundingCallPublic.model_validate(c) for c in calls], count=count
    )


@router.get("/{call_id}", response_model=FundingCallPublic, summary="One funding call (public)")
async def get_call(call_id: uuid.UUID, session: SessionDep) -> FundingCallPublic:
    return FundingCallPublic.model_validate(
        await call_service.get_call(session=session, call_id=call_id)
    )


@router.post("", response_model=FundingCallPublic, status_code=201, summary="Draft a call")
async def create_call(
    call_in: FundingCallCreate, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.create_call(session=session, call_in=call_in, by=officer)
    return FundingCallPublic.model_validate(call)


@router.post("/{call_id}/publish", response_model=FundingCallPublic, summary="Open a call")
async def publish_call(
    call_id: uuid.UUID, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.publish_call(session=session, call_id=call_id)
    return FundingCallPublic.model_validate(call)
