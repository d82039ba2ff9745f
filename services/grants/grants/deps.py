from meent_shared.auth import CurrentPrincipal, OptionalPrincipal, require_role
from meent_shared.deps import RuntimeDep, SessionDep

__all__ = ["CurrentPrincipal", "OptionalPrincipal", "RuntimeDep", "SessionDep", "require_role"]
