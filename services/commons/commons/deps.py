from typing import Annotated

from fastapi import Depends

from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, Principal, require_role
from meent_shared.deps import RuntimeDep, SessionDep

# Sites, schedules, teams and tasks are changed by maintenance staff (and admins).
MaintenanceStaff = Annotated[Principal, Depends(require_role("maintenance"))]

__all__ = [
    "CurrentPrincipal",
    "MaintenanceStaff",
    "OptionalPrincipal",
    "RuntimeDep",
    "SessionDep",
    "require_role",
]
