"""Who may do what in a project: the role of a person's open stint (memberships)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Forbidden
from spaces.memberships.models import Membership, ProjectRole

WRITERS = frozenset({ProjectRole.coordinator, ProjectRole.core})


async def project_role(
    session: AsyncSession, project_id: uuid.UUID, person_id: str
) -> ProjectRole | None:
    """The person's role in the project now; None when they are not a member."""
    query = select(col(Membership.role)).where(
        col(Membership.project_id) == project_id,
        col(Membership.person_id) == person_id,
        col(Membership.left_on).is_(None),
    )
    return await session.scalar(query)


async def require_project_role(
    session: AsyncSession,
    project_id: uuid.UUID,
    principal: Principal,
    roles: frozenset[ProjectRole],
    doing: str,
) -> ProjectRole | None:
    """The principal's role, if it is one of `roles` (an admin passes always); else 403."""
    role = await project_role(session, project_id, principal.sub)
    if role in roles or principal.has_role("admin"):
        return role
    allowed = " or ".join(sorted(r.value for r in roles))
    raise Forbidden(f"Only the project's {allowed} members may {doing}", code="not_a_member")
