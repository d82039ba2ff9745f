"""volunteers' hours in GraphQL: the lists, the summary, and a project's hours and total.

A project's total comes through a DataLoader: every project of a response asks at once, and
volunteers answers them in one `/projects/totals` request (at most `TOTALS_BATCH` ids each).
"""

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.hours_types import (
    HourEntryConnection,
    HoursGroupBy,
    HoursSummary,
    HourStatus,
    HoursTotal,
    by_arrival,
    by_day,
    hour_page_from,
    summary_from,
    total_from,
)
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE
from gateway.graphql.services import ServiceError

# volunteers' /projects/totals answers at most this many ids per request.
TOTALS_BATCH = 100
# volunteers' cursors are short (a day and an id); a longer `after` is none it gave out.
MAX_HOURS_CURSOR_LENGTH = 200

From = Annotated[
    dt.date | None,
    strawberry.argument(name="from", description="From this day (a summary: its month)"),
]
To = Annotated[dt.date | None, strawberry.argument(description="To this day, inclusive")]


def page_parameters(info: Info, first: int, after: str | None) -> dict[str, Any]:
    """`first` and `after` for volunteers' keyset pages, refused here when out of bounds."""
    largest = info.context.settings.graphql_max_page_size
    if not 1 <= first <= largest:
        raise bad_user_input(
            "first", f"first must be between 1 and {largest}", "page_size_out_of_range"
        )
    params: dict[str, Any] = {"first": first}
    if after is not None:
        if not after or len(after) > MAX_HOURS_CURSOR_LENGTH:
            raise bad_user_input(
                "after", "after is not a cursor this API gave out", "invalid_cursor"
            )
        params["after"] = after
    return params


def filters(**given: Any) -> dict[str, Any]:
    """Query parameters of the arguments given (an enum by its value, a date in ISO form)."""
    params = {}
    for name, value in given.items():
        if value is None:
            continue
        if isinstance(value, HourStatus | HoursGroupBy):
            value = value.value
        params[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return params


async def hour_page(
    info: Info,
    path: str,
    params: dict[str, Any],
    after: str | None,
    cursor: Callable[[dict[str, Any]], str] = by_day,
) -> HourEntryConnection:
    page = await info.context.services.get("volunteers", path, params)
    return hour_page_from(page, after, cursor)


async def project_hours_total(info: Info, project_id: str) -> HoursTotal:
    loader = info.context.loader("hours_totals", _load_totals(info), max_batch_size=TOTALS_BATCH)
    return await loader.load(project_id)


def _load_totals(info: Info):
    async def load(project_ids: list[str]) -> list[HoursTotal]:
        answer = await info.context.services.get(
            "volunteers", "/projects/totals", {"ids": ",".join(project_ids)}
        )
        found = {uuid.UUID(row["project_id"]): total_from(row) for row in answer["totals"]}
        return [found[uuid.UUID(pid)] for pid in project_ids]

    return load


async def project_hours(
    info: Info, project_id: str, status: HourStatus | None, first: int, after: str | None
) -> HourEntryConnection:
    """One project's entries (those the caller may see); the same page asked twice in one
    response (a project listed twice) is asked for once."""
    params = {**page_parameters(info, first, after), **filters(status=status)}
    key = (project_id, tuple(sorted(params.items())))
    loader = info.context.loader("project_hour_pages", _load_project_pages(info))
    return await loader.load(key)


def _load_project_pages(info: Info):
    async def load(keys: list[tuple[str, tuple[tuple[str, Any], ...]]]) -> list[Any]:
        async def one(project_id: str, params: dict[str, Any]) -> HourEntryConnection:
            return await hour_page(
                info, "/hours", {**params, "project_id": project_id}, params.get("after")
            )

        return list(await asyncio.gather(*(one(pid, dict(p)) for pid, p in keys)))

    return load


@strawberry.type
class HoursQuery:
    @strawberry.field(
        description="Hour entries, newest day first: the public sees approved ones; a person "
        "their own; a project's approvers its entries."
    )
    async def hours(
        self,
        info: Info,
        project_id: uuid.UUID | None = None,
        person_id: str | None = None,
        status: HourStatus | None = None,
        from_: From = None,
        to: To = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> HourEntryConnection:
        params = page_parameters(info, first, after) | filters(
            project_id=project_id, person_id=person_id, status=status, to=to
        )
        params |= filters(**{"from": from_})
        return await hour_page(info, "/hours", params, after)

    @strawberry.field(
        description="A project's approved net hours by month, activity or person (public); "
        "from and to count whole months."
    )
    async def hours_summary(
        self,
        info: Info,
        project_id: uuid.UUID,
        from_: From = None,
        to: To = None,
        group_by: HoursGroupBy = HoursGroupBy.MONTH,
    ) -> HoursSummary | None:
        params = filters(to=to, group_by=group_by) | filters(**{"from": from_})
        path = f"/projects/{project_id}/hours/summary"
        try:
            return summary_from(await info.context.services.get("volunteers", path, params))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise

    @strawberry.field(description="The signed-in person's own entries, in any status.")
    async def my_hours(
        self,
        info: Info,
        status: HourStatus | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> HourEntryConnection | None:
        params = page_parameters(info, first, after) | filters(status=status)
        if info.context.principal is None:
            return None
        return await hour_page(info, "/hours/mine", params, after)

    @strawberry.field(description="Entries the signed-in person may approve, oldest first.")
    async def approval_queue(
        self,
        info: Info,
        project_id: uuid.UUID | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> HourEntryConnection | None:
        params = page_parameters(info, first, after) | filters(project_id=project_id)
        if info.context.principal is None:
            return None
        return await hour_page(info, "/hours/queue", params, after, by_arrival)
