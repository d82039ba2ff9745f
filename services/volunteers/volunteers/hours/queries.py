"""Listing hour entries: filtered, in keyset pages, and shown as the caller may see them.

The public (and any member who may not decide on a project's hours) sees approved entries only;
a person's id and name appear beside their hours only where their profile makes the name public
(`KnownPerson.name_public`). Everyone sees their own entries in any status, and a project's
approvers (and admins) see all of its entries, with names.
"""

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from meent_shared.errors import InvalidInput
from meent_shared.types import FIRST_DAY, LAST_DAY
from volunteers.db import Model
from volunteers.hours.models import HourEntry, HourEntryPublic, HourStatus
from volunteers.hours.rules import decidable_by
from volunteers.members.models import KnownPerson

entries = table_of(HourEntry)
people = table_of(KnownPerson)
loggers, deciders = people.alias("logger"), people.alias("decider")

CURSOR_YEARS = (FIRST_DAY.year, LAST_DAY.year)  # as CalendarDate: a cursor names a stored row


class HourEntryShown(HourEntryPublic):
    """An entry as a listing shows it: `person_id`, `logged_by` and `decided_by` are None (and
    `person_name` too) where the caller may not see who the hours are whose."""

    person_id: str | None  # type: ignore[assignment]
    logged_by: str | None  # type: ignore[assignment]
    person_name: str | None = None
    created_at: dt.datetime | None = None


class HourEntryPage(Model):
    nodes: list[HourEntryShown]
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True)
class Viewer:
    """Who asks: None for the public; the projects whose entries they approve (all statuses)."""

    sub: str | None = None
    admin: bool = False
    approver_projects: Sequence[uuid.UUID] = field(default_factory=tuple)

    def sees_everything(self) -> ColumnElement[bool]:
        """The entry in any status, with every name on it: the viewer's own, or one they decide."""
        return true() if self.admin else or_(self._own(), self._decides())

    def sees_names(self) -> ColumnElement[bool]:
        return or_(self.sees_everything(), people.c.name_public.is_(True))

    def _own(self) -> ColumnElement[bool]:
        if self.sub is None:
            return false()
        return or_(entries.c.person_id == self.sub, entries.c.logged_by == self.sub)

    def _decides(self) -> ColumnElement[bool]:
        # Per entry, as the rules decide it: a core member of a project with one coordinator
        # decides only that coordinator's entries, so sees only theirs. The project list first
        # keeps the rules' subqueries off other projects' rows.
        if not self.approver_projects or self.sub is None:
            return false()
        return and_(entries.c.project_id.in_(list(self.approver_projects)), decidable_by(self.sub))


@dataclass(frozen=True)
class HourFilters:
    project_id: uuid.UUID | None = None
    person_id: str | None = None
    status: HourStatus | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def where(self, viewer: Viewer) -> list[ColumnElement[bool]]:
        clauses = []
        if self.project_id is not None:
            clauses.append(entries.c.project_id == self.project_id)
        if self.person_id is not None:
            # Only where the caller may see whose hours they are: an id does not unmask a person.
            clauses += [entries.c.person_id == self.person_id, viewer.sees_names()]
        if self.status is not None:
            clauses.append(entries.c.status == self.status)
        if self.first_day is not None:
            clauses.append(entries.c.worked_on >= self.first_day)
        if self.last_day is not None:
            clauses.append(entries.c.worked_on <= self.last_day)
        return clauses


def _shown_query(viewer: Viewer) -> Select[Any]:
    """Entries with, per name on them, whether the viewer may see it: `entitled` (their own or
    one they decide: every name), else each person's own profile decides (`*_public`)."""
    visible = or_(entries.c.status == HourStatus.approved, viewer.sees_everything())
    joined = (
        entries.outerjoin(people, people.c.person_id == entries.c.person_id)
        .outerjoin(loggers, loggers.c.person_id == entries.c.logged_by)
        .outerjoin(deciders, deciders.c.person_id == entries.c.decided_by)
    )
    return (
        select(
            entries,
            people.c.display_name,
            viewer.sees_everything().label("entitled"),
            people.c.name_public.label("person_public"),
            loggers.c.name_public.label("logger_public"),
            deciders.c.name_public.label("decider_public"),
        )
        .select_from(joined)
        .where(visible)
    )


