"""The calendars' data: a site's active periods (proposals are not part of its schedule), its
schedule's version and open tasks, or a team's open tasks."""

import datetime as dt
import uuid

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.feeds import ical
from commons.maintenance.models import MaintenanceTask, TaskStatus, Team
from commons.schedules import service as schedule_service
from commons.schedules.models import SiteSchedule
from commons.sites.models import Site
from meent_shared.errors import NotFound


async def site_calendar(session: AsyncSession, *, site_id: uuid.UUID, today: dt.date) -> Calendar:
    """The site's uses (its timeline over the feed's span) and its open tasks."""
    site = await schedule_service.get_site(session, site_id)
    periods = await schedule_service.active_periods(session, site.id)
    schedule = await session.get(SiteSchedule, site.id)
    query = select(MaintenanceTask).where(
        col(MaintenanceTask.site_id) == site.id, col(MaintenanceTask.status) == TaskStatus.open
    )
    tasks = list((await session.execute(query)).scalars())
    version = schedule.version if schedule else 0
    return ical.site_calendar(site, periods, tasks, today=today, schedule_version=version)


async def team_calendar(session: AsyncSession, *, team_id: uuid.UUID, today: dt.date) -> Calendar:
    """The team's open tasks on every site."""
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(f"No team {team_id}")
    query = (
        select(MaintenanceTask, Site)
        .join(Site, col(Site.id) == col(MaintenanceTask.site_id))
        .where(
            col(MaintenanceTask.team_id) == team.id, col(MaintenanceTask.status) == TaskStatus.open
        )
    )
    tasks = [(task, site) for task, site in (await session.execute(query)).all()]
    return ical.team_calendar(team, tasks, today=today)
