"""Maintenance: teams, tasks (once or recurring), what is due when, who did it, and which work
clashes with the site's use that day."""

import bisect
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.db import outbox
from commons.maintenance.dates import first_open_date, task_dates
from commons.maintenance.models import (
    SENSITIVE_USES,
    MaintenanceTask,
    MaintenanceTaskCreate,
    TaskCompletion,
    TaskOccurrence,
    TaskStatus,
    Team,
    TeamCreate,
    TeamMember,
    TeamPublic,
)
from commons.schedules import engine
from commons.schedules.service import active_periods, as_engine_period, check_date
from commons.sites.models import Site
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from meent_shared.events.contracts.commons import MaintenanceTaskCompleted
from meent_shared.events.outbox import record_event


async def create_team(session: AsyncSession, *, team_in: TeamCreate) -> Team:
    team = Team.model_validate(team_in)
    session.add(team)
    await session.flush()
    return team


async def add_member(session: AsyncSession, *, team_id: uuid.UUID, person_id: str) -> None:
    if await session.get(Team, team_id) is None:
        raise NotFound(f"No team {team_id}")
    if await session.get(TeamMember, (team_id, person_id)) is None:
        session.add(TeamMember(team_id=team_id, person_id=person_id))
        await session.flush()


async def team_public(session: AsyncSession, team: Team) -> TeamPublic:
    members = await session.execute(
        select(col(TeamMember.person_id)).where(col(TeamMember.team_id) == team.id)
    )
    return TeamPublic(**team.model_dump(), members=sorted(members.scalars()))


async def create_task(
    session: AsyncSession, *, site_id: uuid.UUID, task_in: MaintenanceTaskCreate, by: Principal
) -> MaintenanceTask:
    if await session.get(Site, site_id) is None:
        raise NotFound(f"No site {site_id}")
    if task_in.team_id is not None and await session.get(Team, task_in.team_id) is None:
        raise InvalidInput(f"No team {task_in.team_id}", loc=["body", "team_id"])
    if task_in.rule is not None:
        try:
            engine.parse_rule(task_in.rule, task_in.due_on)
        except engine.RuleError as error:
            raise InvalidInput(
                f"RRULE refused: {error}", code="invalid_rule", loc=["body", "rule"]
            ) from None
    task = MaintenanceTask.model_validate(
        task_in, update={"site_id": site_id, "created_by": by.sub}
    )
    session.add(task)
    await session.flush()
    return task


async def occurrences(
    session: AsyncSession,
    *,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    team_id: uuid.UUID | None = None,
    site_id: uuid.UUID | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> list[TaskOccurrence]:
    """Every due date of open tasks between `first` and `last`, with done/overdue/clash flags."""
    query = select(MaintenanceTask, Site).join(Site, col(Site.id) == col(MaintenanceTask.site_id))
    query = query.where(col(MaintenanceTask.status) == TaskStatus.open)
    if team_id is not None:
        query = query.where(col(MaintenanceTask.team_id) == team_id)
    if site_id is not None:
        query = query.where(col(MaintenanceTask.site_id) == site_id)
    if bbox is not None:
        query = query.where(func.ST_Intersects(Site.geom, func.ST_MakeEnvelope(*bbox, 4326)))
    found: list[TaskOccurrence] = []
    uses = SiteUses(session, first, last)
    for task, site in await session.execute(query):
        dates = task_dates(task, first, last)
        if not dates:
            continue
        done = await _completions(session, task.id, dates)
        sensitive = await uses.sensitive(site) if task.heavy else []
        for due in dates:
            found.append(
                TaskOccurrence(
                    task_id=task.id,
                    site_id=site.id,
                    site_name=site.name,
                    team_id=task.team_id,
                    title=task.title,
                    due_on=due,
                    heavy=task.heavy,
                    done=due in done,
                    completed_by=done.get(due),
                    overdue=due < today and due not in done,
                    clashes_with_use=_clash(sensitive, ZoneInfo(site.timezone), due),
                )
            )
    return sorted(found, key=lambda o: (o.due_on, o.site_name, o.title))


class SiteUses:
    """The sensitive uses of each site over the days asked about: one timeline per site and
    request, not one per due day."""

    def __init__(self, session: AsyncSession, first: dt.date, last: dt.date) -> None:
        self.session, self.first, self.last = session, first, last
        self.by_site: dict[uuid.UUID, list[engine.Segment]] = {}

    async def sensitive(self, site: Site) -> list[engine.Segment]:
        if site.id not in self.by_site:
            zone = ZoneInfo(site.timezone)
            periods = [
                as_engine_period(p, p.id) for p in await active_periods(self.session, site.id)
            ]
            start = dt.datetime.combine(self.first, dt.time(), zone)
            end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), zone)
            segments = engine.timeline(periods, zone, start, end)
            self.by_site[site.id] = [s for s in segments if s.use in SENSITIVE_USES]
        return self.by_site[site.id]


