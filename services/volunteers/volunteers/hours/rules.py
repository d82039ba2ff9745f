"""The rules an hour entry lives by, for every path that creates or decides one (REST, CSV import,
corrections): who is a member on a day, who approves, and the 24-hour day.

Approvers of an entry are the project's current coordinators other than the entry's person and its
logger; where the project has no such coordinator, its current core members (same exclusion). An
admin may also decide, never on their own hours.
"""

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select, and_, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput
from volunteers.hours.models import MINUTES_PER_DAY, HourEntry
from volunteers.members.models import ProjectMember

# Advisory-lock namespaces (the first key of pg_advisory_xact_lock(int, int)), one per kind of lock.
DAY_CAP_LOCK = 9001
IDEMPOTENCY_LOCK = 9002


def counts_towards_the_day() -> ColumnElement[bool]:
    """The entries a day's 24 hours are checked against: the worst case of what may still be
    decided. Approved minutes count (net, corrections included), and submitted ones only when
    they add: a pending negative correction may still be withdrawn or rejected, so counting it
    would let a second full day in beside the first. The rule's text is the SQL function of
    migration 0007, which `POST /hours` (`log_hours`) uses too."""
    return func.hour_counts_towards_the_day(
        col(HourEntry.status), col(HourEntry.minutes), type_=Boolean
    )


