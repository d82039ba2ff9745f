"""A call's ledger as CSV, streamed a page at a time (see `meent_shared.spreadsheet`)."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from grants.applications.models import Application
from grants.calls.service import get_call
from grants.ledger.models import LedgerEntry
from grants.money import money_text
from grants.projects.models import KnownProject
from meent_shared.spreadsheet import BOM, csv_text, inert

HEADER = ["entry", "recorded_at", "kind", "amount", "currency", "project", "application", "note"]
FETCH_ROWS = 1000  # entries per query: memory stays bounded however long the ledger


async def _page(
    sessions: async_sessionmaker[AsyncSession], call_id: uuid.UUID, after: int
) -> list[Any]:
    """One page of entries after `seq`, on a session of its own, closed before the page is
    sent: a slow reader holds no database connection while the stream waits for it."""
    query = (
        select(LedgerEntry, col(KnownProject.name))
        .outerjoin(Application, col(Application.id) == col(LedgerEntry.application_id))
        .outerjoin(KnownProject, col(KnownProject.project_id) == col(Application.project_id))
        .where(col(LedgerEntry.call_id) == call_id, col(LedgerEntry.seq) > after)
        .order_by(col(LedgerEntry.seq))
        .limit(FETCH_ROWS)
    )
    async with sessions() as session:
        return list((await session.execute(query)).all())


def _rows_csv(rows: list[Any], currency: str) -> bytes:
    return csv_text(
        [
            str(entry.id),
            entry.recorded_at.isoformat() if entry.recorded_at else "",
            entry.kind.value,
            money_text(entry.amount),  # a plain number: spreadsheets sum it
            currency,
            inert(name or ""),
            str(entry.application_id or ""),
            inert(entry.note),
        ]
        for entry, name in rows
    ).encode()


async def _chunks(
    sessions: async_sessionmaker[AsyncSession],
    call_id: uuid.UUID,
    currency: str,
    first: list[Any],
) -> AsyncIterator[bytes]:
    """The header and `first` (read before the answer starts: a failure there is an error,
    not a cut-off 200), then page after page."""
    rows = first
    yield (BOM + csv_text([HEADER])).encode() + _rows_csv(rows, currency)
    while len(rows) == FETCH_ROWS:
        rows = await _page(sessions, call_id, rows[-1][0].seq)
        yield _rows_csv(rows, currency)


async def ledger_csv(
    session: AsyncSession, sessions: async_sessionmaker[AsyncSession], call_id: uuid.UUID
) -> StreamingResponse:
    """The stream outlives the request's session: it opens its own."""
    call = await get_call(session=session, call_id=call_id)
    first = await _page(sessions, call_id, -1)
    return StreamingResponse(
        _chunks(sessions, call_id, call.currency, first),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ledger-{call_id}.csv"'},
    )
