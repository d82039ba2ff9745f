"""Hours as CSV: the streamed export, and a coordinator's import of a paper sign-in sheet."""

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.errors import MeentError, NotFound, PayloadTooLarge, error_response
from meent_shared.types import CalendarDate, PersonId
from volunteers.config import Settings
from volunteers.db import Model
from volunteers.deps import CurrentPrincipal, RuntimeDep, SessionDep, SettingsDep
from volunteers.hours import csv_export, csv_import, sheet_store
from volunteers.hours.csv_import import RowErrors, SheetRefused
from volunteers.hours.models import HourStatus
from volunteers.hours.queries import HourFilters
from volunteers.hours.read_router import ViewerDep, day_range
from volunteers.projects import service as project_service

router = APIRouter(tags=["hours"])

IMPORT_PATH = r"^/projects/[^/]+/hours/import$"


class NotCsv(MeentError):
    status_code = 415
    code = "unsupported_media_type"


class ImportedSheet(Model):
    created: int
    entry_ids: list[uuid.UUID]


@router.get(
    "/hours/export.csv",
    response_class=StreamingResponse,
    summary="Hour entries as CSV (approved ones for the public; names only where public)",
)
async def export_hours(
    viewer: ViewerDep,
    runtime: RuntimeDep,
    project_id: uuid.UUID | None = None,
    person_id: PersonId | None = None,
    status: HourStatus = HourStatus.approved,
    first_day: Annotated[CalendarDate | None, Query(alias="from")] = None,
    last_day: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> StreamingResponse:
    day_range(first_day, last_day)
    filters = HourFilters(project_id, person_id, status, first_day, last_day)
    # The stream outlives the request's session: it opens its own.
    chunks = csv_export.export_chunks(
        sessions=runtime.session_factory, viewer=viewer, filters=filters
    )
    return StreamingResponse(
        await csv_export.started(chunks),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hours.csv"'},
    )


async def read_limited(request: Request, max_bytes: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge(f"A sheet has at most {max_bytes} bytes", code="sheet_too_large")
    return bytes(body)


@router.post(
    "/projects/{project_id}/hours/import",
    response_model=ImportedSheet,
    status_code=201,
    summary="Import a paper sign-in sheet (CSV): all rows or none",
    responses={422: {"description": "Every row error: loc is [body, row, column]"}},
)
async def import_sheet(
    project_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
) -> ImportedSheet | JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "text/plain"):
        raise NotCsv("Send the sheet as text/csv")
    raw = await read_limited(request, settings.csv_import_max_bytes)
    try:
        async with session.begin():
            ids = await _import(session, project_id, raw, principal, settings)
    except SheetRefused as refused:
        return error_response(422, refused.items)
    return ImportedSheet(created=len(ids), entry_ids=ids)


async def _import(
    session: AsyncSession, project_id: uuid.UUID, raw: bytes, by: Principal, settings: Settings
) -> list[uuid.UUID]:
    if await project_service.get_known_project(session=session, project_id=project_id) is None:
        raise NotFound(f"No project {project_id} (yet): spaces announces new projects by event")
    await sheet_store.check_importer(session, project_id, by)
    errors = RowErrors()
    max_rows = settings.csv_import_max_rows
    # In a thread: a 5 MiB sheet is ~0.2 s of parsing, which would hold every other request
    # (the interpreter still switches to the event loop every few milliseconds).
    rows = await asyncio.to_thread(
        csv_import.parse_sheet, raw, today=settings.today(), max_rows=max_rows, errors=errors
    )
    await sheet_store.resolve_people(session, project_id, rows, errors)
    await sheet_store.check_sites(session, rows, errors)
    await sheet_store.check_day_caps(session, [row for row in rows if row.person_id], errors)
    errors.raise_any()
    return await sheet_store.store_rows(session, project_id, rows, by)
