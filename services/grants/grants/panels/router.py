import uuid
from typing import cast

from fastapi import APIRouter
from sqlalchemy import select
from sqlmodel import col

from grants.config import Settings
from grants.deps import CurrentPrincipal, GrantOfficer, OptionalPrincipal, RuntimeDep, SessionDep
from grants.panels import service as panel_service
from grants.panels.models import (
    AssignIn,
    DrawPublic,
    PanelMember,
    PanelPublic,
    PoolEntry,
    PoolEntryPublic,
)
from meent_shared.errors import NotFound

router = APIRouter(tags=["panels"])


def _entry_public(entry: PoolEntry) -> PoolEntryPublic:
    assert entry.joined_at is not None  # set by the database
    return PoolEntryPublic(id=entry.id, joined_at=entry.joined_at, left_at=entry.left_at)


@router.post("/reviewers/me", response_model=PoolEntryPublic, summary="Join the reviewer pool")
async def join_pool(
    session: SessionDep, principal: CurrentPrincipal, runtime: RuntimeDep
) -> PoolEntryPublic:
    most = cast(Settings, runtime.settings).max_reviewer_pool
    async with session.begin():
        return _entry_public(await panel_service.join_pool(session, principal, most))


@router.get("/reviewers/me", response_model=PoolEntryPublic, summary="One's pool entry")
async def my_entry(session: SessionDep, principal: CurrentPrincipal) -> PoolEntryPublic:
    entry = await panel_service.standing_entry(session, principal.sub)
    if entry is None:
        raise NotFound("You are not in the reviewer pool")
    return _entry_public(entry)


@router.delete("/reviewers/me", response_model=PoolEntryPublic, summary="Leave the pool")
async def leave_pool(session: SessionDep, principal: CurrentPrincipal) -> PoolEntryPublic:
    async with session.begin():
        return _entry_public(await panel_service.leave_pool(session, principal))


@router.get("/reviewers/me/calls", response_model=list[uuid.UUID], summary="The calls one reviews")
async def my_panels(session: SessionDep, principal: CurrentPrincipal) -> list[uuid.UUID]:
    query = select(col(PanelMember.call_id)).where(col(PanelMember.person_id) == principal.sub)
    return list((await session.scalars(query)).all())


@router.get("/calls/{call_id}/panel", response_model=PanelPublic, summary="The call's panel")
async def get_panel(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> PanelPublic:
    return await panel_service.panel_of(session, call_id, viewer)


@router.post(
    "/calls/{call_id}/panel/draw", response_model=PanelPublic, summary="Draw the panel by lot"
)
async def draw_panel(call_id: uuid.UUID, session: SessionDep, officer: GrantOfficer) -> PanelPublic:
    async with session.begin():
        await panel_service.draw_panel(session, call_id)
    return await panel_service.panel_of(session, call_id, officer)


@router.post("/calls/{call_id}/panel/assign", response_model=PanelPublic, summary="Seat someone")
async def assign_member(
    call_id: uuid.UUID,
    assign: AssignIn,
    session: SessionDep,
    officer: GrantOfficer,
    runtime: RuntimeDep,
) -> PanelPublic:
    most = cast(Settings, runtime.settings).max_panel_seats
    async with session.begin():
        await panel_service.assign_member(session, call_id, assign.person_id, most)
    return await panel_service.panel_of(session, call_id, officer)


@router.get(
    "/calls/{call_id}/draw",
    response_model=DrawPublic,
    summary="The draw's commitments; after the decision its seed and pool (public)",
)
async def get_draw(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> DrawPublic:
    return await panel_service.draw_of(session, call_id, viewer)
