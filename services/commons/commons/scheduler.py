"""The clock of commons: announces `site.use_changed` at the instant a site's active use flips and
`maintenance.task_due` when a due date begins, and keeps the materialized occurrences ahead.

Each job remembers how far it has looked (`scheduler_state.checked_until`) and advances it in the
same transaction as the events it records. Replicas take the job's row with SKIP LOCKED, so one
works while the others skip: every flip is announced once. After downtime the next run covers the
whole gap, so missed flips are announced late but with their true instant.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Column, DateTime, String, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Field, col

from commons.db import Model, outbox
from commons.maintenance.models import MaintenanceTask, TaskStatus
from commons.maintenance.service import task_dates
from commons.schedules import engine, horizon
from commons.schedules.models import PeriodStatus, SiteSchedule, UseOccurrence, UsePeriod
from commons.schedules.service import active_periods, as_engine_period, materialize
from commons.sites.models import Site
from meent_shared.events.contracts.commons import MaintenanceTaskDue, SiteUseChanged
from meent_shared.events.outbox import record_event

log = logging.getLogger("commons.scheduler")
Clock = Callable[[], dt.datetime]
# One run looks at most this far; a longer gap (downtime) is covered by several runs.
MAX_WINDOW = dt.timedelta(days=31)


class SchedulerState(Model, table=True):
    __tablename__ = "scheduler_state"

    job: str = Field(sa_column=Column(String, primary_key=True))
    checked_until: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _claim(session: AsyncSession, job: str, now: dt.datetime) -> SchedulerState | None:
    """The job's row, locked; None when another replica holds it (or on the very first run)."""
    query = select(SchedulerState).where(col(SchedulerState.job) == job)
    state = (await session.execute(query.with_for_update(skip_locked=True))).scalar_one_or_none()
    if state is not None:
        return state
    # First run ever: start from now (history is not announced). A racing replica's insert loses.
    exists = await session.get(SchedulerState, job)
    if exists is None:
        session.add(SchedulerState(job=job, checked_until=now))
        with contextlib.suppress(Exception):
            async with session.begin_nested():
                await session.flush()
    return None


async def announce_flips(session: AsyncSession, start: dt.datetime, end: dt.datetime) -> int:
    """Record `site.use_changed` for every flip in (start, end]; return how many."""
    occurrences = UseOccurrence.__table__  # type: ignore[attr-defined]
    lower, upper = func.lower(occurrences.c.during), func.upper(occurrences.c.during)
    window = func.tstzrange(start, end, "(]")
    touched = (
        select(occurrences.c.site_id)
        .distinct()
        .where(
            occurrences.c.during.op("&&")(window),  # the GiST index narrows it to the window
            or_((lower > start) & (lower <= end), (upper > start) & (upper <= end)),
        )
    )
    count = 0
    for site_id in (await session.execute(touched)).scalars():
        site = await session.get(Site, site_id)
        if site is None:
            continue
        try:
            count += await _announce_site_flips(session, site, start, end)
        except engine.ScheduleTooDense:  # refused before it wrote: the other sites go on
            log.warning("schedule too dense to announce its flips", extra={"site_id": str(site.id)})
    return count


def _use_steps(segments: list[engine.Segment], start: dt.datetime, end: dt.datetime):
    """(instant, use before, use after, period) for each change of use in (start, end]."""
    # As instants (in UTC): local datetimes of one zone compare by wall time, fold ignored.
    edges = {b.astimezone(dt.UTC) for s in segments for b in (s.start, s.end)}
    for instant in sorted(b for b in edges if start < b <= end):
        before = engine.segment_containing(segments, instant - dt.timedelta(microseconds=1))
        after = engine.segment_containing(segments, instant)
        if (before.use if before else None) != (after.use if after else None):
            yield instant, before, after


async def _announce_site_flips(
    session: AsyncSession, site: Site, start: dt.datetime, end: dt.datetime
) -> int:
    zone = ZoneInfo(site.timezone)
    periods = [as_engine_period(p, p.id) for p in await active_periods(session, site.id)]
    segments = engine.timeline(
        periods, zone, start - dt.timedelta(days=1), end + dt.timedelta(seconds=1)
    )
    schedule = await session.get(SiteSchedule, site.id, with_for_update=True)
    if schedule is None:
        schedule = SiteSchedule(site_id=site.id)
        session.add(schedule)
    count = 0
    for instant, before, after in _use_steps(segments, start, end):
        schedule.use_version += 1
        schedule.current_use = after.use if after else None
        await record_event(
            session,
            outbox,
            SiteUseChanged(
                site_id=site.id,
                version=schedule.use_version,
                at=instant.astimezone(zone),
                previous_use=before.use if before else None,
                current_use=schedule.current_use,
                use_period_id=after.period_id if after else None,
            ),
        )
        count += 1
    await session.flush()
    return count


