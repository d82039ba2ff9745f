"""iCalendar feeds (RFC 5545) to subscribe to in any calendar app: a site's uses and maintenance,
a team's maintenance. Public, like the schedules they show."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from commons.deps import SessionDep, TodayDep
from commons.feeds import service as feed_service
from commons.schedules.engine import MAX_INTERVALS
from meent_shared.http import client_has, content_etag

router = APIRouter(prefix="/calendars", tags=["calendars"])

CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "public, max-age=300"
_FEED: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}},
    304: {"description": "Not modified (ETag)"},
}


@router.get(
    "/sites/{site_id}.ics",
    response_class=Response,
    responses=_FEED,
    summary="What the site is used for (its timeline) and its maintenance tasks, as iCalendar",
    description="Over the feed's span (about seven years, moving monthly). Its ETag comes from the "
    "site's, its schedule's and its open tasks' versions: `If-None-Match` costs one query. A "
    f"schedule with more than {MAX_INTERVALS} time windows over the span is refused (422 "
    "`schedule_too_dense`): the timeline answers for shorter spans.",
)
async def site_feed(
    site_id: uuid.UUID, request: Request, session: SessionDep, today: TodayDep
) -> Response:
    """A client that has the feed costs one query; a feed built once is kept by its ETag."""
    filename = f"site-{site_id}.ics"
    tag = await feed_service.current_site_feed_tag(session, site_id=site_id, today=today)
    if client_has(request, tag):
        return Response(status_code=304, headers=_headers(tag, filename))
    body = feed_service.built_feeds.get(tag)
    if body is None:
        calendar, tag = await feed_service.site_calendar(session, site_id=site_id, today=today)
        body = calendar.to_ical()
        feed_service.built_feeds.keep(tag, body)
    return Response(body, media_type=CALENDAR_MEDIA_TYPE, headers=_headers(tag, filename))


@router.get(
    "/teams/{team_id}.ics",
    response_class=Response,
    responses=_FEED,
    summary="The team's maintenance tasks on every site, as iCalendar",
)
async def team_feed(
    team_id: uuid.UUID, request: Request, session: SessionDep, today: TodayDep
) -> Response:
    calendar = await feed_service.team_calendar(session, team_id=team_id, today=today)
    return calendar_response(request, calendar.to_ical(), f"team-{team_id}.ics")


def calendar_response(request: Request, body: bytes, filename: str) -> Response:
    """The feed with a strong ETag (a hash of the body), or 304 when the client has it."""
    etag = content_etag(body)
    if client_has(request, etag):
        return Response(status_code=304, headers=_headers(etag, filename))
    return Response(body, media_type=CALENDAR_MEDIA_TYPE, headers=_headers(etag, filename))


def _headers(etag: str, filename: str) -> dict[str, str]:
    return {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Content-Disposition": f'inline; filename="{filename}"',
    }
