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
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=key,
        set_={name: statement.excluded[name] for name in values if name not in key},
        where=table.c.version < statement.excluded.version,
    ).returning(table.c.version)
    return (await session.execute(statement)).first() is not None
