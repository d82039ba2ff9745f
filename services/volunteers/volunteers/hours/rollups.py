"""A project's approved hours summed up, read from the rollups (a few rows per month, however
many entries): by month, activity or person, and many projects' totals at once. Months,
activities and totals read `hour_project_month` (a project's month × activity: at most 7 rows a
month); only the person groups need `hour_rollup`, which also splits by person.

The rollup's grain is the month, so a summary's period is whole months: `from`/`to` name months
(a date is taken as its month). Money follows `volunteers.hours.money`: each figure is valued from
its own minutes.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from volunteers.hours.models import HourActivity, HourProjectMonth, HourRollup
from volunteers.members.models import KnownPerson

rollup = table_of(HourRollup)
project_month = table_of(HourProjectMonth)
people = table_of(KnownPerson)


class HoursGroupBy(StrEnum):
    month = "month"
    activity = "activity"
    person = "person"


@dataclass(frozen=True)
class Months:
    """Whole months, both ends included; None leaves that end open."""

    first: dt.date | None = None  # a month's first day
    last: dt.date | None = None

    def where(self, table: Table = project_month) -> list[ColumnElement[bool]]:
        bounds = []
        if self.first is not None:
            bounds.append(table.c.month >= self.first)
        if self.last is not None:
            bounds.append(table.c.month <= self.last)
        return bounds


@dataclass
class Figure:
    key: str | None
    minutes: int
    entries: int
    person_id: str | None = None


def total_of(groups: Sequence[Figure]) -> Figure:
    """The total of a summary's groups (every minute is in exactly one group, "others" included),
    summed as integers: one query answers both, and the total's value is computed from minutes."""
    return Figure(
        key=None,
        minutes=sum(group.minutes for group in groups),
        entries=sum(group.entries for group in groups),
    )


async def project_groups(
    *, session: AsyncSession, project_id: uuid.UUID, months: Months, group_by: HoursGroupBy
) -> list[Figure]:
    if group_by is HoursGroupBy.person:
        return await _person_groups(session, project_id, months)
    table = project_month
    column = table.c.month if group_by is HoursGroupBy.month else table.c.activity
    query = (
        select(column, func.sum(table.c.minutes), func.sum(table.c.entries))
        .where(table.c.project_id == project_id, *months.where())
        .group_by(column)
        .order_by(column)
    )
    rows = (await session.execute(query)).all()
    return [Figure(key=_group_key(key), minutes=int(m), entries=int(n)) for key, m, n in rows]


def _group_key(key: Any) -> str:
    if isinstance(key, dt.date):
        return f"{key:%Y-%m}"
    return HourActivity(key).value


async def _person_groups(
    session: AsyncSession, project_id: uuid.UUID, months: Months
) -> list[Figure]:
    """One group per person whose name is public; everyone else together in one group, key None
    (their number and sums stay visible, not who they are)."""
    query = (
        select(
            rollup.c.person_id,
            people.c.display_name,
            people.c.name_public,
            func.sum(rollup.c.minutes),
            func.sum(rollup.c.entries),
        )
        .select_from(rollup.outerjoin(people, people.c.person_id == rollup.c.person_id))
        .where(rollup.c.project_id == project_id, *months.where(rollup))
        .group_by(rollup.c.person_id, people.c.display_name, people.c.name_public)
    )
    named: list[Figure] = []
    others = Figure(key=None, minutes=0, entries=0)
    for person_id, name, public, minutes, entries in (await session.execute(query)).all():
        if public and name:
            named.append(Figure(name, int(minutes), int(entries), person_id=person_id))
        else:
            others.minutes += int(minutes)
            others.entries += int(entries)
    named.sort(key=lambda figure: (-figure.minutes, figure.key or ""))
    return named + ([others] if others.entries else [])


async def project_totals(
    *, session: AsyncSession, project_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Figure]:
    """Every asked project's all-time total in one query; a project without hours gets zeros."""
    project_ids = list(dict.fromkeys(project_ids))
    table = project_month
    query = (
        select(table.c.project_id, func.sum(table.c.minutes), func.sum(table.c.entries))
        .where(table.c.project_id.in_(list(project_ids)))
        .group_by(table.c.project_id)
    )
    found = {
        pid: Figure(key=None, minutes=int(m), entries=int(n))
        for pid, m, n in (await session.execute(query)).all()
    }
    return {pid: found.get(pid, Figure(key=None, minutes=0, entries=0)) for pid in project_ids}


# --- what clients see


class SummaryGroup(BaseModel):
    key: str | None  # "2026-05", an activity, a public name, or None: everyone else together
    person_id: str | None = None
    minutes: int
    entries: int
    value: str  # money as text, e.g. "123.45"


class HoursSummary(BaseModel):
    project_id: uuid.UUID
    from_month: str | None = Field(default=None, serialization_alias="from")
    to_month: str | None = Field(default=None, serialization_alias="to")
    group_by: HoursGroupBy
    total_minutes: int
    entries: int
    value: str
    currency: str
    hourly_rate: str
    groups: list[SummaryGroup]


class ProjectTotal(BaseModel):
    project_id: uuid.UUID
    total_minutes: int
    entries: int
    value: str
    currency: str


class ProjectTotals(BaseModel):
    totals: list[ProjectTotal]