async def _completions(
    session: AsyncSession, task_id: uuid.UUID, dates: list[dt.date]
) -> dict[dt.date, str]:
    rows = await session.execute(
        select(col(TaskCompletion.due_on), col(TaskCompletion.completed_by)).where(
            col(TaskCompletion.task_id) == task_id, col(TaskCompletion.due_on).in_(dates)
        )
    )
    return {due: by for due, by in rows}


def _clash(sensitive: list[engine.Segment], zone: ZoneInfo, due: dt.date) -> str | None:
    """The first sensitive use on the due day (segments in time order, without overlaps)."""
    start = dt.datetime.combine(due, dt.time(), zone)
    end = start + dt.timedelta(days=1)
    at = bisect.bisect_right([s.end for s in sensitive], start)
    return sensitive[at].use if at < len(sensitive) and sensitive[at].start < end else None


async def complete_task(
    session: AsyncSession,
    *,
    task_id: uuid.UUID,
    due_on: dt.date | None,
    by: Principal,
    today: dt.date,
) -> tuple[MaintenanceTask, TaskCompletion]:
    task = await session.get(MaintenanceTask, task_id, with_for_update=True)
    if task is None:
        raise NotFound(f"No maintenance task {task_id}")
    member = task.team_id is not None and (
        await session.get(TeamMember, (task.team_id, by.sub)) is not None
    )
    if not member and not by.has_role("admin"):
        raise Forbidden("Only the task's team (or an admin) completes it", code="not_in_team")
    check_date(due_on, today, loc=["body", "due_on"])
    due = due_on or await _oldest_open(session, task, today)
    if due not in task_dates(task, due, due):
        raise InvalidInput(f"The task is not due on {due}", loc=["body", "due_on"])
    completion = TaskCompletion(task_id=task.id, due_on=due, completed_by=by.sub)
    session.add(completion)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"Already done for {due}", code="already_done") from None
    task.version += 1
    await session.refresh(completion)
    site = await session.get(Site, task.site_id)
    assert site is not None and completion.completed_at is not None
    await record_event(
        session,
        outbox,
        MaintenanceTaskCompleted(
            task_id=task.id,
            version=task.version,
            site_id=task.site_id,
            team_id=task.team_id,
            title=task.title,
            due_on=due,
            completed_by=by.sub,
            completed_at=completion.completed_at,
        ),
    )
    return task, completion


async def _oldest_open(session: AsyncSession, task: MaintenanceTask, today: dt.date) -> dt.date:
    until = max(today, task.due_on)
    rows = await session.execute(
        select(col(TaskCompletion.due_on)).where(
            col(TaskCompletion.task_id) == task.id, col(TaskCompletion.due_on) <= until
        )
    )
    oldest = first_open_date(task, set(rows.scalars()), until)
    if oldest is None:
        raise Conflict("Nothing is due on this task yet", code="nothing_due")
    return oldest
