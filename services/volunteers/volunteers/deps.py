from typing import Annotated, cast

from fastapi import Depends

from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, require_role
from meent_shared.deps import RuntimeDep, SessionDep
from volunteers.config import Settings


async def get_settings(runtime: RuntimeDep) -> Settings:
    """volunteers' own settings (hourly rate, limits, the city's "today"). Async: FastAPI runs a
    plain function dependency in its thread pool, a thread hop per request."""
    return cast(Settings, runtime.settings)


SettingsDep = Annotated[Settings, Depends(get_settings)]

__all__ = [
    "CurrentPrincipal",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "SettingsDep",
    "require_role",
]
