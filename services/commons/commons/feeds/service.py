"""The calendars' data: a site's active periods (proposals are not part of its schedule), its
schedule's version and open tasks, or a team's open tasks.

A site's feed is a function of what it is built from — the site (its version), its schedule (its
version: every change to an active period moves it), its open tasks (ids and versions), the span
and the VTIMEZONE's years — so its ETag is a hash of those, read by one query: a conditional
request costs that query, not a build. A build is bounded like every timeline (`engine.Budget`),
and kept, by its ETag, for the next client that asks.
"""

import datetime as dt
import hashlib
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from importlib.metadata import version

from icalendar import Calendar
from sqlalchemy import Text, cast, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.feeds import ical, uses
from commons.maintenance.models import MaintenanceTask, TaskStatus, Team
from commons.schedules import engine
from commons.schedules import service as schedule_service
from commons.schedules.models import SiteSchedule
from commons.sites.models import Site
from meent_shared.errors import InvalidInput, NotFound

# Part of every site feed's ETag, which does not hash the body: change it with the builder.
FEED_FORMAT = f"uses-2/icalendar-{version('icalendar')}"
CACHED_BYTES = 32 * 1024 * 1024  # built feeds kept in each process, the least recent dropped


class BuiltFeeds:
    """Feed bodies by ETag, up to `max_bytes` in all: an ETag names one body for ever."""

    def __init__(self, max_bytes: int = CACHED_BYTES) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.bodies: OrderedDict[str, bytes] = OrderedDict()

    def get(self, tag: str) -> bytes | None:
        body = self.bodies.get(tag)
        if body is not None:
            self.bodies.move_to_end(tag)
        return body

    def keep(self, tag: str, body: bytes) -> None:
        if tag in self.bodies or len(body) > self.max_bytes:
            return
        self.bodies[tag], self.size = body, self.size + len(body)
        while self.size > self.max_bytes:
            self.size -= len(self.bodies.popitem(last=False)[1])


built_feeds = BuiltFeeds()


def site_feed_tag(
    site_id: uuid.UUID, site_version: int, schedule_version: int, tasks: str, today: dt.date
) -> str:
    """The strong ETag of a site's feed, from what it is built from (`tasks`: "id:version" of
    the open tasks, by id, comma-separated)."""
    first, end = uses.feed_span(today)
    key = f"{FEED_FORMAT}|{site_id}|{site_version}|{schedule_version}|{first}|{end}|{today.year}"
    return '"' + hashlib.blake2b(f"{key}|{tasks}".encode(), digest_size=16).hexdigest() + '"'


def _tasks_fingerprint(tasks: Iterable[MaintenanceTask]) -> str:
    return ",".join(f"{task.id}:{task.version}" for task in sorted(tasks, key=lambda t: t.id))


async def current_site_feed_tag(
    session: AsyncSession, *, site_id: uuid.UUID, today: dt.date
) -> str:
    """The site feed's ETag now, in one query (the same fingerprint as `site_calendar`'s)."""
    task_key = func.concat(cast(col(MaintenanceTask.id), Text), ":", col(MaintenanceTask.version))
    tasks = (
        select(func.string_agg(task_key, aggregate_order_by(literal(","), col(MaintenanceTask.id))))
        .where(
            col(MaintenanceTask.site_id) == col(Site.id),
            col(MaintenanceTask.status) == TaskStatus.open,
        )
        .scalar_subquery()
    )
    schedule = (
        select(col(SiteSchedule.version))
        .where(col(SiteSchedule.site_id) == col(Site.id))
        .scalar_subquery()
    )
    query = select(col(Site.version), schedule, tasks).where(col(Site.id) == site_id)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"No site {site_id}")
    return site_feed_tag(site_id, row[0], row[1] or 0, row[2] or "", today)


async def site_calendar(
    session: AsyncSession, *, site_id: uuid.UUID, today: dt.date
) -> tuple[Calendar, str]:
    """The site's uses (its timeline over the feed's span) and its open tasks, with the ETag of
    exactly the data read."""
    site = await schedule_service.get_site(session, site_id)
    periods = await schedule_service.active_periods(session, site.id)
    schedule = await session.get(SiteSchedule, site.id)
    query = select(MaintenanceTask).where(
        col(MaintenanceTask.site_id) == site.id, col(MaintenanceTask.status) == TaskStatus.open
    )
    tasks = list((await session.execute(query)).scalars())
    version = schedule.version if schedule else 0
    tag = site_feed_tag(site.id, site.version, version, _tasks_fingerprint(tasks), today)
    try:
        calendar = ical.site_calendar(site, periods, tasks, today=today, schedule_version=version)
    except engine.ScheduleTooDense:
        first, end = uses.feed_span(today)
        raise InvalidInput(
            f"The site's schedule has more than {engine.MAX_INTERVALS} time windows from {first} "
            f"to {end}, the feed's span: too many for a calendar; its timeline answers for "
            "shorter spans",
            code=engine.ScheduleTooDense.code,
            loc=["path", "site_id"],
        ) from None
    return calendar, tag


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
