"""Local copies of other services' entities, kept current by events.

Events can arrive twice or out of order (relay replicas, redelivery); each carries its entity's
`version`, and an older version than the one held changes nothing.
"""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def apply_if_newer(session: AsyncSession, table: Table, values: dict[str, Any]) -> bool:
    """Insert or update the row with `values` unless it already holds this or a newer `version`.

    Returns whether the row changed. The table's primary key identifies the entity.
    """
    key = [c.name for c in table.primary_key.columns]
    insert_row = insert(table).values(**values)
    upsert = insert_row.on_conflict_do_update(
        index_elements=key,
        set_={name: insert_row.excluded[name] for name in values if name not in key},
        where=table.c.version < insert_row.excluded.version,
    ).returning(table.c.version)
    return (await session.execute(upsert)).first() is not None
