"""Stewardship: which project cares for which site, from when to when. commons alone owns this link;
it learns projects and their coordinators from spaces' events."""

import datetime as dt
import uuid

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.db import outbox
from commons.sites.models import Site
from commons.stewardship.models import (
    KnownProject,
    ProjectMember,
    ProjectStewardshipPublic,
    Stewardship,
    StewardshipCreate,
    StewardshipPublic,
)
from meent_shared.db import table_of
from meent_shared.errors import InvalidInput, NotFound
from meent_shared.events.contracts.commons import StewardshipChanged
from meent_shared.events.contracts.spaces import (
    MembershipChanged,
    ProjectCreated,
    ProjectUpdated,
)
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.outbox import record_event
from meent_shared.events.projection import apply_if_newer


async def on_project_changed(
    session: AsyncSession, payload: ProjectCreated | ProjectUpdated, event: CloudEvent
) -> None:
    values = {
        "project_id": payload.project_id,
        "name": payload.name,
        "slug": payload.slug,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(KnownProject), values)


async def on_membership_changed(
    session: AsyncSession, payload: MembershipChanged, event: CloudEvent
) -> None:
    values = {
        "membership_id": payload.membership_id,
        "project_id": payload.project_id,
        "person_id": payload.person_id,
        "role": payload.role,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(ProjectMember), values)


def announce(stewardship: Stewardship) -> StewardshipChanged:
    """The event that tells the stewardship as it is now."""
    return StewardshipChanged(
        stewardship_id=stewardship.id,
        version=stewardship.version,
        site_id=stewardship.site_id,
        project_id=stewardship.project_id,
        starts_on=stewardship.starts_on,
        ends_on=stewardship.ends_on,
    )


async def add_stewardship(
    session: AsyncSession, *, site_id: uuid.UUID, stewardship_in: StewardshipCreate
) -> Stewardship:
    if await session.get(Site, site_id) is None:
        raise NotFound(f"No site {site_id}")
    if await session.get(KnownProject, stewardship_in.project_id) is None:
        raise InvalidInput(
            f"Unknown project {stewardship_in.project_id}", loc=["body", "project_id"]
        )
    stewardship = Stewardship.model_validate(stewardship_in, update={"site_id": site_id})
    session.add(stewardship)
    await session.flush()
    await record_event(session, outbox, announce(stewardship))
    return stewardship


async def end_stewardship(
    session: AsyncSession, *, stewardship_id: uuid.UUID, ends_on: dt.date
) -> Stewardship:
    stewardship = await session.get(Stewardship, stewardship_id, with_for_update=True)
    if stewardship is None:
        raise NotFound(f"No stewardship {stewardship_id}")
    if ends_on < stewardship.starts_on:
        raise InvalidInput("ends_on is before the stewardship started", loc=["body", "ends_on"])
    stewardship.ends_on = ends_on
    stewardship.version += 1
    await session.flush()
    await record_event(session, outbox, announce(stewardship))
    return stewardship


def _current(on: dt.date):
    return and_(
        col(Stewardship.starts_on) <= on,
        or_(col(Stewardship.ends_on).is_(None), col(Stewardship.ends_on) >= on),
    )


def _with_project_names():
    return select(Stewardship, col(KnownProject.name)).outerjoin(
        KnownProject, col(KnownProject.project_id) == col(Stewardship.project_id)
    )


async def stewards_of(session: AsyncSession, site_id: uuid.UUID) -> list[StewardshipPublic]:
    query = (
        _with_project_names()
        .where(col(Stewardship.site_id) == site_id)
        .order_by(col(Stewardship.starts_on))
    )
    return [
        StewardshipPublic(**row.Stewardship.model_dump(), project_name=row.name)
        for row in await session.execute(query)
    ]


async def stewardships_of_project(
    session: AsyncSession, project_id: uuid.UUID, *, limit: int, offset: int
) -> list[ProjectStewardshipPublic]:
    """The sites a project stewards or stewarded, oldest first (an unknown project has none)."""
    query = (
        _with_project_names()
        .add_columns(col(Site.name).label("site_name"))
        .join(Site, col(Site.id) == col(Stewardship.site_id))
        .where(col(Stewardship.project_id) == project_id)
        .order_by(col(Stewardship.starts_on), col(Stewardship.id))
        .limit(limit)
        .offset(offset)
    )
    return [
        ProjectStewardshipPublic(
            **row.Stewardship.model_dump(), project_name=row.name, site_name=row.site_name
        )
        for row in await session.execute(query)
    ]


async def stewardship_public(session: AsyncSession, stewardship_id: uuid.UUID) -> StewardshipPublic:
    query = _with_project_names().where(col(Stewardship.id) == stewardship_id)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"No stewardship {stewardship_id}")
    return StewardshipPublic(**row.Stewardship.model_dump(), project_name=row.name)


async def coordinates_a_steward(
    session: AsyncSession, *, person_id: str, site_id: uuid.UUID, on: dt.date
) -> bool:
    """Whether the person coordinates a project that stewards the site on that day."""
    query = (
        select(col(ProjectMember.membership_id))
        .join(Stewardship, col(Stewardship.project_id) == col(ProjectMember.project_id))
        .where(
            col(ProjectMember.person_id) == person_id,
            col(ProjectMember.role) == "coordinator",
            col(Stewardship.site_id) == site_id,
            _current(on),
        )
        .limit(1)
    )
    return (await session.execute(query)).first() is not None
