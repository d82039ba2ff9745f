import datetime as dt
from typing import Annotated

from fastapi import Depends

from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, Principal, require_role
from meent_shared.deps import RuntimeDep, SessionDep


def city_today(runtime: RuntimeDep) -> dt.date:
    """Today in the city (MEENT_CITY_TIMEZONE): calls open and close on local dates."""
    return runtime.settings.today()


TodayDep = Annotated[dt.date, Depends(city_today)]
GrantOfficer = Annotated[Principal, Depends(require_role("grant_officer"))]

__all__ = [
    "CurrentPrincipal",
    "GrantOfficer",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "TodayDep",
    "require_role",
]
