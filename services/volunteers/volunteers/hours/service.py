"""Hour entries: a member logs time on a project; its logger edits or withdraws it while it is
submitted; an approved entry is changed only by a correction (a new entry with a signed delta).

Deciding on entries is in `decisions`; who may do what, and the 24-hour day, in `rules`.
"""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from meent_shared.events.outbox import record_event
from volunteers.db import outbox
from volunteers.hours import events, rules
from volunteers.hours.models import (
    MINUTES_PER_DAY,
    HourActivity,
    HourCorrectionCreate,
    HourEntry,
    HourEntryEdit,
    HourSource,
    HourStatus,
)
from volunteers.projects import service as project_service
from volunteers.sites import service as site_service


async def _check_day_and_place(
    session: AsyncSession, project_id: uuid.UUID, site_id: uuid.UUID | None, day: dt.date
) -> None:
    if await project_service.get_known_project(session=session, project_id=project_id) is None:
        raise rules.unknown_project(project_id)
    if site_id is not None and not await site_service.site_is_known(
        session=session, site_id=site_id
    ):
        raise rules.unknown_site(site_id)


async def _check_member(
    session: AsyncSession, project_id: uuid.UUID, person_id: str, day: dt.date, today: dt.date
) -> None:
    rules.check_not_future(day, today)
    if await rules.member_on(session, project_id, person_id, day) is None:
        raise rules.not_a_member(day)


async def _locked_entry(session: AsyncSession, entry_id: uuid.UUID) -> HourEntry:
    entry = await session.get(HourEntry, entry_id, with_for_update=True)
    if entry is None:
        raise NotFound(f"No hour entry {entry_id}")
    return entry


def _check_logger_may_change(entry: HourEntry, by: Principal) -> None:
    if entry.logged_by != by.sub:
        raise Forbidden("Only the person who logged an entry changes it", code="not_the_logger")
    if entry.status is not HourStatus.submitted:
        raise Conflict(f"This entry is already {entry.status.value}", code="already_decided")


async def edit_hours(
    *,
    session: AsyncSession,
    entry_id: uuid.UUID,
    edit: HourEntryEdit,
    by: Principal,
    today: dt.date,
) -> HourEntry:
    """The logger's change to a submitted entry; every rule of logging is checked again."""
    entry = await _locked_entry(session, entry_id)
    _check_logger_may_change(entry, by)
    if edit.version != entry.version:
        raise Conflict(
            f"The entry changed meanwhile (version {entry.version}, not {edit.version})",
            code="version_conflict",
        )
    changes = edit.model_dump(exclude_unset=True, exclude={"version"})
    changes = {
        name: value for name, value in changes.items() if value is not None or name == "site_id"
    }
    if entry.corrects_entry_id is not None:
        await _check_corrected_edit(session, entry, changes)
    else:
        await _check_ordinary_edit(session, entry, changes, today)
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.version += 1
    entry.updated_at = func.now()  # type: ignore[assignment]
    await session.flush()
    await session.refresh(entry)
    await record_event(session, outbox, events.hours_submitted(entry))
    return entry


async def _check_ordinary_edit(
    session: AsyncSession, entry: HourEntry, changes: dict, today: dt.date
) -> None:
    minutes = changes.get("minutes", entry.minutes)
    if not 1 <= minutes <= MINUTES_PER_DAY:
        raise InvalidInput(
            f"An entry has 1 to {MINUTES_PER_DAY} minutes",
            code="minutes_out_of_range",
            loc=["body", "minutes"],
        )
    day = changes.get("worked_on", entry.worked_on)
    await _check_day_and_place(
        session, entry.project_id, changes.get("site_id", entry.site_id), day
    )
    await _check_member(session, entry.project_id, entry.person_id, day, today)
    await rules.check_day_cap(session, entry.person_id, day, minutes, excluding_entry_id=entry.id)


async def _check_corrected_edit(session: AsyncSession, entry: HourEntry, changes: dict) -> None:
    # A correction belongs to its original's day and site; only its delta, note, activity change.
    if "worked_on" in changes or "site_id" in changes:
        raise InvalidInput(
            "A correction keeps the day and site of the entry it corrects",
            code="correction_day_fixed",
            loc=["body", "worked_on" if "worked_on" in changes else "site_id"],
        )
    if "activity" in changes:
        _check_same_activity(entry, changes["activity"])
    if "minutes" in changes:
        assert entry.corrects_entry_id is not None
        original = await _locked_entry(session, entry.corrects_entry_id)
        await _check_correction(session, original, changes["minutes"], excluding=entry.id)


async def withdraw_hours(*, session: AsyncSession, entry_id: uuid.UUID, by: Principal) -> HourEntry:
    """The logger takes back a submitted entry; it no longer counts (and announces nothing: only
    approved entries count anywhere else)."""
    entry = await _locked_entry(session, entry_id)
    _check_logger_may_change(entry, by)
    entry.status = HourStatus.withdrawn
    entry.version += 1
    entry.updated_at = func.now()  # type: ignore[assignment]
    await session.flush()
    await session.refresh(entry)
    return entry


