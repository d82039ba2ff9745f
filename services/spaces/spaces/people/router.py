from typing import Any

from fastapi import APIRouter

from meent_shared.types import PersonId
from spaces.deps import CurrentPrincipal, SessionDep, TodayDep
from spaces.people import service as person_service
from spaces.people.erasure import erase_person
from spaces.people.export import export_person
from spaces.people.models import PersonPrivate, PersonPublic, PersonUpdate

router = APIRouter(prefix="/people", tags=["people"])


@router.get("/me", response_model=PersonPrivate, summary="One's own profile")
async def get_me(session: SessionDep, principal: CurrentPrincipal) -> PersonPrivate:
    """Made from the token's name the first time it is asked for."""
    async with session.begin():
        person = await person_service.ensure_person(session, principal)
        return PersonPrivate.model_validate(person)


@router.put("/me", response_model=PersonPrivate, summary="Change one's own profile")
async def update_me(
    person_in: PersonUpdate, session: SessionDep, principal: CurrentPrincipal
) -> PersonPrivate:
    async with session.begin():
        person = await person_service.update_me(session, principal, person_in)
        return PersonPrivate.model_validate(person)


@router.get("/me/export", summary="Everything spaces holds about oneself")
async def export_me(session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    async with session.begin():
        return await export_person(session, principal.sub)


@router.post("/me/erasure", response_model=PersonPublic, summary="Erase oneself from spaces")
async def erase_me(
    session: SessionDep, principal: CurrentPrincipal, today: TodayDep
) -> PersonPublic:
    """The name and contact data go; memberships and contributions stay under a pseudonym.
    Every other service is told (`person.erased`)."""
    async with session.begin():
        person = await erase_person(session, principal, today)
        return PersonPublic(id=person.id, display_name=None, erased=True)


@router.get("/{person_id}", response_model=PersonPublic, summary="A person as the public sees them")
async def get_person(person_id: PersonId, session: SessionDep) -> PersonPublic:
    return await person_service.public_person(session, person_id)
