"""Hour entries over REST (logging one is `submit_router`): edit, withdraw, decide (one or several), correct."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Response

from meent_shared.auth import Principal
from volunteers.deps import CurrentPrincipal, SessionDep, SettingsDep
from volunteers.hours import decisions, idempotency
from volunteers.hours import service as hour_service
from volunteers.hours.models import (
    HourCorrectionCreate,
    HourDecision,
    HourDecisionBatch,
    HourDecisionResults,
    HourEntry,
    HourEntryCreate,
    HourEntryEdit,
    HourEntryPublic,
)

router = APIRouter(prefix="/hours", tags=["hours"])

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=idempotency.HEADER,
        description="Any 1-255 printable ASCII characters; a retry with it logs nothing twice",
    ),
]


async def _claim(
    session: SessionDep,
    principal: Principal,
    key: str | None,
    operation: str,
    body: HourEntryCreate | HourCorrectionCreate,
) -> idempotency.Claim | None:
    if key is None:
        return None
    dumped = body.model_dump(mode="json", exclude_unset=False)
    return await idempotency.claim(session, principal.sub, key, operation, dumped)


async def _replay(
    session: SessionDep, claimed: idempotency.Claim, response: Response
) -> HourEntryPublic:
    """The entry the first try created, as it is now, with the first try's status."""
    entry = await session.get(HourEntry, claimed.replay_entry_id)
    return idempotency.replayed(HourEntryPublic.model_validate(entry), claimed, response)


@router.patch("/{entry_id}", response_model=HourEntryPublic, summary="Change submitted hours")
async def edit_hours(
    entry_id: uuid.UUID,
    edit: HourEntryEdit,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> HourEntryPublic:
    async with session.begin():
        entry = await hour_service.edit_hours(
            session=session, entry_id=entry_id, edit=edit, by=principal, today=settings.today()
        )
    return HourEntryPublic.model_validate(entry)


@router.post("/{entry_id}/withdraw", response_model=HourEntryPublic, summary="Withdraw hours")
async def withdraw_hours(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await hour_service.withdraw_hours(session=session, entry_id=entry_id, by=principal)
    return HourEntryPublic.model_validate(entry)


@router.post(
    "/{entry_id}/corrections",
    response_model=HourEntryPublic,
    status_code=201,
    summary="Correct approved hours by a signed number of minutes",
)
async def correct_hours(
    entry_id: uuid.UUID,
    correction_in: HourCorrectionCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> HourEntryPublic:
    async with session.begin():
        operation = f"correct {entry_id}"
        claimed = await _claim(session, principal, idempotency_key, operation, correction_in)
        if claimed is not None and claimed.replay_entry_id is not None:
            return await _replay(session, claimed, response)
        entry = await hour_service.correct_hours(
            session=session, entry_id=entry_id, correction_in=correction_in, by=principal
        )
        if claimed is not None:
            await idempotency.remember(session, claimed, 201, entry.id)
    return HourEntryPublic.model_validate(entry)


@router.post("/decisions", response_model=HourDecisionResults, summary="Decide several entries")
async def decide_many(
    batch: HourDecisionBatch, session: SessionDep, principal: CurrentPrincipal
) -> HourDecisionResults:
    async with session.begin():
        results = await decisions.decide_many(
            session=session,
            entry_ids=batch.entry_ids,
            by=principal,
            approve=batch.approve,
            reason=batch.reason,
        )
    return HourDecisionResults(results=results)


@router.post("/{entry_id}/approve", response_model=HourEntryPublic, summary="Approve hours")
async def approve_hours(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await decisions.decide_hours(
            session=session, entry_id=entry_id, by=principal, approve=True
        )
    return HourEntryPublic.model_validate(entry)


@router.post("/{entry_id}/reject", response_model=HourEntryPublic, summary="Reject hours")
async def reject_hours(
    entry_id: uuid.UUID, decision: HourDecision, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    async with session.begin():
        entry = await decisions.decide_hours(
            session=session, entry_id=entry_id, by=principal, approve=False, reason=decision.reason
        )
    return HourEntryPublic.model_validate(entry)


# `:uuid`: other paths under /hours (the listings, the CSV) are not taken for an entry id.
@router.get("/{entry_id:uuid}", response_model=HourEntryPublic, summary="One hour entry")
async def get_hours(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> HourEntryPublic:
    entry = await hour_service.visible_hours(session=session, entry_id=entry_id, by=principal)
    return HourEntryPublic.model_validate(entry)
