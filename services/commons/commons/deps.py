import datetime as dt
from typing import Annotated, cast

from fastapi import Depends, Request

from commons.config import Settings
from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, Principal, require_role
from meent_shared.deps import RuntimeDep, SessionDep, get_runtime

# Sites, schedules, teams and tasks are changed by maintenance staff (and admins).
MaintenanceStaff = Annotated[Principal, Depends(require_role("maintenance"))]


def commons_settings(request: Request) -> Settings:
    return cast(Settings, get_runtime(request).settings)  # built by commons.main from Settings


CommonsSettings = Annotated[Settings, Depends(commons_settings)]


def city_today(runtime: RuntimeDep) -> dt.date:
    """Today in the city (MEENT_CITY_TIMEZONE), not on the server's clock."""
    return runtime.settings.today()


TodayDep = Annotated[dt.date, Depends(city_today)]

__all__ = [
    "CommonsSettings",
    "CurrentPrincipal",
    "MaintenanceStaff",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "TodayDep",
    "require_role",
]
