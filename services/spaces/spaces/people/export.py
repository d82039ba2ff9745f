"""A person's export: everything spaces holds about them, as one JSON object.

EXTENSION POINT — `EXPORT_PARTS`: each part of spaces that names a person (documents' revisions,
proposals, comments, reports, uploads …) registers one entry, `name: async (session, person_id) ->
JSON-able`, e.g. `EXPORT_PARTS["revisions"] = revisions_by`. Each part must bound what it reads
(the export is for one person, but a prolific one): `EXPORT_ROW_LIMIT` rows per part.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from spaces.memberships.models import Membership
from spaces.people import contributions
from spaces.people.models import Person, PersonPrivate
from spaces.projects.models import Project

ExportPart = Callable[[AsyncSession, str], Awaitable[Any]]
EXPORT_ROW_LIMIT = contributions.EXPORT_ROW_LIMIT


async def memberships_of(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    """Every stint of the person, ended ones too, with the project's name."""
    query = (
        select(Membership, col(Project.name), col(Project.slug))
        .join(Project, col(Project.id) == col(Membership.project_id))
        .where(col(Membership.person_id) == person_id)
        .order_by(col(Membership.joined_on), col(Membership.id))
        .limit(EXPORT_ROW_LIMIT)
    )
    return [
        {
            "membership_id": str(row.Membership.id),
            "project_id": str(row.Membership.project_id),
            "project_name": row.name,
            "project_slug": row.slug,
            "role": row.Membership.role.value,
            "joined_on": row.Membership.joined_on.isoformat(),
            "left_on": row.Membership.left_on.isoformat() if row.Membership.left_on else None,
        }
        for row in await session.execute(query)
    ]


async def projects_started_by(session: AsyncSession, person_id: str) -> list[dict[str, Any]]:
    query = (
        select(Project)
        .where(col(Project.created_by) == person_id)
        .order_by(col(Project.created_at))
        .limit(EXPORT_ROW_LIMIT)
    )
    return [
        {"project_id": str(p.id), "name": p.name, "slug": p.slug}
        for p in (await session.execute(query)).scalars()
    ]


EXPORT_PARTS: dict[str, ExportPart] = {
    "memberships": memberships_of,
    "projects_started": projects_started_by,
    "revisions": contributions.revisions_by,
    "proposals": contributions.proposals_by,
    "comments": contributions.comments_by,
    "moderation": contributions.moderation_by,
    "uploads": contributions.uploads_by,
}


async def export_person(session: AsyncSession, person_id: str) -> dict[str, Any]:
    """The profile (contact data included: it is their own) and every registered part."""
    person = await session.get(Person, person_id)
    profile = PersonPrivate.model_validate(person).model_dump(mode="json") if person else None
    parts = {name: await part(session, person_id) for name, part in EXPORT_PARTS.items()}
    return {"service": "spaces", "person_id": person_id, "profile": profile, **parts}
