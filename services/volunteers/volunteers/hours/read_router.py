"""Reading hours: listings (public, mine, the approval queue), a project's summary and many
projects' totals. (Registered before the projects router, whose `/projects/{project_id}` would
take `/projects/totals` for an id.)"""

import datetime as dt
import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from meent_shared.errors import InvalidInput, NotFound
from meent_shared.types import CalendarDate, PersonId
from volunteers.config import Settings
from volunteers.deps import CurrentPrincipal, OptionalPrincipal, SessionDep, SettingsDep
from volunteers.hours import queries, rollups
from volunteers.hours.models import HourStatus
from volunteers.hours.money import in_kind_value, money_text
from volunteers.hours.queries import HourEntryPage, HourFilters, Viewer
from volunteers.hours.rollups import Figure, HoursGroupBy, Months
from volunteers.hours.rules import approver_project_ids
from volunteers.projects import service as project_service

router = APIRouter(tags=["hours"])

MAX_TOTALS_IDS = 100
MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


async def viewer_of(
    session: SessionDep, principal: OptionalPrincipal, settings: SettingsDep
) -> Viewer:
    if principal is None:
        return Viewer()
    projects = await approver_project_ids(session, principal.sub, settings.today())
    return Viewer(sub=principal.sub, admin=principal.has_role("admin"), approver_projects=projects)


ViewerDep = Annotated[Viewer, Depends(viewer_of)]


def page_size(first: int, settings: Settings) -> int:
    if not 1 <= first <= settings.page_max:
        raise InvalidInput(
            f"first must be between 1 and {settings.page_max}",
            code="bad_page_size",
            loc=["query", "first"],
        )
    return first


def day_range(first_day: dt.date | None, last_day: dt.date | None) -> None:
    if first_day is not None and last_day is not None and last_day < first_day:
        raise InvalidInput("to must not be before from", code="reversed_dates", loc=["query", "to"])


def hour_filters(
    project_id: uuid.UUID | None = None,
    person_id: PersonId | None = None,
    status: HourStatus | None = None,
    first_day: Annotated[CalendarDate | None, Query(alias="from")] = None,
    last_day: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> HourFilters:
    day_range(first_day, last_day)
    return HourFilters(project_id, person_id, status, first_day, last_day)


FiltersDep = Annotated[HourFilters, Depends(hour_filters)]
After = Annotated[str | None, Query(max_length=200)]


@router.get("/hours", response_model=HourEntryPage, summary="Hour entries, newest day first")
async def list_hours(
    filters: FiltersDep,
    viewer: ViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    first: int = 20,
    after: After = None,
) -> HourEntryPage:
    size = page_size(first, settings)
    return await queries.list_hours(
        session=session, viewer=viewer, filters=filters, first=size, after=after
    )


@router.get("/hours/mine", response_model=HourEntryPage, summary="The caller's own hour entries")
async def my_hours(
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    status: HourStatus | None = None,
    first: int = 20,
    after: After = None,
) -> HourEntryPage:
    viewer = Viewer(sub=principal.sub)
    filters = HourFilters(person_id=principal.sub, status=status)
    size = page_size(first, settings)
    return await queries.list_hours(
        session=session, viewer=viewer, filters=filters, first=size, after=after
    )


@router.get("/hours/queue", response_model=HourEntryPage, summary="Entries the caller may decide")
async def approval_queue(
    principal: CurrentPrincipal,
    viewer: ViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    project_id: uuid.UUID | None = None,
    first: int = 20,
    after: After = None,
) -> HourEntryPage:
    size = page_size(first, settings)
    return await queries.approval_queue(
        session=session, viewer=viewer, project_id=project_id, first=size, after=after
    )


def month_of(text: str | None, loc: str) -> dt.date | None:
    """`2026-05` or a date in it (`2026-05-17`): that month's first day."""
    if text is None:
        return None
    match = MONTH.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match[1]), int(match[2]), int(match[3] or 1)).replace(day=1)
    except ValueError:
        raise InvalidInput(
            f"{loc} must be a month (YYYY-MM) or a date (YYYY-MM-DD)",
            code="bad_month",
            loc=["query", loc],
        ) from None


