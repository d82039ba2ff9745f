"""What grants knows about projects' volunteer work, for eligibility rules."""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls.models import FundingCall
from grants.districts.service import district_rule
from grants.eligibility.models import (
    ApprovedHourEntry,
    EligibilityPublic,
    ProjectHoursPublic,
    RuleCheck,
)
from grants.projects.service import current_member_count
from meent_shared.db import table_of
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer


async def on_hours_approved(
    session: AsyncSession, payload: HoursApproved, event: CloudEvent
) -> None:
    """Keep the approved entry (a correction carries negative minutes) at its newest version."""
    values = {
        "entry_id": payload.entry_id,
        "project_id": payload.project_id,
        "minutes": payload.minutes,
        "worked_on": payload.worked_on,
        "corrects_entry_id": payload.corrects_entry_id,
        "version": payload.version,
    }
    await apply_if_newer(session, table_of(ApprovedHourEntry), values)


async def approved_minutes(session: AsyncSession, project_id: uuid.UUID) -> int:
    """Net approved minutes: every approved entry once, corrections (negative) included."""
    query = select(func.coalesce(func.sum(col(ApprovedHourEntry.minutes)), 0)).where(
        col(ApprovedHourEntry.project_id) == project_id
    )
    return int(await session.scalar(query) or 0)


async def check_eligibility(
    session: AsyncSession, call: FundingCall, project_id: uuid.UUID, today: dt.date
) -> EligibilityPublic:
    """Each of the call's rules against what grants knows of the project now (from events)."""
    rules: list[RuleCheck] = []
    if call.min_members is not None:
        members = await current_member_count(session, project_id)
        rules.append(
            RuleCheck(
                rule="min_members",
                met=members >= call.min_members,
                required=call.min_members,
                actual=members,
                message=f"at least {call.min_members} members (the project has {members})",
            )
        )
    if call.min_hours is not None:
        minutes = await approved_minutes(session, project_id)
        rules.append(
            RuleCheck(
                rule="min_hours",
                met=minutes >= call.min_hours * 60,
                required=call.min_hours,
                actual=minutes // 60,
                message=(
                    f"at least {call.min_hours} approved volunteer hours "
                    f"(the project has {minutes // 60} h {minutes % 60} min)"
                ),
            )
        )
    if call.district_id is not None:
        rules.append(
            await district_rule(
                session, district_id=call.district_id, project_id=project_id, today=today
            )
        )
    return EligibilityPublic(
        call_id=call.id,
        project_id=project_id,
        eligible=all(r.met for r in rules),
        rules=rules,
    )


async def get_project_hours(*, session: AsyncSession, project_id: uuid.UUID) -> ProjectHoursPublic:
    query = select(func.coalesce(func.sum(col(ApprovedHourEntry.minutes)), 0), func.count()).where(
        col(ApprovedHourEntry.project_id) == project_id
    )
    minutes, entries = (await session.execute(query)).one()
    return ProjectHoursPublic(
        project_id=project_id,
        approved_minutes=minutes,
        approved_hours=round(minutes / 60, 2),
        approved_entries=entries,
    )
