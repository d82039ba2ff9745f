import uuid

from fastapi import APIRouter

from meent_shared.types import PageLimit, PageOffset
from spaces.deps import CurrentPrincipal, SessionDep, TodayDep
from spaces.memberships import service as membership_service
from spaces.memberships.models import (
    Membership,
    MembershipCreate,
    MembershipPublic,
    MembershipsPublic,
    MembershipUpdate,
)
from spaces.people.models import Person
from spaces.people.service import public_name

router = APIRouter(prefix="/projects/{project_id}/members", tags=["memberships"])


def membership_public(membership: Membership, person: Person) -> MembershipPublic:
    return MembershipPublic.model_validate(membership, update={"display_name": public_name(person)})


async def _answer(session: SessionDep, membership: Membership) -> MembershipPublic:
    person = await session.get(Person, membership.person_id)
    assert person is not None  # a foreign key
    return membership_public(membership, person)


@router.get("", response_model=MembershipsPublic, summary="A project's members (public)")
async def list_members(
    project_id: uuid.UUID,
    session: SessionDep,
    current: bool = True,
    limit: PageLimit = 100,
    offset: PageOffset = 0,
) -> MembershipsPublic:
    """Members now, or with `current=false` every stint, ended ones too (the history)."""
    rows, count = await membership_service.list_members(
        session, project_id=project_id, current=current, limit=limit, offset=offset
    )
    return MembershipsPublic(data=[membership_public(m, p) for m, p in rows], count=count)


@router.post("", response_model=MembershipPublic, status_code=201, summary="Join, or add someone")
async def add_member(
    project_id: uuid.UUID,
    membership_in: MembershipCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    today: TodayDep,
) -> MembershipPublic:
    """No `person_id`: the caller joins the skill group. Coordinators add anyone as any role."""
    async with session.begin():
        membership = await membership_service.add_member(
            session, project_id=project_id, membership_in=membership_in, by=principal, today=today
        )
        return await _answer(session, membership)


@router.post("/me/leave", response_model=MembershipPublic, summary="Leave the project")
async def leave_project(
    project_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, today: TodayDep
) -> MembershipPublic:
    async with session.begin():
        membership = await membership_service.leave_project(
            session, project_id=project_id, by=principal, today=today
        )
        return await _answer(session, membership)


@router.patch("/{membership_id}", response_model=MembershipPublic, summary="Change a role")
async def change_role(
    project_id: uuid.UUID,
    membership_id: uuid.UUID,
    membership_in: MembershipUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> MembershipPublic:
    async with session.begin():
        membership = await membership_service.change_role(
            session,
            project_id=project_id,
            membership_id=membership_id,
            role=membership_in.role,
            by=principal,
        )
        return await _answer(session, membership)


@router.delete("/{membership_id}", response_model=MembershipPublic, summary="Remove a member")
async def remove_member(
    project_id: uuid.UUID,
    membership_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    today: TodayDep,
) -> MembershipPublic:
    """Ends the stint today; the history keeps it."""
    async with session.begin():
        membership = await membership_service.remove_member(
            session, project_id=project_id, membership_id=membership_id, by=principal, today=today
        )
        return await _answer(session, membership)