async def announce_due_tasks(session: AsyncSession, start: dt.datetime, end: dt.datetime) -> int:
    """Record `maintenance.task_due` for due dates whose local midnight falls in (start, end]."""
    query = select(MaintenanceTask, Site).join(Site, col(Site.id) == col(MaintenanceTask.site_id))
    query = query.where(col(MaintenanceTask.status) == TaskStatus.open)
    count = 0
    for task, site in await session.execute(query):
        zone = ZoneInfo(site.timezone)
        first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        for due in task_dates(task, first, last):
            midnight = dt.datetime.combine(due, dt.time(), zone)
            if start < midnight <= end:
                await record_event(
                    session,
                    outbox,
                    MaintenanceTaskDue(
                        task_id=task.id,
                        version=task.version,
                        site_id=site.id,
                        team_id=task.team_id,
                        title=task.title,
                        due_on=due,
                    ),
                )
                count += 1
    return count


# pg_try_advisory_xact_lock key of the horizon job ("meent" and 1): one replica extends at a time.
HORIZON_LOCK = 0x6D65656E_0001


def _runs_short(wanted: dt.date) -> ColumnElement[bool]:
    """Active periods that go on past their materialized occurrences (recurring, open-ended, or
    with days from `materialized_until` on: a daily window from 2026 to 2040, a one-day event
    six years ahead) and whose occurrences end before `wanted`.

    A one-off period is compared with what was written, not with `wanted`: one that ends after
    the written days but before `wanted` (or exactly on the first day not written) still has
    days to write, however long the job has been away."""
    return and_(
        col(UsePeriod.status) == PeriodStatus.active,
        or_(
            col(UsePeriod.rule).is_not(None),
            col(UsePeriod.ends_on).is_(None),
            col(UsePeriod.materialized_until).is_(None),
            # `materialized_until` is the first day not written.
            col(UsePeriod.ends_on) >= col(UsePeriod.materialized_until),
        ),
        or_(
            col(UsePeriod.materialized_until).is_(None),
            col(UsePeriod.materialized_until) < wanted,
        ),
    )


async def extend_horizon(session: AsyncSession, today: dt.date) -> int | None:
    """Re-materialize the periods whose occurrences fall short of the readers' horizon; the
    number rewritten, or None when another replica is at it.

    Safe across replicas: one holds the job's advisory lock for its transaction and the others
    skip; each site is locked (as every schedule change locks it) before its periods are read
    again and rewritten, so a period changed meanwhile is rewritten from its committed state."""
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(HORIZON_LOCK))):
        return None
    wanted = horizon.refresh_before(today)
    short = select(col(UsePeriod.site_id)).where(_runs_short(wanted)).distinct()
    count = 0
    for site_id in list(await session.scalars(short)):
        site = await session.get(Site, site_id, with_for_update=True)
        if site is None:
            continue
        query = select(UsePeriod).where(col(UsePeriod.site_id) == site_id, _runs_short(wanted))
        for period in await session.scalars(query.execution_options(populate_existing=True)):
            await materialize(session, period, site, today)
            count += 1
    return count


JOBS = {"use_flips": announce_flips, "tasks_due": announce_due_tasks}


class Scheduler:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock = utc_now,
        interval_seconds: float = 15.0,
    ):
        self.session_factory = session_factory
        self.clock = clock
        self.interval_seconds = interval_seconds
        self._horizon_checked: dt.date | None = None

    async def tick(self) -> int:
        """Run each job once over the time since its last run; return the events recorded."""
        recorded = 0
        for job, announce in JOBS.items():
            caught_up = False
            while not caught_up:  # a long gap (downtime) is covered window by window
                async with self.session_factory() as session, session.begin():
                    now = self.clock()
                    state = await _claim(session, job, now)
                    if state is None:
                        break
                    end = min(now, state.checked_until + MAX_WINDOW)
                    if end > state.checked_until:
                        recorded += await announce(session, state.checked_until, end)
                        state.checked_until = end
                    caught_up = end >= now
        await self._extend_horizon_daily()
        return recorded

    async def _extend_horizon_daily(self) -> None:
        today = self.clock().date()
        if self._horizon_checked == today:
            return
        async with self.session_factory() as session, session.begin():
            extended = await extend_horizon(session, today)
        if extended is None:  # another replica is extending: look again at the next tick
            return
        self._horizon_checked = today
        if extended:
            log.info("extended materialized schedules", extra={"periods": extended})

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception as exc:  # database away: try again at the next interval
                log.warning("scheduler run failed", extra={"error": repr(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