async def member_on(
    session: AsyncSession, project_id: uuid.UUID, person_id: str, day: dt.date
) -> ProjectMember | None:
    """The person's stint in the project that covers `day` (dates inclusive), if any."""
    query = (
        select(ProjectMember)
        .where(
            col(ProjectMember.project_id) == project_id,
            col(ProjectMember.person_id) == person_id,
            col(ProjectMember.joined_on) <= day,
            func.coalesce(col(ProjectMember.left_on), day) >= day,
        )
        .order_by(col(ProjectMember.joined_on).desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def has_current_role(
    session: AsyncSession, project_id: uuid.UUID, person_id: str, role: str
) -> bool:
    """Whether the person holds `role` in the project now (an open stint)."""
    query = select(_has_role(project_id, person_id, role))
    return bool((await session.execute(query)).scalar_one())


def _current(member: type[ProjectMember], role: str) -> ColumnElement[bool]:
    # A stint that ended has role None (spaces' membership.changed), so a role means "now".
    return col(member.role) == role


def _has_role(project: Any, person: str, role: str) -> ColumnElement[bool]:
    member = aliased(ProjectMember)
    return exists().where(
        col(member.project_id) == project,
        col(member.person_id) == person,
        _current(member, role),
    )


def _other_coordinator(entry: type[HourEntry]) -> ColumnElement[bool]:
    member = aliased(ProjectMember)
    return exists().where(
        col(member.project_id) == col(entry.project_id),
        _current(member, "coordinator"),
        col(member.person_id) != col(entry.person_id),
        col(member.person_id) != col(entry.logged_by),
    )


def decidable_by(person_id: str) -> ColumnElement[bool]:
    """SQL condition on HourEntry: `person_id` (not an admin) may approve or reject the entry.

    For the approval queue and listings; `may_decide` says the same for one entry."""
    project = col(HourEntry.project_id)
    return and_(
        col(HourEntry.person_id) != person_id,
        col(HourEntry.logged_by) != person_id,
        or_(
            _has_role(project, person_id, "coordinator"),
            and_(_has_role(project, person_id, "core"), ~_other_coordinator(HourEntry)),
        ),
    )


async def may_decide(session: AsyncSession, entry: HourEntry, principal: Principal) -> None:
    """Raise unless `principal` may approve or reject `entry` (its status is checked elsewhere)."""
    if principal.sub in (entry.person_id, entry.logged_by):
        raise Forbidden("No one approves or rejects their own hours", code="own_hours")
    if principal.has_role("admin"):
        return
    query = select(col(HourEntry.id)).where(
        col(HourEntry.id) == entry.id, decidable_by(principal.sub)
    )
    if (await session.execute(query)).first() is None:
        raise Forbidden(
            "Hours are decided by a coordinator of the project (or, where it has no other "
            "coordinator, a core member)",
            code="not_an_approver",
        )


async def check_day_cap(
    session: AsyncSession,
    person_id: str,
    day: dt.date,
    added_minutes: int,
    excluding_entry_id: uuid.UUID | None = None,
) -> None:
    """Raise unless the person's counting minutes on `day` plus `added_minutes` fit in 24 h.

    Takes the (person, day) advisory lock until the transaction ends, so two entries sent at once
    are counted one after the other: the caller must insert its entry in the same transaction."""
    await lock_day(session, person_id, day)
    query = _day_minutes(person_id, day)
    if excluding_entry_id is not None:
        query = query.where(col(HourEntry.id) != excluding_entry_id)
    logged = int((await session.execute(query)).scalar_one())
    raise_over_day(person_id, day, logged, added_minutes)


async def lock_day(session: AsyncSession, person_id: str, day: dt.date) -> None:
    """Hold the (person, day) advisory lock until the transaction ends: entries for one day are
    counted one after the other. Its own statement: a later statement's snapshot then sees what
    the transaction that held the lock before committed."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:space, hashtext(:person || '|' || :day))"),
        {"space": DAY_CAP_LOCK, "person": person_id, "day": day.isoformat()},
    )


def _day_minutes(person_id: str, day: dt.date) -> Select[Any]:
    """The person's counting minutes on `day`."""
    return select(func.coalesce(func.sum(col(HourEntry.minutes)), 0)).where(
        col(HourEntry.person_id) == person_id,
        col(HourEntry.worked_on) == day,
        counts_towards_the_day(),
    )


def raise_over_day(person_id: str, day: dt.date, logged: int, added_minutes: int) -> None:
    """Raise if `logged` minutes on `day` plus `added_minutes` are more than a day."""
    if logged + added_minutes > MINUTES_PER_DAY:
        raise Conflict(
            f"{person_id} would have {logged + added_minutes} minutes on {day}; a day has "
            f"{MINUTES_PER_DAY}",
            code="day_over_24_hours",
            ctx={"logged_minutes": logged, "added_minutes": added_minutes},
        )


async def approver_project_ids(
    session: AsyncSession, person_id: str, today: dt.date
) -> list[uuid.UUID]:
    """Projects with entries `person_id` may decide on: where they coordinate, and where they are
    core and the project has at most one coordinator (whose own entries then need them).

    Narrow the entries further with `decidable_by`."""
    member, coordinator = aliased(ProjectMember), aliased(ProjectMember)
    coordinators = (
        select(func.count())
        .where(
            col(coordinator.project_id) == col(member.project_id),
            _current(coordinator, "coordinator"),
        )
        .scalar_subquery()
    )
    query = (
        select(col(member.project_id))
        .where(
            col(member.person_id) == person_id,
            col(member.joined_on) <= today,
            or_(
                _current(member, "coordinator"),
                and_(_current(member, "core"), coordinators <= 1),
            ),
        )
        .distinct()
    )
    return list((await session.execute(query)).scalars())


def unknown_project(project_id: uuid.UUID) -> InvalidInput:
    return InvalidInput(
        f"Unknown project {project_id}", code="unknown_project", loc=["body", "project_id"]
    )


def unknown_site(site_id: uuid.UUID | None) -> InvalidInput:
    return InvalidInput(f"Unknown site {site_id}", code="unknown_site", loc=["body", "site_id"])


def check_not_future(day: dt.date, today: dt.date) -> None:
    # "Today" is the city's (MEENT_CITY_TIMEZONE), not the server's clock.
    if day > today:
        raise InvalidInput(
            f"Hours cannot be logged for a future day ({day}; today is {today})",
            code="future_day",
            loc=["body", "worked_on"],
        )


def not_a_member(day: dt.date) -> Forbidden:
    return Forbidden(
        f"Only members of the project on {day} log hours for it that day",
        code="not_a_member_that_day",
    )
