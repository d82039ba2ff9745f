import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from grants.calls import service as call_service
from grants.calls.models import (
    CallStatus,
    FundingCallCreate,
    FundingCallPublic,
    FundingCallsPublic,
    call_public,
)
from grants.db import Model
from grants.deps import GrantOfficer, OptionalPrincipal, RuntimeDep, SessionDep, TodayDep
from grants.eligibility.models import EligibilityPublic
from grants.eligibility.service import check_eligibility
from grants.ledger import service as ledger_service
from grants.ledger.csv import ledger_csv
from grants.ledger.models import LedgerEntryPublic, LedgerPublic, PaymentIn
from grants.reviews.models import RankingPublic
from grants.reviews.service import ranking_of
from meent_shared.types import PageLimit, PageOffset

router = APIRouter(prefix="/calls", tags=["calls"])
exports_router = APIRouter(tags=["calls"])  # the gateway forwards /exports/ledgers publicly


@router.get("", response_model=FundingCallsPublic, summary="Funding calls (public but drafts)")
async def list_calls(
    session: SessionDep,
    viewer: OptionalPrincipal,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
    status: CallStatus | None = None,
) -> FundingCallsPublic:
    calls, count = await call_service.list_calls(
        session=session, limit=limit, offset=offset, status=status, viewer=viewer
    )
    return FundingCallsPublic(data=[call_public(c) for c in calls], count=count)


@router.get("/{call_id}", response_model=FundingCallPublic, summary="One funding call (public)")
async def get_call(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> FundingCallPublic:
    return call_public(await call_service.get_call(session=session, call_id=call_id, viewer=viewer))


@router.post("", response_model=FundingCallPublic, status_code=201, summary="Draft a call")
async def create_call(
    call_in: FundingCallCreate, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.create_call(session=session, call_in=call_in, by=officer)
    return call_public(call)


@router.put("/{call_id}", response_model=FundingCallPublic, summary="Rewrite a draft call")
async def update_call(
    call_id: uuid.UUID, call_in: FundingCallCreate, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.update_draft(session=session, call_id=call_id, call_in=call_in)
    return call_public(call)


@router.post("/{call_id}/publish", response_model=FundingCallPublic, summary="Open a call")
async def publish_call(
    call_id: uuid.UUID, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.publish_call(session=session, call_id=call_id)
    return call_public(call)


@router.post("/{call_id}/close", response_model=FundingCallPublic, summary="Close a call")
async def close_call(
    call_id: uuid.UUID, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    async with session.begin():
        call = await call_service.close_call(session=session, call_id=call_id)
    return call_public(call)


@router.post("/{call_id}/decide", response_model=FundingCallPublic, summary="Decide a call")
async def decide_call(
    call_id: uuid.UUID, session: SessionDep, officer: GrantOfficer
) -> FundingCallPublic:
    """The awards are made: the call's draw (seed and frozen pool) becomes public."""
    async with session.begin():
        call = await call_service.decide_call(session=session, call_id=call_id)
    return call_public(call)


@router.get(
    "/{call_id}/eligibility",
    response_model=EligibilityPublic,
    summary="How a project stands against the call's rules now (public)",
)
async def get_eligibility(
    call_id: uuid.UUID,
    project_id: Annotated[uuid.UUID, Query()],
    session: SessionDep,
    viewer: OptionalPrincipal,
    today: TodayDep,
) -> EligibilityPublic:
    call = await call_service.get_call(session=session, call_id=call_id, viewer=viewer)
    return await check_eligibility(session, call, project_id, today)


class CallPagePublic(Model):
    """A call's page in one answer: the call, its ranking and the first page of its ledger (what
    the web client's call page shows; one request instead of three)."""

    call: FundingCallPublic
    ranking: RankingPublic
    ledger: LedgerPublic


@router.get("/{call_id}/page", response_model=CallPagePublic, summary="A call's page (public)")
async def get_call_page(
    call_id: uuid.UUID,
    session: SessionDep,
    viewer: OptionalPrincipal,
    ledger_limit: PageLimit = 100,
) -> CallPagePublic:
    call = await call_service.get_call(session=session, call_id=call_id, viewer=viewer)
    return CallPagePublic(
        call=call_public(call),
        ranking=await ranking_of(session, call_id, viewer),
        ledger=await ledger_service.ledger_of(
            session=session, call_id=call_id, limit=ledger_limit, offset=0, viewer=viewer
        ),
    )


@router.get("/{call_id}/ledger", response_model=LedgerPublic, summary="The call's ledger (public)")
async def get_ledger(
    call_id: uuid.UUID,
    session: SessionDep,
    viewer: OptionalPrincipal,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> LedgerPublic:
    return await ledger_service.ledger_of(
        session=session, call_id=call_id, limit=limit, offset=offset, viewer=viewer
    )


@exports_router.get("/exports/ledgers/{call_id}.csv", summary="A call's ledger as CSV (public)")
async def get_ledger_csv(
    call_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep
) -> StreamingResponse:
    return await ledger_csv(session, runtime.session_factory, call_id)


@router.post(
    "/{call_id}/ledger",
    response_model=LedgerEntryPublic,
    status_code=201,
    summary="Record a disbursement or a release",
)
async def record_payment(
    call_id: uuid.UUID, payment: PaymentIn, session: SessionDep, officer: GrantOfficer
) -> LedgerEntryPublic:
    async with session.begin():
        entry = await ledger_service.record_payment(
            session=session, call_id=call_id, payment=payment, by=officer
        )
        return await ledger_service.entry_public(session, entry)
