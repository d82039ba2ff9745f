import datetime as dt
from typing import Annotated, cast

from fastapi import Depends, Request

from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, require_role
from meent_shared.deps import RuntimeDep, SessionDep, get_runtime
from spaces.config import Settings


def city_today(runtime: RuntimeDep) -> dt.date:
    """Today in the city (MEENT_CITY_TIMEZONE): memberships begin and end on local dates."""
    return runtime.settings.today()


TodayDep = Annotated[dt.date, Depends(city_today)]


def spaces_settings(request: Request) -> Settings:
    return cast(Settings, get_runtime(request).settings)  # built by spaces.main from Settings


SpacesSettings = Annotated[Settings, Depends(spaces_settings)]

__all__ = [
    "CurrentPrincipal",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "TodayDep",
    "SpacesSettings",
    "require_role",
]