def shown(row: Any) -> HourEntryShown:
    """The entry with only the names the viewer may see; the others None."""
    entry = HourEntryShown.model_validate(row, from_attributes=True)
    if row.entitled:
        entry.person_name = row.display_name or None
        return entry
    if not row.logger_public:
        entry.logged_by = None
    if not row.decider_public:
        entry.decided_by = None
    if not row.person_public:
        entry.person_id = None
        return entry
    entry.person_name = row.display_name or None
    return entry


def encode_cursor(*parts: object) -> str:
    text = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = []
    if len(parts) != count:
        raise bad_cursor()
    return parts


def bad_cursor() -> InvalidInput:
    return InvalidInput("Not a cursor this listing gave", code="bad_cursor", loc=["query", "after"])


def _in_cursor_years(year: int) -> None:
    # A cursor names a stored row: a year far outside ours is forged, and one at the edge of
    # Python's range (9999 at -23:59) overflows in the database driver.
    if not CURSOR_YEARS[0] <= year <= CURSOR_YEARS[1]:
        raise bad_cursor()


def _by_day_after(cursor: str | None) -> list[ColumnElement[bool]]:
    if cursor is None:
        return []
    day, entry_id = decode_cursor(cursor, 2)
    try:
        key = (dt.date.fromisoformat(day), uuid.UUID(entry_id))
    except ValueError:
        raise bad_cursor() from None
    _in_cursor_years(key[0].year)
    return [tuple_(entries.c.worked_on, entries.c.id) < key]


async def list_hours(
    *, session: AsyncSession, viewer: Viewer, filters: HourFilters, first: int, after: str | None
) -> HourEntryPage:
    """Newest day first (then by id), `first` at a time from `after`."""
    query = (
        _shown_query(viewer)
        .where(*filters.where(viewer), *_by_day_after(after))
        .order_by(entries.c.worked_on.desc(), entries.c.id.desc())
        .limit(first + 1)
    )
    rows = (await session.execute(query)).all()
    nodes = [shown(row) for row in rows[:first]]
    last = nodes[-1] if nodes else None
    cursor = encode_cursor(last.worked_on, last.id) if last else None
    return HourEntryPage(nodes=nodes, end_cursor=cursor, has_next_page=len(rows) > first)


def _decidable(viewer: Viewer) -> ColumnElement[bool]:
    assert viewer.sub is not None
    if viewer.admin:
        return and_(entries.c.person_id != viewer.sub, entries.c.logged_by != viewer.sub)
    return decidable_by(viewer.sub)


def _queued_after(cursor: str | None) -> list[ColumnElement[bool]]:
    if cursor is None:
        return []
    created, entry_id = decode_cursor(cursor, 2)
    try:
        key = (dt.datetime.fromisoformat(created), uuid.UUID(entry_id))
    except ValueError:
        raise bad_cursor() from None
    if key[0].utcoffset() is None:
        raise bad_cursor()  # the queue gives aware times; a naive one would be read as UTC
    _in_cursor_years(key[0].year)
    return [tuple_(entries.c.created_at, entries.c.id) > key]


async def approval_queue(
    *,
    session: AsyncSession,
    viewer: Viewer,
    project_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> HourEntryPage:
    """Submitted entries the viewer may decide on, oldest first."""
    query = _shown_query(viewer).where(
        entries.c.status == HourStatus.submitted, _decidable(viewer), *_queued_after(after)
    )
    if project_id is not None:
        query = query.where(entries.c.project_id == project_id)
    query = query.order_by(entries.c.created_at, entries.c.id).limit(first + 1)
    rows = (await session.execute(query)).all()
    nodes = [shown(row) for row in rows[:first]]
    last = rows[len(nodes) - 1] if nodes else None
    cursor = encode_cursor(last.created_at.isoformat(), last.id) if last else None
    return HourEntryPage(nodes=nodes, end_cursor=cursor, has_next_page=len(rows) > first)
