"""The Atom feed of a project's changes, by its id or its slug: public, with ETag and
Last-Modified so a feed reader's poll costs little. The gateway forwards /feeds under its
origin; links are absolute, built from MEENT_PUBLIC_URL."""

import datetime as dt
import email.utils
import re
import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlmodel import col

from meent_shared.errors import InvalidInput, NotFound
from meent_shared.http import client_has, content_etag
from spaces.deps import SessionDep
from spaces.feeds.atom import ATOM_MEDIA_TYPE, atom_feed, feed_updated
from spaces.feeds.entries import FEED_ENTRIES, project_entries
from spaces.projects.models import Project

router = APIRouter(prefix="/feeds", tags=["feeds"])

CACHE_CONTROL = "public, max-age=300"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


async def _project(session: SessionDep, ref: str) -> Project:
    try:
        where = col(Project.id) == uuid.UUID(ref)
    except ValueError:
        if len(ref) > 80 or not _SLUG.fullmatch(ref):
            raise InvalidInput(
                "A project is named by its id or its slug (lower-case words and hyphens)",
                code="invalid_project_ref",
                loc=["path", "ref"],
            ) from None
        where = col(Project.slug) == ref
    project = await session.scalar(select(Project).where(where))
    if project is None:
        raise NotFound(f"No project {ref}", code="project_not_found")
    return project


@router.get(
    "/projects/{ref}.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}, 304: {"description": "Unchanged"}},
    summary="A project's changes as an Atom feed (public)",
    description=f"The newest {FEED_ENTRIES} revisions, publications and membership changes.",
)
async def project_feed(ref: str, request: Request, session: SessionDep) -> Response:
    project = await _project(session, ref)
    entries = await project_entries(session, project)
    public_url = request.app.state.runtime.settings.public_url
    body = atom_feed(project, entries, public_url)
    headers = {
        "ETag": content_etag(body),
        "Last-Modified": email.utils.format_datetime(
            feed_updated(project, entries).astimezone(dt.UTC), usegmt=True
        ),
        "Cache-Control": CACHE_CONTROL,
    }
    if client_has(request, headers["ETag"]) or _not_modified_since(request, headers):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers=headers)


def _not_modified_since(request: Request, headers: dict[str, str]) -> bool:
    """If-Modified-Since counts only without If-None-Match (RFC 9110 §13.1.3)."""
    since = request.headers.get("if-modified-since")
    if since is None or "if-none-match" in request.headers:
        return False
    try:
        client = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    modified = email.utils.parsedate_to_datetime(headers["Last-Modified"])
    return client.tzinfo is not None and modified <= client
