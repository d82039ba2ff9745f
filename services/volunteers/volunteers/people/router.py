from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from volunteers.deps import CurrentPrincipal, SessionDep
from volunteers.people import service as person_service

router = APIRouter(prefix="/people", tags=["people"])


@router.get("/me/export", summary="Everything volunteers holds about oneself")
async def export_me(session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    async with session.begin():
        export = await person_service.export_person(session, principal.sub)
    return jsonable_encoder(export)
