"""A person's data in a service other than spaces: the columns that name them (their OIDC
subject), exported on request and pseudonymised when spaces announces `person.erased`.

Each service lists its columns; these two functions do the rest, the same way everywhere: the
export is every row that names the person, as stored (bounded per column); the erasure writes
spaces' pseudonym into each column (a redelivery finds nothing left to change), drops sent
outbox events whose data names the subject at its top level, and writes the pseudonym into
unsent ones in its place (they still go out, without the subject)."""

import uuid
from typing import Any

from sqlalchemy import Table, cast, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONPATH
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.events.contracts.spaces import PersonErased

EXPORT_ROW_LIMIT = 10_000
# Events not yet sent still go out, in order, but naming the pseudonym: each top-level data value
# equal to the subject is rewritten (in the erasure's transaction, so the relay never sees both).
UNSENT_REWRITE = """
UPDATE {outbox} SET event = jsonb_set(event, '{{data}}', (
    SELECT jsonb_object_agg(
        key, CASE WHEN value = to_jsonb(CAST(:sub AS text)) THEN to_jsonb(CAST(:pseudonym AS text))
        ELSE value END)
    FROM jsonb_each(event -> 'data')))
WHERE published_at IS NULL
  AND jsonb_path_exists(event -> 'data', '$.* ? (@ == $sub)', jsonb_build_object('sub', CAST(:sub AS text)))
"""
PersonColumns = list[tuple[Table, str]]


async def pseudonymise(
    session: AsyncSession, columns: PersonColumns, outbox: Table, erased: PersonErased
) -> None:
    pseudonym = erased.pseudonym or f"erased:{uuid.uuid4()}"
    for table, column in columns:
        await session.execute(
            update(table).where(table.c[column] == erased.person_id).values({column: pseudonym})
        )
    names_them = func.jsonb_path_exists(
        outbox.c.event["data"],
        cast("$.* ? (@ == $sub)", JSONPATH),
        func.jsonb_build_object("sub", erased.person_id),
    )
    await session.execute(delete(outbox).where(outbox.c.published_at.is_not(None), names_them))
    await session.execute(
        text(UNSENT_REWRITE.format(outbox=outbox.name)),
        {"sub": erased.person_id, "pseudonym": pseudonym},
    )


async def export_rows(
    session: AsyncSession, service: str, columns: PersonColumns, person_id: str
) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for table, column in columns:
        query = select(table).where(table.c[column] == person_id).limit(EXPORT_ROW_LIMIT)
        parts[f"{table.name}.{column}"] = [
            dict(row._mapping) for row in await session.execute(query)
        ]
    return {"service": service, "person_id": person_id, "rows": parts}
