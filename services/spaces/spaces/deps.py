import datetime as dt
from typing import Annotated

from fastapi import Depends

from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, require_role
from meent_shared.deps import RuntimeDep, SessionDep


def city_today(runtime: RuntimeDep) -> dt.date:
    """Today in the city (MEENT_CITY_TIMEZONE): memberships begin and end on local dates."""
    return runtime.settings.today()


TodayDep = Annotated[dt.date, Depends(city_today)]

__all__ = [
    "CurrentPrincipal",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "TodayDep",
    "require_role",
]