def months_of(first: str | None, last: str | None) -> Months:
    months = Months(month_of(first, "from"), month_of(last, "to"))
    if months.first and months.last and months.last < months.first:
        raise InvalidInput("to must not be before from", code="reversed_dates", loc=["query", "to"])
    return months


def group_out(figure: Figure, settings: Settings) -> rollups.SummaryGroup:
    value = money_text(in_kind_value(figure.minutes, settings.hourly_rate))
    return rollups.SummaryGroup(
        key=figure.key,
        person_id=figure.person_id,
        minutes=figure.minutes,
        entries=figure.entries,
        value=value,
    )


@router.get(
    "/projects/{project_id}/hours/summary",
    response_model=rollups.HoursSummary,
    summary="A project's approved hours by month, activity or person, with their in-kind value",
)
async def hours_summary(
    project_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    first_month: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    last_month: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    group_by: HoursGroupBy = HoursGroupBy.month,
) -> Response:
    months = months_of(first_month, last_month)
    groups = await rollups.project_groups(
        session=session, project_id=project_id, months=months, group_by=group_by
    )
    # Only approved entries of known projects are rolled up: a project with groups is known,
    # so only an empty summary costs the second query.
    known = groups or await project_service.get_known_project(
        session=session, project_id=project_id
    )
    if not known:
        raise NotFound(f"No project {project_id} (yet): spaces announces new projects by event")
    total = rollups.total_of(groups)
    summary = rollups.HoursSummary(
        project_id=project_id,
        from_month=f"{months.first:%Y-%m}" if months.first else None,
        to_month=f"{months.last:%Y-%m}" if months.last else None,
        group_by=group_by,
        total_minutes=total.minutes,
        entries=total.entries,
        value=money_text(in_kind_value(total.minutes, settings.hourly_rate)),
        currency=settings.currency,
        hourly_rate=money_text(settings.hourly_rate),
        groups=[group_out(figure, settings) for figure in groups],
    )
    # Serialised once by the model itself: FastAPI would validate the model it was just given
    # again before writing it (a summary is the public's most frequent read).
    return Response(summary.model_dump_json(by_alias=True), media_type="application/json")


def project_ids_of(ids: str) -> list[uuid.UUID]:
    parts = [part.strip() for part in ids.split(",") if part.strip()]
    if not 1 <= len(parts) <= MAX_TOTALS_IDS:
        raise InvalidInput(
            f"ids must name 1 to {MAX_TOTALS_IDS} projects",
            code="too_many_ids",
            loc=["query", "ids"],
        )
    try:
        return [uuid.UUID(part) for part in parts]
    except ValueError:
        raise InvalidInput(
            "ids must be project ids (UUIDs)", code="bad_id", loc=["query", "ids"]
        ) from None


@router.get(
    "/projects/totals",
    response_model=rollups.ProjectTotals,
    summary="Approved hours and their in-kind value of up to 100 projects at once",
)
async def project_totals(
    session: SessionDep, settings: SettingsDep, ids: Annotated[str, Query(max_length=4000)]
) -> rollups.ProjectTotals:
    project_ids = project_ids_of(ids)
    totals = await rollups.project_totals(session=session, project_ids=project_ids)
    return rollups.ProjectTotals(
        totals=[
            rollups.ProjectTotal(
                project_id=pid,
                total_minutes=figure.minutes,
                entries=figure.entries,
                value=money_text(in_kind_value(figure.minutes, settings.hourly_rate)),
                currency=settings.currency,
            )
            for pid in project_ids  # one row per asked id, in the order asked
            for figure in [totals[pid]]
        ]
    )