async def correct_hours(
    *,
    session: AsyncSession,
    entry_id: uuid.UUID,
    correction_in: HourCorrectionCreate,
    by: Principal,
) -> HourEntry:
    """A new, submitted entry changing an approved entry's minutes by a signed delta."""
    original = await _locked_entry(session, entry_id)
    if original.status is not HourStatus.approved or original.corrects_entry_id is not None:
        raise Conflict(
            "Only an approved entry that is not itself a correction can be corrected",
            code="not_correctable",
        )
    await _check_corrector(session, original, by)
    _check_same_activity(original, correction_in.activity)
    await _check_correction(session, original, correction_in.minutes)
    correction = HourEntry(
        project_id=original.project_id,
        site_id=original.site_id,
        person_id=original.person_id,
        logged_by=by.sub,
        activity=original.activity,
        worked_on=original.worked_on,
        minutes=correction_in.minutes,
        note=correction_in.note,
        source=HourSource.correction,
        corrects_entry_id=original.id,
    )
    session.add(correction)
    await session.flush()
    await record_event(session, outbox, events.hours_submitted(correction))
    return correction


def _check_same_activity(original: HourEntry, activity: HourActivity | None) -> None:
    # A correction's minutes are booked under its original's activity: one that named another
    # would put a negative figure under an activity that never had those minutes. To move time
    # to another activity, correct this one and log a new entry.
    if activity is not None and activity != original.activity:
        raise InvalidInput(
            "A correction keeps the activity of the entry it corrects",
            code="correction_activity_fixed",
            loc=["body", "activity"],
        )


async def _check_corrector(session: AsyncSession, original: HourEntry, by: Principal) -> None:
    if by.sub == original.person_id or by.has_role("admin"):
        return
    if not await rules.has_current_role(session, original.project_id, by.sub, "coordinator"):
        raise Forbidden(
            "An entry is corrected by its person or a coordinator of the project",
            code="not_a_corrector",
        )


async def _check_correction(
    session: AsyncSession, original: HourEntry, delta: int, excluding: uuid.UUID | None = None
) -> None:
    """The delta is non-zero, keeps the entry's net minutes within 0..1440, and the day's cap."""
    if delta == 0:
        raise InvalidInput(
            "A correction changes the minutes", code="zero_correction", loc=["body", "minutes"]
        )
    # Any of the pending corrections may yet be approved, withdrawn or rejected: the entry's net
    # stays within 0..1440 whichever are approved (the lowest: every pending negative one; the
    # highest: every pending positive one). The original is locked, so corrections of one entry
    # are checked one after the other, and an approval can then never leave the range.
    others = col(HourEntry.id) != (excluding or uuid.UUID(int=0))
    minutes = col(HourEntry.minutes)
    status = col(HourEntry.status)
    query = select(
        func.coalesce(func.sum(minutes).filter(status == HourStatus.approved), 0),
        func.coalesce(func.sum(minutes).filter(status == HourStatus.submitted, minutes < 0), 0),
        func.coalesce(func.sum(minutes).filter(status == HourStatus.submitted, minutes > 0), 0),
    ).where(col(HourEntry.corrects_entry_id) == original.id, others)
    approved, pending_down, pending_up = (await session.execute(query)).one()
    settled = original.minutes + int(approved)
    lowest = settled + int(pending_down) + min(delta, 0)
    highest = settled + int(pending_up) + max(delta, 0)
    for net in (lowest, highest):
        if not 0 <= net <= MINUTES_PER_DAY:
            raise InvalidInput(
                f"The entry could come to {net} minutes with the corrections still pending; it "
                f"must stay within 0..{MINUTES_PER_DAY}",
                code="correction_out_of_range",
                loc=["body", "minutes"],
            )
    await rules.check_day_cap(
        session, original.person_id, original.worked_on, delta, excluding_entry_id=excluding
    )


async def visible_hours(*, session: AsyncSession, entry_id: uuid.UUID, by: Principal) -> HourEntry:
    """An entry for its person, its logger, the project's coordinators and core members (who
    approve), and admins."""
    entry = await session.get(HourEntry, entry_id)
    if entry is None:
        raise NotFound(f"No hour entry {entry_id}")
    if by.sub in (entry.person_id, entry.logged_by) or by.has_role("admin"):
        return entry
    try:
        # Only who may decide on this very entry sees it whole (a core member of a project with
        # other coordinators does not: they would learn a hidden volunteer's subject).
        await rules.may_decide(session, entry, by)
    except Forbidden:
        raise Forbidden(
            "Hours are seen by the person who logged them and by who decides on them"
        ) from None
    return entry
